// Calls for a facilitator. A participant asks for help (one open call per person and run); the
// session's facilitators see every open call and the caller sees their own, until a facilitator
// answers it or it lapses: a call made at a table lapses when the round moves on (that table is no
// longer the caller's), every call when the tables close. Each change reaches both sides over the
// live connection, and (re)joining sends the open calls again, so a reload forgets nothing.
import { randomUUID } from "node:crypto";
import { and, breakoutCalls, eq, isNotNull, isNull, type Db } from "@convivio/db";
import { ErrorCode, type FacilitatorCall } from "@convivio/protocol";
import type { Clock } from "../auth/clock.js";
import { HttpError } from "../http/problem.js";
import type { BreakoutNotifier } from "./notify.js";
import { openCalls, seatingOf, type Executor } from "./store.js";

export class BreakoutCalls {
  constructor(private readonly deps: { db: Db; clock: Clock; notifier: () => BreakoutNotifier }) {}

  /** A participant calls; calling again while waiting changes nothing. */
  async call(userId: string, sessionId: string, runId: string, message: string | null): Promise<void> {
    const { db, clock } = this.deps;
    const [existing] = await db
      .select({ id: breakoutCalls.id })
      .from(breakoutCalls)
      .where(
        and(
          eq(breakoutCalls.runId, runId),
          eq(breakoutCalls.userId, userId),
          isNull(breakoutCalls.resolvedAt),
        ),
      );
    if (!existing) {
      const seating = await seatingOf(db, runId);
      await db.insert(breakoutCalls).values({
        id: randomUUID(),
        runId,
        tableId: seating[userId] ?? null,
        userId,
        message,
        createdAt: clock.now(),
      });
    }
    const calls = await this.open(runId);
    this.deps.notifier().calls(sessionId, calls);
    this.deps.notifier().myCall(userId, { sessionId, call: calls.find((c) => c.userId === userId) ?? null });
  }

  /**
   * A facilitator answered a call: it leaves their list, and the caller is told. A call already over
   * (another facilitator answered first, or it lapsed) keeps who closed it and when; answering it
   * again is not an error, since two facilitators may well click at once.
   */
  async resolve(byUserId: string, sessionId: string, runId: string, callId: string): Promise<void> {
    const { db, clock } = this.deps;
    const ofRun = and(eq(breakoutCalls.id, callId), eq(breakoutCalls.runId, runId));
    const [resolved] = await db
      .update(breakoutCalls)
      .set({ resolvedAt: clock.now(), resolvedBy: byUserId })
      .where(and(ofRun, isNull(breakoutCalls.resolvedAt)))
      .returning({ userId: breakoutCalls.userId });
    if (resolved) return this.lapsed(sessionId, runId, [resolved.userId]);
    const [over] = await db.select({ id: breakoutCalls.id }).from(breakoutCalls).where(ofRun);
    if (!over) throw new HttpError(ErrorCode.notFound);
  }

  /**
   * Inside the transaction that moves a run on: closes its open calls (only those made at a table,
   * unless `all`) and returns who had called, for `lapsed` after the commit.
   */
  async lapse(tx: Executor, runId: string, at: Date, all: boolean): Promise<string[]> {
    const rows = await tx
      .update(breakoutCalls)
      .set({ resolvedAt: at })
      .where(
        and(
          eq(breakoutCalls.runId, runId),
          isNull(breakoutCalls.resolvedAt),
          ...(all ? [] : [isNotNull(breakoutCalls.tableId)]),
        ),
      )
      .returning({ userId: breakoutCalls.userId });
    return rows.map((r) => r.userId);
  }

  /** After calls were answered or lapsed: the facilitators get the open calls, each caller a null. */
  async lapsed(sessionId: string, runId: string, callers: readonly string[]): Promise<void> {
    if (callers.length === 0) return;
    const calls = await this.open(runId);
    const notifier = this.deps.notifier();
    notifier.calls(sessionId, calls);
    for (const userId of new Set(callers)) {
      notifier.myCall(userId, { sessionId, call: calls.find((c) => c.userId === userId) ?? null });
    }
  }

  /** The run's open calls, oldest first. */
  async open(runId: string): Promise<FacilitatorCall[]> {
    return (await openCalls(this.deps.db, runId)).map((c) => ({
      id: c.id,
      userId: c.userId,
      name: c.name,
      tableId: c.tableId,
      tableNumber: c.tableNumber,
      message: c.message,
      at: c.at.toISOString(),
    }));
  }

  /** What a (re)joining person gets: every open call for a facilitator (none for anyone else), and their own. */
  async seen(
    runId: string | null,
    userId: string,
    facilitator: boolean,
  ): Promise<{ calls: FacilitatorCall[]; myCall: FacilitatorCall | null }> {
    const calls = runId ? await this.open(runId) : [];
    return {
      calls: facilitator ? calls : [],
      myCall: calls.find((c) => c.userId === userId) ?? null,
    };
  }
}
