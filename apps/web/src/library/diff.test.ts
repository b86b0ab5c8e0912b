import { describe, expect, it } from "vitest";
import { diffLines, hasChanges } from "./diff";

describe("diffLines", () => {
  it("keeps common lines and marks what was removed and added, in order", () => {
    expect(diffLines("uno\ndue\ntre", "uno\nDUE\ntre\nquattro")).toEqual([
      { kind: "same", text: "uno" },
      { kind: "removed", text: "due" },
      { kind: "added", text: "DUE" },
      { kind: "same", text: "tre" },
      { kind: "added", text: "quattro" },
    ]);
  });

  it("handles empty sides", () => {
    expect(diffLines("", "a\nb")).toEqual([
      { kind: "added", text: "a" },
      { kind: "added", text: "b" },
    ]);
    expect(diffLines("a", "")).toEqual([{ kind: "removed", text: "a" }]);
    expect(hasChanges(diffLines("same\ntext", "same\ntext"))).toBe(false);
  });

  it("rebuilds both texts from the script", () => {
    const before = "a\nb\nc\nd\ne\nf";
    const after = "a\nc\nd\nx\nf\ng";
    const lines = diffLines(before, after);
    expect(
      lines
        .filter((l) => l.kind !== "added")
        .map((l) => l.text)
        .join("\n"),
    ).toBe(before);
    expect(
      lines
        .filter((l) => l.kind !== "removed")
        .map((l) => l.text)
        .join("\n"),
    ).toBe(after);
  });
});
