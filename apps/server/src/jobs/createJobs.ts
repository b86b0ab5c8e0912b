import type { Logger } from "pino";
import { createInProcessJobs } from "./inProcessJobs.js";
import type { Jobs } from "./jobs.js";

export interface CreateJobsOptions {
  /** Set in cluster mode: jobs go to BullMQ on this Redis; otherwise they stay in this process. */
  redisUrl?: string | undefined;
  logger: Logger;
  /** Redis key prefix (BullMQ only). */
  prefix?: string;
}

/** Picks the jobs driver: BullMQ when Redis is configured, in-process otherwise. */
export async function createJobs({ redisUrl, logger, prefix }: CreateJobsOptions): Promise<Jobs> {
  if (redisUrl) {
    // Imported only in cluster mode: bullmq takes about a second to load on a small, busy machine,
    // which the embedded default should not pay at every start.
    const { createBullmqJobs } = await import("./bullmqJobs.js");
    return createBullmqJobs({ connection: { url: redisUrl }, logger, ...(prefix ? { prefix } : {}) });
  }
  return createInProcessJobs({ logger });
}
