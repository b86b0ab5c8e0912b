import { settleWithin } from "../ops/settleWithin.js";
import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import {
  assertJobKey,
  DEFAULT_JOB_ATTEMPTS,
  DEFAULT_JOB_BACKOFF_MS,
  type JobDefinition,
  type Jobs,
} from "./jobs.js";

export interface BullmqJobsOptions {
  connection: { url: string };
  logger: Logger;
  /** Redis key prefix; processes with the same prefix share their jobs (default "convivio"). */
  prefix?: string;
  /** Handlers of one job name a process runs at once (default 4). */
  concurrency?: number;
}

/** Job data as stored: the payload wrapped, so an `undefined` payload survives JSON. */
interface Envelope {
  payload?: unknown;
}

const PENDING_STATES = ["delayed", "waiting", "prioritized"] as const;
// Failed jobs stay a week for inspection; they never block a reschedule (schedule removes first).
const FAILED_RETENTION = { age: 7 * 24 * 3600, count: 1000 };
const JOB_ID_PREFIX = "j_";
// After the handlers finish, how long stop() lets BullMQ record their results and end its loops: a
// few round trips when Redis is up; when it is down they would wait forever (see stop()).
const CLOSE_WAIT_MS = 5_000;

/**
 * BullMQ rejects custom ids containing ':' (its key separator) and ids that read as integers (its
 * own ids). encodeURIComponent escapes ':' and '%', and the prefix makes every id non-numeric; the
 * mapping is one-to-one, so `decodeJobId` gives the caller's id back.
 */
function encodeJobId(id: string): string {
  return JOB_ID_PREFIX + encodeURIComponent(id);
}

function decodeJobId(jobId: string): string {
  return decodeURIComponent(jobId.slice(JOB_ID_PREFIX.length));
}

/**
 * The cluster driver. One BullMQ queue per job name (a queue name is a job name) and, after
 * start(), one worker per defined name: a slow kind of job (exports) cannot hold up another
 * (phase timers), `pending(name)` reads one queue, and a process only pulls the jobs it can run.
 * Every queue and worker shares one Redis connection; each worker adds its own blocking one.
 *
 * (name, id) is the BullMQ job id, so Redis holds at most one job per (name, id) across the cluster,
 * and BullMQ's lock gives each run to exactly one worker. Rescheduling is remove-then-add of that id:
 * - two processes scheduling at once end with one job (add of an existing id is a no-op);
 * - a job that is active (locked) cannot be removed: the schedule is ignored and the running one
 *   stands, which is also what the in-process driver does;
 * - completed jobs are removed at once, so a later schedule of the same id runs again.
 */
