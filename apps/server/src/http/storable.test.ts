import { describe, expect, it } from "vitest";
import { isStorable } from "./storable.js";

describe("isStorable", () => {
  it("accepts ordinary text, emoji (surrogate pairs) and nested values", () => {
    expect(isStorable({ text: "Più alberi 🌳", list: ["a", { b: 1, c: null }] })).toBe(true);
  });

  it("refuses a NUL character or a lone surrogate anywhere inside", () => {
    expect(isStorable("a\u0000b")).toBe(false);
    expect(isStorable({ deep: ["ok", "\ud83c"] })).toBe(false);
    expect(isStorable(["\udf33 low first"])).toBe(false);
    expect(isStorable({ text: "\ud83c\udf33" })).toBe(true);
  });
});
