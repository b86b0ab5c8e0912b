// The jobs contract (rules in jobs.ts), run against both drivers, plus the cluster property of the
// BullMQ driver (invariant 8: a job fires once whatever the number of workers).
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createBullmqJobs } from "./bullmqJobs.js";
import { createInProcessJobs } from "./inProcessJobs.js";
import type { JobDefinition, Jobs } from "./jobs.js";
import { TEST_REDIS_URL, deleteRedisKeys } from "../test/jobs.js";

// Unique per run, so parallel test files and earlier runs never share a key.
const RUN_PREFIX = `convivio-test-jobs-${randomUUID().slice(0, 8)}`;
// Generous: a loaded 2-core machine can be slow, and polling ends as soon as the job ran.
const POLL = { timeout: 10_000, interval: 20 };
// Clock granularity between the test's Date.now and the driver's.
const EARLY_TOLERANCE_MS = 5;
// Time from scheduling to due when the test must finish other calls first (reschedule, cancel,
// pending): ample for a few Redis round trips on a loaded machine.
const LEAD_MS = 600;

const logLines: string[] = [];
const logger = pino({ level: "warn" }, { write: (line: string) => void logLines.push(line) });

const Payload = z.object({ n: z.number() });
type Payload = z.infer<typeof Payload>;

interface Run {
  id: string;
  payload: Payload;
  attempt: number;
  atMs: number;
}

/** A job definition that records its runs. */
function recorder(name: string, options: Partial<JobDefinition<Payload>> = {}) {
  const runs: Run[] = [];
  const definition: JobDefinition<Payload> = {
    name,
    schema: Payload,
    attempts: 3,
    backoffMs: 20,
    handler: async (payload, job) => {
      runs.push({ id: job.id, payload, attempt: job.attempt, atMs: Date.now() });
    },
    ...options,
  };
  return { definition, runs, count: (id: string) => runs.filter((r) => r.id === id).length };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let instances = 0;
const drivers: { driver: Jobs["driver"]; make: (prefix?: string) => Jobs }[] = [
  { driver: "in-process", make: () => createInProcessJobs({ logger }) },
  {
    driver: "bullmq",
    make: (prefix = `${RUN_PREFIX}-${++instances}`) =>
      createBullmqJobs({ connection: { url: TEST_REDIS_URL }, logger, prefix }),
  },
];

const open: Jobs[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((jobs) => jobs.stop()));
});

afterAll(() => deleteRedisKeys(RUN_PREFIX));