export function createBullmqJobs({
  connection: { url },
  logger: parentLogger,
  prefix = "convivio",
  concurrency = 4,
}: BullmqJobsOptions): Jobs {
  const logger = parentLogger.child({ component: "jobs", driver: "bullmq" });
  // BullMQ's blocking commands need maxRetriesPerRequest null: commands wait for a reconnect.
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectionName: "convivio-jobs" });
  redis.on("error", (err: Error) => logger.warn({ err: err.message }, "jobs redis connection error"));

  const definitions = new Map<string, JobDefinition<unknown>>();
  const queues = new Map<string, Queue<Envelope>>();
  const workers: Worker<Envelope>[] = [];
  const running = new Set<Promise<void>>();
  let state: "idle" | "started" | "stopping" | "stopped" = "idle";
  let stopping: Promise<void> | undefined;

  function queueFor(name: string): Queue<Envelope> {
    let queue = queues.get(name);
    if (!queue) {
      if (state === "stopped") throw new Error("jobs stopped");
      queue = new Queue<Envelope>(name, { connection: redis, prefix });
      queue.on("error", (err) => logger.warn({ err: err.message, queue: name }, "jobs queue error"));
      queues.set(name, queue);
    }
    return queue;
  }

  function run(definition: JobDefinition<unknown>, job: Job<Envelope>): Promise<void> {
    const handled = handle(definition, job).finally(() => running.delete(handled));
    running.add(handled);
    return handled;
  }

  async function handle(definition: JobDefinition<unknown>, job: Job<Envelope>): Promise<void> {
    const id = decodeJobId(job.id ?? "");
    // attemptsMade counts failed runs before this one.
    const attempt = job.attemptsMade + 1;
    const ref = { name: definition.name, id, attempt };
    const data: unknown = job.data;
    const payload = typeof data === "object" && data !== null ? (data as Envelope).payload : undefined;
    const parsed = definition.schema.safeParse(payload);
    if (!parsed.success) {
      // Returning (not throwing) completes the job: a retry cannot fix a payload.
      logger.warn({ job: ref, issues: parsed.error.issues }, "job payload fails its schema; dropped");
      return;
    }
    try {
      await definition.handler(parsed.data, { id, attempt });
    } catch (err) {
      const attempts = job.opts.attempts ?? 1;
      if (attempt >= attempts) logger.error({ job: ref, err }, "job failed; no attempts left");
      else logger.warn({ job: ref, err }, "job failed; will retry");
      throw err;
    }
  }

  return {
    driver: "bullmq",

    define(definition) {
      assertJobKey(definition.name);
      if (state !== "idle") throw new Error(`job ${definition.name} defined after start()`);
      if (definitions.has(definition.name)) throw new Error(`job ${definition.name} defined twice`);
      definitions.set(definition.name, definition as JobDefinition<unknown>);
    },

    async schedule(name, id, payload, runAt) {
      assertJobKey(name, id);
      if (state === "stopped") throw new Error("jobs stopped");
      const queue = queueFor(name);
      const jobId = encodeJobId(id);
      // 0 means the job is locked by a worker right now (1 if removed or absent).
      if ((await queue.remove(jobId)) === 0) {
        logger.warn({ job: { name, id } }, "job is running; schedule ignored");
        return;
      }
      // A process that did not define the job (none today) schedules it with the defaults.
      const definition = definitions.get(name);
      await queue.add(
        name,
        { payload },
        {
          jobId,
          delay: runAt ? Math.max(0, runAt.getTime() - Date.now()) : 0,
          attempts: definition?.attempts ?? DEFAULT_JOB_ATTEMPTS,
          backoff: { type: "exponential", delay: definition?.backoffMs ?? DEFAULT_JOB_BACKOFF_MS },
          removeOnComplete: true,
          removeOnFail: FAILED_RETENTION,
        },
      );
    },

    async cancel(name, id) {
      assertJobKey(name, id);
      if (state === "stopped") throw new Error("jobs stopped");
      // A running job cannot be removed (0); like the in-process driver, it finishes.
      await queueFor(name).remove(encodeJobId(id));
    },

    async pending(name) {
      assertJobKey(name);
      // getRanges reads two entries per state unless given the whole range (0, -1).
      const ids = await queueFor(name).getRanges([...PENDING_STATES], 0, -1, true);
      return ids.map(decodeJobId);
    },

    async start() {
      if (state !== "idle") return;
      state = "started";
      for (const definition of definitions.values()) {
        const worker = new Worker<Envelope>(definition.name, (job) => run(definition, job), {
          connection: redis,
          prefix,
          concurrency,
        });
        worker.on("error", (err) =>
          logger.warn({ err: err.message, queue: definition.name }, "jobs worker error"),
        );
        workers.push(worker);
      }
      // Not awaiting readiness: the server starts (and reports not ready) while Redis is down.
    },

    stop() {
      stopping ??= (async () => {
        state = "stopping";
        // Workers take no new job from here; queues stay open so running handlers can schedule.
        const closed = Promise.allSettled(workers.map((worker) => worker.close()));
        await Promise.allSettled([...running]);
        // worker.close() also waits for BullMQ's own commands, which never settle while Redis is
        // down (maxRetriesPerRequest null), so shutdown would hang: the wait is bounded, and none
        // if Redis is down. Disconnecting below rejects whatever is left; a result that was not
        // recorded makes its job stall, and it runs again on another worker.
        const waitMs = redis.status === "ready" ? CLOSE_WAIT_MS : 0;
        await settleWithin(closed, waitMs);
        await settleWithin(Promise.allSettled([...queues.values()].map((q) => q.close())), waitMs);
        state = "stopped";
        // disconnect, not quit: quit waits for a reply that never comes while Redis is down.
        redis.disconnect();
      })();
      return stopping;
    },
  };
}
