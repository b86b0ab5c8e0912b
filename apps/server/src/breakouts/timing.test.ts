import { describe, expect, it } from "vitest";
import { warnAtFor } from "./timing.js";

describe("the one-minute warning", () => {
  const end = new Date("2026-05-04T10:30:00Z");
  it("goes out a minute before the end of a round of two minutes or more", () => {
    expect(warnAtFor(end, 20 * 60_000).toISOString()).toBe("2026-05-04T10:29:00.000Z");
    expect(warnAtFor(end, 120_000).toISOString()).toBe("2026-05-04T10:29:00.000Z");
  });
  it("halfway through a shorter round, never before it starts", () => {
    expect(warnAtFor(end, 60_000).toISOString()).toBe("2026-05-04T10:29:30.000Z");
    expect(warnAtFor(end, 2_000).toISOString()).toBe("2026-05-04T10:29:59.000Z");
  });
});