describe.each(drivers)("jobs contract: $driver", ({ driver, make }) => {
  /** A driver with these definitions, not started yet; stopped after the test. */
  function opened(...definitions: JobDefinition<Payload>[]): Jobs {
    const jobs = make();
    open.push(jobs);
    for (const definition of definitions) jobs.define(definition);
    expect(jobs.driver).toBe(driver);
    return jobs;
  }

  async function started(...definitions: JobDefinition<Payload>[]): Promise<Jobs> {
    const jobs = opened(...definitions);
    await jobs.start();
    return jobs;
  }

  it("runs a scheduled job once, at about its time (scheduled before start)", async () => {
    const job = recorder("remind");
    const jobs = opened(job.definition);
    const runAtMs = Date.now() + 300;
    await jobs.schedule("remind", "session:1/user 7", { n: 1 }, new Date(runAtMs));
    expect(await jobs.pending("remind")).toEqual(["session:1/user 7"]);
    await jobs.start();

    await expect.poll(() => job.runs.length, POLL).toBe(1);
    expect(job.runs[0]).toMatchObject({ id: "session:1/user 7", payload: { n: 1 }, attempt: 1 });
    expect(job.runs[0]!.atMs).toBeGreaterThanOrEqual(runAtMs - EARLY_TOLERANCE_MS);
    await sleep(200);
    expect(job.runs).toHaveLength(1);
    expect(await jobs.pending("remind")).toEqual([]);
  });

  it("runs a (name, id) scheduled twice once", async () => {
    const job = recorder("remind");
    const other = recorder("timer");
    const jobs = await started(job.definition, other.definition);
    const runAt = new Date(Date.now() + LEAD_MS);
    await jobs.schedule("remind", "42", { n: 1 }, runAt);
    await jobs.schedule("remind", "42", { n: 1 }, runAt);
    // Same id under another name is another job.
    await jobs.schedule("timer", "42", { n: 2 }, runAt);
    expect(await jobs.pending("remind")).toEqual(["42"]);

    await expect.poll(() => job.runs.length + other.runs.length, POLL).toBe(2);
    await sleep(200);
    expect(job.count("42")).toBe(1);
    expect(other.runs).toMatchObject([{ id: "42", payload: { n: 2 } }]);
  });

  it("moves a rescheduled job: it runs once, at the new time with the new payload", async () => {
    const job = recorder("remind");
    const jobs = await started(job.definition);
    const oldRunAtMs = Date.now() + LEAD_MS;
    const newRunAtMs = oldRunAtMs + 400;
    await jobs.schedule("remind", "a", { n: 1 }, new Date(oldRunAtMs));
    await jobs.schedule("remind", "a", { n: 2 }, new Date(newRunAtMs));

    await expect.poll(() => job.runs.length, POLL).toBe(1);
    expect(job.runs[0]!.payload).toEqual({ n: 2 });
    expect(job.runs[0]!.atMs).toBeGreaterThanOrEqual(newRunAtMs - EARLY_TOLERANCE_MS);
    await sleep(200);
    expect(job.runs).toHaveLength(1);
  });

  it("does not run a cancelled job; cancelling an unknown job is a no-op", async () => {
    const job = recorder("remind");
    const jobs = await started(job.definition);
    await jobs.schedule("remind", "cancelled", { n: 1 }, new Date(Date.now() + LEAD_MS));
    await jobs.schedule("remind", "sentinel", { n: 2 }, new Date(Date.now() + LEAD_MS + 200));
    await jobs.cancel("remind", "cancelled");
    await jobs.cancel("remind", "never-scheduled");
    expect(await jobs.pending("remind")).toEqual(["sentinel"]);

    await expect.poll(() => job.count("sentinel"), POLL).toBe(1);
    expect(job.count("cancelled")).toBe(0);
  });

  it("runs a job scheduled in the past (or without a time) now", async () => {
    const job = recorder("remind");
    const jobs = await started(job.definition);
    const scheduledAtMs = Date.now();
    await jobs.schedule("remind", "late", { n: 1 }, new Date(scheduledAtMs - 60_000));
    await jobs.schedule("remind", "now", { n: 2 });

    await expect.poll(() => job.runs.length, POLL).toBe(2);
    // "Now", not a minute late nor after some default delay.
    for (const run of job.runs) expect(run.atMs - scheduledAtMs).toBeLessThan(5_000);
  });

  it("retries a throwing handler with back-off until it succeeds", async () => {
    const attempts: { attempt: number; atMs: number }[] = [];
    const job = recorder("flaky", {
      attempts: 3,
      backoffMs: 50,
      handler: async (_payload, { attempt }) => {
        attempts.push({ attempt, atMs: Date.now() });
        if (attempt < 3) throw new Error(`transient failure ${attempt}`);
      },
    });
    const jobs = await started(job.definition);
    await jobs.schedule("flaky", "x", { n: 1 });

    await expect.poll(() => attempts.length, POLL).toBe(3);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Exponential: 50 ms, then 100 ms.
    expect(attempts[1]!.atMs - attempts[0]!.atMs).toBeGreaterThanOrEqual(50 - EARLY_TOLERANCE_MS);
    expect(attempts[2]!.atMs - attempts[1]!.atMs).toBeGreaterThanOrEqual(100 - EARLY_TOLERANCE_MS);
    await expect.poll(() => jobs.pending("flaky"), POLL).toEqual([]);
    await sleep(200);
    expect(attempts).toHaveLength(3);
  });

  it("gives up after `attempts` runs", async () => {
    let runs = 0;
    const job = recorder("doomed", {
      attempts: 2,
      backoffMs: 20,
      handler: async () => {
        runs += 1;
        throw new Error("permanent failure");
      },
    });
    const jobs = await started(job.definition);
    await jobs.schedule("doomed", "x", { n: 1 });

    await expect.poll(() => runs, POLL).toBe(2);
    await expect.poll(() => jobs.pending("doomed"), POLL).toEqual([]);
    await sleep(300);
    expect(runs).toBe(2);
  });

  it("drops and logs a payload that fails its schema, without running the handler or retrying", async () => {
    const job = recorder("remind");
    const jobs = await started(job.definition);
    const linesBefore = logLines.length;
    await jobs.schedule("remind", "bad", { n: "not a number" });
    await jobs.schedule("remind", "good", { n: 1 }, new Date(Date.now() + 100));

    await expect.poll(() => job.count("good"), POLL).toBe(1);
    await expect.poll(() => jobs.pending("remind"), POLL).toEqual([]);
    await sleep(200);
    expect(job.count("bad")).toBe(0);
    const dropped = logLines
      .slice(linesBefore)
      .map((line) => JSON.parse(line) as { msg: string; job?: { id?: string } })
      .filter((entry) => entry.msg.includes("fails its schema"));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]!.job?.id).toBe("bad");
  });

  it("stop() waits for a running handler", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started_ = false;
    let finished = false;
    const job = recorder("slow", {
      handler: async () => {
        started_ = true;
        await gate;
        finished = true;
      },
    });
    const jobs = await started(job.definition);
    await jobs.schedule("slow", "x", { n: 1 });
    await expect.poll(() => started_, POLL).toBe(true);

    let stopped = false;
    const stopping = jobs.stop().then(() => (stopped = true));
    await sleep(150);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
    await expect(jobs.schedule("slow", "y", { n: 1 })).rejects.toThrow(/stopped/);
  });

  it("ignores a reschedule of a running job: the running one stands", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const payloads: number[] = [];
    const job = recorder("slow", {
      handler: async (payload) => {
        payloads.push(payload.n);
        await gate;
      },
    });
    const jobs = await started(job.definition);
    await jobs.schedule("slow", "x", { n: 1 });
    await expect.poll(() => payloads.length, POLL).toBe(1);
    await jobs.schedule("slow", "x", { n: 2 }, new Date(Date.now() + 50));
    await jobs.cancel("slow", "x");
    release();

    await expect.poll(() => jobs.pending("slow"), POLL).toEqual([]);
    await sleep(300);
    expect(payloads).toEqual([1]);
  });
});

