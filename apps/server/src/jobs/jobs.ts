import type { z } from "zod";

/**
 * The jobs port: deferred work (emails, reminders, timers, clean-up) behind one interface, with an
 * in-process driver by default and BullMQ on Redis in cluster mode.
 *
 * Rules every driver keeps (the contract suite checks them on both):
 * - A job is identified by (name, id). Scheduling the same (name, id) again is harmless: it replaces
 *   the pending one (new runAt and payload), so a moved session moves its reminder, and a job fires
 *   once per schedule however many processes schedule it.
 * - `cancel(name, id)` removes a pending job; cancelling an unknown job is a no-op.
 * - A handler's payload is parsed with the job's protocol schema before it runs; a payload that
 *   fails its schema is dropped and logged, never retried.
 * - A handler that throws is retried with back-off up to `attempts` times; throw only when a retry
 *   can help.
 * - `stop()` stops taking new work and waits for running handlers to finish.
 *
 * Edges both drivers share, so embedded mode behaves like the cluster:
 * - `schedule` and `cancel` do not touch a handler that is already running (on any process): the
 *   running one stands, a reschedule of it is ignored (and logged). A handler that re-arms itself
 *   must use a new id (put the target time or a sequence number in it).
 * - A schedule that arrives after the job ran is a new schedule and runs again; handlers stay
 *   idempotent against the database, which is the durable truth re-armed from at start-up.
 * - Payloads travel as JSON (a Date arrives as a string), in-process too.
 * - Names are `[A-Za-z0-9._-]` (a BullMQ queue name); ids are any non-empty string.
 */
export interface JobDefinition<T> {
  name: string;
  schema: z.ZodType<T>;
  handler: (payload: T, job: { id: string; attempt: number }) => Promise<void>;
  /** Runs in all, first one included (default 3). */
  attempts?: number;
  /** Wait before the first retry; doubles on each further one (default 1 s). */
  backoffMs?: number;
}

export interface Jobs {
  readonly driver: "in-process" | "bullmq";
  /** Registers a handler; call before start(). */
  define<T>(definition: JobDefinition<T>): void;
  /** Schedules (or reschedules) job (name, id) to run at `runAt` (now if omitted or past). */
  schedule(name: string, id: string, payload: unknown, runAt?: Date): Promise<void>;
  cancel(name: string, id: string): Promise<void>;
  /** Pending job ids of one name, for tests and the start-up re-arm. */
  pending(name: string): Promise<string[]>;
  start(): Promise<void>;
  /** Idempotent. Scheduling after stop() has resolved throws. */
  stop(): Promise<void>;
}

export const DEFAULT_JOB_ATTEMPTS = 3;
export const DEFAULT_JOB_BACKOFF_MS = 1_000;

const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Throws on a name a BullMQ queue cannot carry or an empty id: both are programming errors. */
export function assertJobKey(name: string, id?: string): void {
  if (!JOB_NAME.test(name)) throw new Error(`invalid job name ${JSON.stringify(name)}`);
  if (id !== undefined && id.length === 0) throw new Error(`empty job id for ${name}`);
}

/** Wait before retrying after failed run number `attempt` (1-based), as BullMQ's "exponential". */
export function retryDelayMs(backoffMs: number, attempt: number): number {
  return Math.round(backoffMs * 2 ** (attempt - 1));
}
