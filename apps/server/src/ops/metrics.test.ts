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
  it("says how long the event loop has been busy without a break, and 0 once it rests", async () => {
    const metrics = createMetrics();
    try {
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(metrics.busyForMs()).toBe(0);
      await work(1_500);
      expect(metrics.loopUtilization()).toBeGreaterThan(0.9);
      expect(metrics.busyForMs()).toBeGreaterThanOrEqual(750);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(metrics.busyForMs()).toBe(0);
      expect(metrics.loopUtilization()).toBeLessThan(0.5);
    } finally {
      metrics.close();
    }
  });
});
