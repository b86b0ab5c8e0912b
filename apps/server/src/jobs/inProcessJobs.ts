import type { Logger } from "pino";
import { systemClock, type Clock } from "../auth/clock.js";
import {
  assertJobKey,
  DEFAULT_JOB_ATTEMPTS,
  DEFAULT_JOB_BACKOFF_MS,
  retryDelayMs,
  type JobDefinition,
  type Jobs,
} from "./jobs.js";

/**
 * setTimeout keeps its delay in a signed 32-bit integer: a longer wait (~24.8 days) fires at once
 * with a TimeoutOverflowWarning. Longer waits are re-armed in steps of at most this.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Handlers of one job name running at once, as BullMQ's worker concurrency (bullmqJobs.ts). Without
 * a bound, 2,000 registrations at once started 2,000 confirmation emails at once, whose queries took
 * the database (one PGlite connection, or the pool) away from the registrations still arriving.
 * Per name, so a board or breakout timer never waits behind a queue of emails.
 */
export const IN_PROCESS_CONCURRENCY = 4;

export interface InProcessJobsOptions {
  logger: Logger;
  clock?: Clock;
  /** Handlers of one name at once (default IN_PROCESS_CONCURRENCY). */
  concurrency?: number;
  /** Longest single timer; only tests lower it. */
  maxTimerMs?: number;
}

