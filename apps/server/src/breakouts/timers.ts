// Breakout timers as jobs (like the boards' phase timers): the warning, the end of a round and the
// end of the close-all countdown each get a job with a deterministic id (run, kind, deadline), so
// arming twice is harmless and each fires once across the cluster. Jobs are never cancelled: a job
// whose deadline no longer matches the run changes nothing. The runs table is the durable truth,
// from which start-up re-arms every timer.
import { breakoutRuns, inArray, type Db } from "@convivio/db";
import { BreakoutTimerJob, breakoutTimerJobId, JobName } from "@convivio/protocol";
import type { Logger } from "pino";
import type { Jobs } from "../jobs/jobs.js";
import type { RunRow } from "./store.js";

export interface BreakoutTimerHandlers {
  warn(runId: string, at: number): Promise<void>;
  endRound(runId: string, at: number): Promise<void>;
  closeRun(runId: string, at: number): Promise<void>;
}

export class BreakoutTimers {
  constructor(
    private readonly deps: { db: Db; jobs: Jobs; logger: Logger; handlers: () => BreakoutTimerHandlers },
  ) {
    deps.jobs.define<BreakoutTimerJob>({
      name: JobName.breakoutTimer,
      schema: BreakoutTimerJob,
      attempts: 5,
      handler: async (job) => {
        const handlers = deps.handlers();
        if (job.kind === "warn") await handlers.warn(job.runId, job.at);
        else if (job.kind === "end") await handlers.endRound(job.runId, job.at);
        else await handlers.closeRun(job.runId, job.at);
      },
    });
  }

  /** Arms the jobs for whatever deadlines the run has now. Failures are logged: start-up re-arms. */
  async armRun(run: RunRow): Promise<void> {
    const jobs: BreakoutTimerJob[] = [];
    if (run.state === "running") {
      if (run.warnAt) jobs.push({ runId: run.id, kind: "warn", at: run.warnAt.getTime() });
      if (run.endsAt) jobs.push({ runId: run.id, kind: "end", at: run.endsAt.getTime() });
    }
    if (run.state === "closing" && run.closingAt)
      jobs.push({ runId: run.id, kind: "close", at: run.closingAt.getTime() });
    for (const job of jobs) {
      try {
        await this.deps.jobs.schedule(JobName.breakoutTimer, breakoutTimerJobId(job), job, new Date(job.at));
      } catch (err) {
        this.deps.logger.error(
          { err, job },
          "could not arm a breakout timer; it is re-armed at the next start",
        );
      }
    }
  }

  /** Schedules the jobs of every running or closing run. Call after jobs.start(). */
  async rearm(): Promise<number> {
    const runs = await this.deps.db
      .select()
      .from(breakoutRuns)
      .where(inArray(breakoutRuns.state, ["running", "closing"]));
    for (const run of runs) await this.armRun(run);
    return runs.length;
  }
}
