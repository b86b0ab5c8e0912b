import { describe, expect, it } from "vitest";
import { plainSummary } from "./summary.js";

describe("plainSummary", () => {
  it("reads Markdown as text: no syntax, no markup, blocks separated by a space", () => {
    expect(plainSummary("A day to **design** _together_.\n\n- Plenary\n- Workshops & tables", 240)).toBe(
      "A day to design together. Plenary Workshops & tables",
    );
  });

  it("drops what sanitizing drops, and keeps quotes and angle brackets as typed", () => {
    expect(plainSummary('<script>alert(1)</script>Say "hi" to <b>us</b> & 3 < 4', 240)).toBe(
      'Say "hi" to us & 3 < 4',
    );
  });

  it("cuts a long text at a word, with an ellipsis, within the limit", () => {
    const summary = plainSummary("parola ".repeat(100), 50);
    expect(summary.length).toBeLessThanOrEqual(50);
    expect(summary.endsWith("parola…")).toBe(true);
  });

  it("is empty for an empty description", () => {
    expect(plainSummary("   ", 240)).toBe("");
  });
});