interface Entry {
  name: string;
  id: string;
  payload: unknown;
  runAtMs: number;
  /** 1-based number of the next (or current) run. */
  attempt: number;
  running: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * The embedded driver: timers in this process's memory. Pending jobs die with the process; the
 * database is the durable truth the server re-arms from at start-up.
 */
export function createInProcessJobs({
  logger: parentLogger,
  clock = systemClock,
  maxTimerMs = MAX_TIMER_MS,
  concurrency = IN_PROCESS_CONCURRENCY,
}: InProcessJobsOptions): Jobs {
  const logger = parentLogger.child({ component: "jobs", driver: "in-process" });
  const definitions = new Map<string, JobDefinition<unknown>>();
  const entries = new Map<string, Entry>();
  const running = new Set<Promise<void>>();
  /** Handlers running now, by job name. */
  const busy = new Map<string, number>();
  /** Jobs due but waiting for a free slot of their name, oldest first. */
  const ready = new Map<string, Entry[]>();
  let state: "idle" | "started" | "stopping" | "stopped" = "idle";
  let stopping: Promise<void> | undefined;

  // Names cannot contain a space (assertJobKey), so the first space splits the key unambiguously.
  const keyOf = (name: string, id: string) => `${name} ${id}`;
  const nowMs = () => clock.now().getTime();

  function arm(entry: Entry): void {
    const waitMs = Math.min(Math.max(0, entry.runAtMs - nowMs()), maxTimerMs);
    entry.timer = setTimeout(() => fire(entry), waitMs);
    // Pending jobs must not keep a process alive on their own; the server's sockets do that.
    entry.timer.unref();
  }

  function fire(entry: Entry): void {
    entry.timer = undefined;
    if (state !== "started" || entries.get(keyOf(entry.name, entry.id)) !== entry) return;
    // A long wait was cut into steps, or the timer ran a millisecond early by the wall clock.
    if (entry.runAtMs > nowMs()) {
      arm(entry);
      return;
    }
    if ((busy.get(entry.name) ?? 0) >= concurrency) {
      const waiting = ready.get(entry.name) ?? [];
      waiting.push(entry);
      ready.set(entry.name, waiting);
      return;
    }
    begin(entry);
  }

  function begin(entry: Entry): void {
    entry.running = true;
    busy.set(entry.name, (busy.get(entry.name) ?? 0) + 1);
    const run = execute(entry).finally(() => {
      running.delete(run);
      busy.set(entry.name, (busy.get(entry.name) ?? 1) - 1);
      next(entry.name);
    });
    running.add(run);
  }

  /** Starts the oldest waiting job of `name` that is still the current schedule of its id. */
  function next(name: string): void {
    if (state !== "started") return;
    const waiting = ready.get(name);
    while (waiting && waiting.length > 0 && (busy.get(name) ?? 0) < concurrency) {
      const entry = waiting.shift()!;
      // Cancelled or rescheduled while it waited: that schedule is gone.
      if (entries.get(keyOf(entry.name, entry.id)) !== entry || entry.running || entry.timer) continue;
      begin(entry);
    }
    if (waiting?.length === 0) ready.delete(name);
  }

  async function execute(entry: Entry): Promise<void> {
    const key = keyOf(entry.name, entry.id);
    const job = { name: entry.name, id: entry.id, attempt: entry.attempt };
    const definition = definitions.get(entry.name);
    if (!definition) {
      logger.error({ job }, "no handler defined for job; dropped");
      entries.delete(key);
      return;
    }
    const parsed = definition.schema.safeParse(entry.payload);
    if (!parsed.success) {
      logger.warn({ job, issues: parsed.error.issues }, "job payload fails its schema; dropped");
      entries.delete(key);
      return;
    }
    try {
      await definition.handler(parsed.data, { id: entry.id, attempt: entry.attempt });
      entries.delete(key);
    } catch (err) {
      const attempts = definition.attempts ?? DEFAULT_JOB_ATTEMPTS;
      if (entry.attempt >= attempts) {
        logger.error({ job, err }, "job failed; no attempts left");
        entries.delete(key);
        return;
      }
      const delayMs = retryDelayMs(definition.backoffMs ?? DEFAULT_JOB_BACKOFF_MS, entry.attempt);
      logger.warn({ job, err, retryInMs: delayMs }, "job failed; will retry");
      entry.attempt += 1;
      entry.runAtMs = nowMs() + delayMs;
      entry.running = false;
      if (state === "started") arm(entry);
    }
  }

  return {
    driver: "in-process",

    define(definition) {
      assertJobKey(definition.name);
      if (state !== "idle") throw new Error(`job ${definition.name} defined after start()`);
      if (definitions.has(definition.name)) throw new Error(`job ${definition.name} defined twice`);
      definitions.set(definition.name, definition as JobDefinition<unknown>);
    },

    async schedule(name, id, payload, runAt) {
      assertJobKey(name, id);
      if (state === "stopped") throw new Error("jobs stopped");
      const key = keyOf(name, id);
      const existing = entries.get(key);
      if (existing?.running) {
        logger.warn({ job: { name, id } }, "job is running; schedule ignored");
        return;
      }
      if (existing?.timer) clearTimeout(existing.timer);
      const entry: Entry = {
        name,
        id,
        // The same JSON round trip BullMQ does, so a payload that only works in memory fails here too.
        payload: payload === undefined ? undefined : JSON.parse(JSON.stringify(payload)),
        runAtMs: runAt ? runAt.getTime() : nowMs(),
        attempt: 1,
        running: false,
      };
      entries.set(key, entry);
      if (state === "started") arm(entry);
    },

    async cancel(name, id) {
      assertJobKey(name, id);
      const key = keyOf(name, id);
      const existing = entries.get(key);
      if (!existing || existing.running) return;
      if (existing.timer) clearTimeout(existing.timer);
      entries.delete(key);
    },

    async pending(name) {
      assertJobKey(name);
      return [...entries.values()].filter((e) => e.name === name && !e.running).map((e) => e.id);
    },

    async start() {
      if (state !== "idle") return;
      state = "started";
      for (const entry of entries.values()) arm(entry);
    },

    stop() {
      stopping ??= (async () => {
        state = "stopping";
        for (const entry of entries.values()) {
          if (entry.timer) clearTimeout(entry.timer);
          entry.timer = undefined;
        }
        await Promise.allSettled([...running]);
        state = "stopped";
        logger.debug({ droppedPending: entries.size }, "jobs stopped");
      })();
      return stopping;
    },
  };
}
