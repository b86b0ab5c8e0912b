import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.js";

/** Keeps the event loop busy for `ms`, yielding to timers every few milliseconds as a rush does. */
async function work(ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const slice = Date.now() + 20;
    while (Date.now() < slice) {
      /* busy */
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("the process's load", () => {
  it("says how long the event loop has been busy, through short dips, and 0 while it rests", async () => {
    const metrics = createMetrics();
    try {
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(metrics.busyForMs()).toBe(0);
      await work(1_500);
      expect(metrics.loopUtilization()).toBeGreaterThan(0.9);
      expect(metrics.busyForMs()).toBeGreaterThanOrEqual(750);
      // A dip shorter than a second: not busy now, but busy again it is the same rush, as old.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(metrics.busyForMs()).toBe(0);
      expect(metrics.loopUtilization()).toBeLessThan(0.5);
      await work(600);
      expect(metrics.busyForMs()).toBeGreaterThanOrEqual(2_000);
      // A rest of more than a second ends it: the next rush starts from nothing.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(metrics.busyForMs()).toBe(0);
      await work(800);
      expect(metrics.busyForMs()).toBeGreaterThan(0);
      expect(metrics.busyForMs()).toBeLessThan(1_500);
    } finally {
      metrics.close();
    }
  });
});
