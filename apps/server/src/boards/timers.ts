// Phase timers as jobs (PROTOCOL.md §9, SPEC B8-B9): for every deadline a commit sets, a job with a
// deterministic id (board, phase, deadline), so arming twice is harmless and it fires once across
// the cluster. Jobs are never cancelled: a report that no longer matches the board changes nothing.
// Durable truth is the boards table (`deadline_at`), from which start-up re-arms every timer.
import { boards, isNotNull, type Db } from "@convivio/db";
import type { BoardState } from "@convivio/board";
import {
  BoardTimerJob,
  boardTimerJobId,
  ErrorCode,
  JobName,
  type BoardId,
  type BoardPhase,
} from "@convivio/protocol";
import type { Logger } from "pino";
import type { Clock } from "../auth/clock.js";
import type { Jobs } from "../jobs/jobs.js";
import type { BoardCommands } from "./commands.js";

export interface BoardTimersDeps {
  db: Db;
  jobs: Jobs;
  clock: Clock;
  logger: Logger;
  /** Resolved lazily: the command path is built after the job is defined. */
  commands: () => BoardCommands;
}

/** Codes worth a retry of the job: the database or the process was in trouble, not the board. */
const RETRYABLE: ReadonlySet<string> = new Set([ErrorCode.internal]);

export class BoardTimers {
  constructor(private readonly deps: BoardTimersDeps) {
    deps.jobs.define<BoardTimerJob>({
      name: JobName.boardTimer,
      schema: BoardTimerJob,
      attempts: 5,
      handler: async (job) => {
        // The job is for this deadline: even if it fires a moment early by this clock, it reports
        // at least the deadline; an extended timer has a later deadline and the report is stale.
        const now = Math.max(deps.clock.now().getTime(), job.deadlineAt);
        const ack = await deps.commands().runSystem({
          type: "timerExpired",
          boardId: job.boardId as BoardId,
          phase: job.phase,
          now,
        });
        if (!ack.ok && RETRYABLE.has(ack.code)) throw new Error(`board timer failed: ${ack.code}`);
      },
    });
  }

  /**
   * Arms the job for a deadline the state now has (after a commit); undefined when the commit set
   * none, so the vote path does not wait on anything. Failures are logged: start-up re-arms.
   */
  afterCommit(boardId: BoardId, before: BoardState, after: BoardState): Promise<void> | undefined {
    if (after.deadlineAt === null) return undefined;
    if (after.deadlineAt === before.deadlineAt && after.phase === before.phase) return undefined;
    return this.arm({ boardId, phase: after.phase, deadlineAt: after.deadlineAt });
  }

  async arm(job: { boardId: string; phase: BoardPhase; deadlineAt: number }): Promise<void> {
    try {
      await this.deps.jobs.schedule(JobName.boardTimer, boardTimerJobId(job), job, new Date(job.deadlineAt));
    } catch (err) {
      this.deps.logger.error({ err, job }, "could not arm a board timer; it is re-armed at the next start");
    }
  }

  /** Schedules a job for every running timer in the database. Call after jobs.start(). */
  async rearm(): Promise<number> {
    const rows = await this.deps.db
      .select({ id: boards.id, phase: boards.phase, deadlineAt: boards.deadlineAt })
      .from(boards)
      .where(isNotNull(boards.deadlineAt));
    for (const row of rows) {
      if (row.deadlineAt)
        await this.arm({ boardId: row.id, phase: row.phase, deadlineAt: row.deadlineAt.getTime() });
    }
    return rows.length;
  }
}
