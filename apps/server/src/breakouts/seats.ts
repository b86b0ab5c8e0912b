// One person's side of the breakouts: arriving (a latecomer is seated, at the table they signed up
// for while it has a seat), their own view (the public state, their seat and a token for its room),
// and who may be at a table (its chat, its media tokens; its board asks the same rule, tablePlace.ts).
import { and, breakoutSignups, breakoutTables, eq, type Db } from "@convivio/db";
import {
  ErrorCode,
  type BreakoutAssignment,
  type FacilitatorCall,
  type MediaTokenResponse,
  type MyBreakout,
  type User,
} from "@convivio/protocol";
import type { Clock } from "../auth/clock.js";
import { HttpError } from "../http/problem.js";
import { seatLatecomers } from "./assign.js";
import type { BreakoutCalls } from "./calls.js";
import type { BreakoutNotifier } from "./notify.js";
import {
  activeRun,
  asSeats,
  publicState,
  runById,
  seatingOf,
  sessionContext,
  sitDown,
  tableRef,
  tablesOf,
  type Executor,
  type RunRow,
  type SessionContext,
} from "./store.js";
import type { TableMedia } from "./tableMedia.js";
import { placeAt } from "./tablePlace.js";

export interface BreakoutSeatsDeps {
  db: Db;
  clock: Clock;
  media: TableMedia;
  calls: BreakoutCalls;
  notifier: () => BreakoutNotifier;
}

/** The table a person signed up for before the session, if any. */
async function signUpOf(db: Executor, sessionId: string, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ tableId: breakoutSignups.tableId })
    .from(breakoutSignups)
    .where(and(eq(breakoutSignups.sessionId, sessionId), eq(breakoutSignups.userId, userId)));
  return row?.tableId ?? null;
}

export class BreakoutSeats {
  constructor(private readonly deps: BreakoutSeatsDeps) {}

  /**
   * Someone (re)joins the session's breakouts. A participant arriving while tables are open is
   * seated as the opening would have seated them: at the table they signed up for while it has a
   * seat ("from sign-ups", and "topic" for those who signed up), else at the least-full table
   * ("topic" without a sign-up: they choose; "manual": a facilitator moves them). Answers their
   * view and the open calls they may see.
   */
  async arrive(
    user: User,
    ctx: SessionContext,
  ): Promise<{ breakout: MyBreakout; calls: FacilitatorCall[]; myCall: FacilitatorCall | null }> {
    let reason: BreakoutAssignment["reason"] = "current";
    if (ctx.role === "participant") {
      const run = await activeRun(this.deps.db, ctx.sessionId);
      if (run && (run.state === "open" || run.state === "running") && run.strategy !== "manual") {
        if (await this.seatLatecomer(run, user.id)) {
          reason = "latecomer";
          this.deps.notifier().state(await publicState(this.deps.db, ctx.sessionId));
        }
      }
    }
    const breakout = await this.mine(user, ctx, reason);
    const seen = await this.deps.calls.seen(breakout.state.runId, user.id, ctx.role === "facilitator");
    return { breakout, ...seen };
  }

  /** Seats one latecomer under the run's lock; the table, or null when they stay in the plenary. */
  private async seatLatecomer(run: RunRow, userId: string): Promise<string | null> {
    const now = this.deps.clock.now();
    return this.deps.db.transaction(async (tx) => {
      const locked = await runById(tx, run.id, true);
      if (!locked || locked.state === "closed" || locked.state === "closing") return null;
      const seating = await seatingOf(tx, run.id);
      if (seating[userId]) return null;
      const byChoice = locked.strategy === "registrations" || locked.strategy === "topic";
      const wish = byChoice ? await signUpOf(tx, locked.sessionId, userId) : null;
      if (locked.strategy === "topic" && wish === null) return null;
      const seats = asSeats(await tablesOf(tx, run.id));
      const wishes = new Map(wish ? [[userId, wish]] : []);
      const tableId = seatLatecomers(seats, seating, [userId], wishes)[userId] ?? null;
      if (tableId) await sitDown(tx, locked, [{ userId, tableId, reason: "latecomer" }], now);
      return tableId;
    });
  }

  /** The caller's view: the public state and their seat, with a token for its room. */
  async mine(
    user: User,
    ctx: SessionContext,
    reason: BreakoutAssignment["reason"] = "current",
  ): Promise<MyBreakout> {
    const state = await publicState(this.deps.db, ctx.sessionId);
    const seating = state.runId ? await seatingOf(this.deps.db, state.runId) : {};
    const tableId = seating[user.id] ?? null;
    return {
      state,
      assignment: await this.assignmentFor(user, ctx.sessionId, state.runId, tableId, reason, state.round),
    };
  }

  private async assignmentFor(
    user: { id: string; name: string },
    sessionId: string,
    runId: string | null,
    tableId: string | null,
    reason: BreakoutAssignment["reason"],
    round: number,
  ): Promise<BreakoutAssignment> {
    const none = { sessionId, runId, table: null, round, media: null, reason };
    if (!tableId) return none;
    const [table] = await this.deps.db.select().from(breakoutTables).where(eq(breakoutTables.id, tableId));
    if (!table) return none;
    return {
      sessionId,
      runId,
      table: tableRef(table),
      round,
      media: await this.deps.media.token(user, table, "attendee", false),
      reason,
    };
  }

  /**
   * Who may be at a table (table chat, table media tokens): its open seat holders and the session's
   * facilitators, while the table is open.
   */
  async mayBeAt(sessionId: string, tableId: string, userId: string): Promise<boolean> {
    const { db } = this.deps;
    const [table] = await db
      .select()
      .from(breakoutTables)
      .where(and(eq(breakoutTables.id, tableId), eq(breakoutTables.sessionId, sessionId)));
    if (!table || table.status !== "open" || !table.runId) return false;
    const ctx = await sessionContext(db, sessionId, userId).catch(() => null);
    if (!ctx) return false;
    if (ctx.role === "facilitator") return true;
    // The same rule as the table's board (boards/access.ts).
    return (await placeAt(db, tableId, userId)) === "seated";
  }

  /** The media-token route's table branch: only one's own table, unless a facilitator (who may join hidden). */
  async tokenForRoute(
    user: User,
    sessionId: string,
    tableId: string,
    hidden: boolean,
  ): Promise<MediaTokenResponse> {
    const ctx = await sessionContext(this.deps.db, sessionId, user.id);
    if (hidden && ctx.role !== "facilitator") throw new HttpError(ErrorCode.forbidden);
    if (!(await this.mayBeAt(sessionId, tableId, user.id))) throw new HttpError(ErrorCode.forbidden);
    const [table] = await this.deps.db.select().from(breakoutTables).where(eq(breakoutTables.id, tableId));
    const token = await this.deps.media.token(
      user,
      table!,
      ctx.role === "facilitator" ? "facilitator" : "attendee",
      hidden,
    );
    if (!token) throw new HttpError(ErrorCode.mediaNotConfigured);
    await this.deps.media.ensure([table!]);
    return token;
  }
}
