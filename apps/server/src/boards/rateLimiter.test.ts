import { describe, expect, it } from "vitest";
import { TokenBuckets } from "./rateLimiter.js";

describe("TokenBuckets", () => {
  it("allows a burst up to the capacity, then refills at the steady rate, per key", () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 3, refillPerSecond: 2, now: () => now });
    expect([1, 2, 3, 4].map(() => buckets.take("a"))).toEqual([true, true, true, false]);
    expect(buckets.take("b")).toBe(true);
    now += 499;
    expect(buckets.take("a")).toBe(false);
    now += 1;
    expect(buckets.take("a")).toBe(true);
    now += 60_000;
    expect([1, 2, 3, 4].map(() => buckets.take("a"))).toEqual([true, true, true, false]);
  });
});