describe("jobs on BullMQ, two workers on one Redis (invariant 8)", () => {
  it("runs each of 50 jobs scheduled by both processes exactly once", async () => {
    const prefix = `${RUN_PREFIX}-cluster`;
    const runsById = new Map<string, string[]>();
    const processes = ["A", "B"].map((label) => {
      const jobs = createBullmqJobs({ connection: { url: TEST_REDIS_URL }, logger, prefix });
      open.push(jobs);
      jobs.define({
        name: "phase-timer",
        schema: Payload,
        handler: async (_payload, { id }) => {
          runsById.set(id, [...(runsById.get(id) ?? []), label]);
        },
      });
      return jobs;
    });
    await Promise.all(processes.map((jobs) => jobs.start()));

    const ids = Array.from({ length: 50 }, (_, i) => `board:${i}`);
    // Far enough ahead that every schedule lands before the first job is due, even on a slow box.
    const runAtMs = Date.now() + 2_000;
    await Promise.all(
      ids.flatMap((id, i) =>
        processes.map((jobs) => jobs.schedule("phase-timer", id, { n: i }, new Date(runAtMs))),
      ),
    );
    const pendingIds = await processes[0]!.pending("phase-timer");
    // A precondition, not the property: a schedule landing after its job ran is a new schedule.
    expect(Date.now(), "the machine was too slow to schedule 100 jobs in 2 s").toBeLessThan(runAtMs);
    expect(pendingIds.sort()).toEqual([...ids].sort());

    await expect.poll(() => runsById.size, POLL).toBe(50);
    await sleep(500);
    for (const id of ids) expect(runsById.get(id), id).toHaveLength(1);
    expect(await processes[1]!.pending("phase-timer")).toEqual([]);
  });
});

describe("jobs on BullMQ while Redis is unreachable", () => {
  it("start() does not wait for Redis and stop() does not hang", async () => {
    const jobs = createBullmqJobs({ connection: { url: "redis://127.0.0.1:1" }, logger });
    jobs.define(recorder("remind").definition);
    await jobs.start();
    await sleep(300);
    const stopStartedMs = Date.now();
    await jobs.stop();
    expect(Date.now() - stopStartedMs).toBeLessThan(2_000);
  });
});
