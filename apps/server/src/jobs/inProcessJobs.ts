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

export interface InProcessJobsOptions {
  logger: Logger;
  clock?: Clock;
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
}: InProcessJobsOptions): Jobs {
  const logger = parentLogger.child({ component: "jobs", driver: "in-process" });
  const definitions = new Map<string, JobDefinition<unknown>>();
  const entries = new Map<string, Entry>();
  const running = new Set<Promise<void>>();
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
    entry.running = true;
    const run = execute(entry).finally(() => running.delete(run));
    running.add(run);
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
