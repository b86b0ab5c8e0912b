import { describe, expect, it } from "vitest";
import { timeLeftInWords } from "./timeLeft";

describe("the time left a warning announces", () => {
  it("is a minute for rounds of two minutes or more (the warning goes out a minute before the end)", () => {
    expect(timeLeftInWords(60_000)).toEqual({ unit: "minutes", count: 1 });
    // A job that fires a moment late still reads as a minute.
    expect(timeLeftInWords(59_600)).toEqual({ unit: "minutes", count: 1 });
  });

  it("is the real seconds left for a shorter round (warned halfway)", () => {
    expect(timeLeftInWords(45_000)).toEqual({ unit: "seconds", count: 45 });
    expect(timeLeftInWords(750)).toEqual({ unit: "seconds", count: 1 });
    expect(timeLeftInWords(0)).toEqual({ unit: "seconds", count: 1 });
  });

  it("rounds longer leads to whole minutes", () => {
    expect(timeLeftInWords(150_000)).toEqual({ unit: "minutes", count: 3 });
  });
});
