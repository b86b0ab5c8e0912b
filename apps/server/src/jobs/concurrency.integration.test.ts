// Both drivers bound how many handlers of one job name run at once (BullMQ by its worker
// concurrency, the in-process driver by IN_PROCESS_CONCURRENCY), queue the rest in order, and never
// make one name wait for another: a burst of 2,000 confirmation emails must neither take every
// database connection from the requests still arriving nor delay a breakout timer.
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createBullmqJobs } from "./bullmqJobs.js";
import { IN_PROCESS_CONCURRENCY, createInProcessJobs } from "./inProcessJobs.js";
import type { Jobs } from "./jobs.js";
import { TEST_REDIS_URL, deleteRedisKeys } from "../test/jobs.js";

const RUN_PREFIX = `convivio-test-jobconc-${randomUUID().slice(0, 8)}`;
const POLL = { timeout: 20_000, interval: 20 };
const BULLMQ_CONCURRENCY = 4;
const logger = pino({ level: "silent" });
const Payload = z.object({ n: z.number() });

const drivers: { driver: Jobs["driver"]; limit: number; make: () => Jobs }[] = [
  { driver: "in-process", limit: IN_PROCESS_CONCURRENCY, make: () => createInProcessJobs({ logger }) },
  {
    driver: "bullmq",
    limit: BULLMQ_CONCURRENCY,
    make: () =>
      createBullmqJobs({
        connection: { url: TEST_REDIS_URL },
        logger,
        prefix: RUN_PREFIX,
        concurrency: BULLMQ_CONCURRENCY,
      }),
  },
];

const open: Jobs[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((jobs) => jobs.stop()));
});
afterAll(() => deleteRedisKeys(RUN_PREFIX));

describe.each(drivers)("job concurrency: $driver", ({ make, limit }) => {
  it("runs at most its limit of one name at once, all of them in the end, and another name meanwhile", async () => {
    const name = `burst-${randomUUID().slice(0, 8)}`;
    const other = `timer-${randomUUID().slice(0, 8)}`;
    let runningNow = 0;
    let most = 0;
    const done: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let timerRan = false;

    const jobs = make();
    open.push(jobs);
    jobs.define({
      name,
      schema: Payload,
      handler: async ({ n }) => {
        runningNow++;
        most = Math.max(most, runningNow);
        await gate;
        runningNow--;
        done.push(n);
      },
    });
    jobs.define({
      name: other,
      schema: Payload,
      handler: async () => {
        timerRan = true;
      },
    });
    await jobs.start();

    const burst = 3 * limit + 2;
    for (let n = 0; n < burst; n++) await jobs.schedule(name, `job-${n}`, { n });
    // The first `limit` start and hold their slots; the rest wait.
    await expect.poll(() => runningNow, POLL).toBe(limit);
    // A job of another name is not held up by the full one.
    await jobs.schedule(other, "due-now", { n: 0 });
    await expect.poll(() => timerRan, POLL).toBe(true);
    expect(runningNow).toBe(limit);

    release();
    await expect.poll(() => done.length, POLL).toBe(burst);
    expect(most).toBe(limit);
    expect(new Set(done).size).toBe(burst);
  });
});

describe("in-process job queue", () => {
  it("skips a waiting job that was cancelled or rescheduled, and runs the new schedule once", async () => {
    const name = `queued-${randomUUID().slice(0, 8)}`;
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const jobs = createInProcessJobs({ logger, concurrency: 1 });
    open.push(jobs);
    jobs.define({
      name,
      schema: Payload,
      handler: async ({ n }, job) => {
        if (job.id === "first") await gate;
        runs.push(`${job.id}:${n}`);
      },
    });
    await jobs.start();
    await jobs.schedule(name, "first", { n: 1 });
    await jobs.schedule(name, "cancelled", { n: 1 });
    await jobs.schedule(name, "moved", { n: 1 });
    // Both wait behind "first"; one is cancelled, the other replaced while it waits.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await jobs.cancel(name, "cancelled");
    await jobs.schedule(name, "moved", { n: 2 });
    expect((await jobs.pending(name)).sort()).toEqual(["moved"]);
    release();
    await expect.poll(() => runs.length, POLL).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs).toEqual(["first:1", "moved:2"]);
  });
});
