import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createInProcessJobs } from "./inProcessJobs.js";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("in-process jobs: waits longer than setTimeout can hold", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs a job 30 days out at its time, not when a single timer would overflow", async () => {
    vi.useFakeTimers();
    const jobs = createInProcessJobs({ logger: pino({ level: "silent" }) });
    const ranAt: number[] = [];
    jobs.define({
      name: "reminder",
      schema: z.object({}),
      handler: async () => {
        ranAt.push(Date.now());
      },
    });
    await jobs.start();
    const runAtMs = Date.now() + 30 * DAY_MS;
    await jobs.schedule("reminder", "far", {}, new Date(runAtMs));

    await vi.advanceTimersByTimeAsync(30 * DAY_MS - 1_000);
    expect(ranAt).toEqual([]);
    expect(await jobs.pending("reminder")).toEqual(["far"]);

    await vi.advanceTimersByTimeAsync(2_000);
    expect(ranAt).toEqual([runAtMs]);
    await jobs.stop();
  });
});
