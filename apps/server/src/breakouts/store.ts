// Reads and small writes of the breakout tables shared by the commands, the timers and the views.
// Every function takes the executor it runs on, so commands can call them inside their transaction.
import {
  agendaSessions,
  and,
  asc,
  breakoutAssignments,
  breakoutCalls,
  breakoutRuns,
  breakoutTables,
  desc,
  eq,
  events,
  isNull,
  ne,
  users,
  type Db,
  type Tx,
} from "@convivio/db";
import { ErrorCode, type BreakoutPublicState, type TableRef, type TableSummary } from "@convivio/protocol";
import { tableRoom } from "../media/roomNames.js";
import { HttpError } from "../http/problem.js";
import { boardRoleIn } from "../boards/access.js";
import type { Seat, Seating } from "./assign.js";

export type Executor = Db | Tx;
export type RunRow = typeof breakoutRuns.$inferSelect;
export type TableRow = typeof breakoutTables.$inferSelect;
export type SessionRole = "facilitator" | "participant";

export interface SessionContext {
  sessionId: string;
  eventId: string;
  visibility: "draft" | "unlisted" | "public";
  role: SessionRole;
}

/** The caller's role in the session, or a refusal: 404 for no such session (or a hidden draft), 403 otherwise. */
export async function sessionContext(
  db: Executor,
  sessionId: string,
  userId: string,
): Promise<SessionContext> {
  const [row] = await db
    .select({ eventId: events.id, visibility: events.visibility })
    .from(agendaSessions)
    .innerJoin(events, eq(events.id, agendaSessions.eventId))
    .where(eq(agendaSessions.id, sessionId));
  if (!row) throw new HttpError(ErrorCode.notFound);
  const role = await boardRoleIn(db as Db, { id: row.eventId, visibility: row.visibility }, userId);
  if (!role) throw new HttpError(row.visibility === "draft" ? ErrorCode.notFound : ErrorCode.forbidden);
  return { sessionId, eventId: row.eventId, visibility: row.visibility, role };
}

/**
 * The run in use (not closed), locked for the transaction when `lock` is set: `"share"` lets other
 * readers in but holds back a change of the run (close-all) until the transaction ends.
 */
export async function activeRun(
  db: Executor,
  sessionId: string,
  lock: boolean | "share" = false,
): Promise<RunRow | undefined> {
  const query = db
    .select()
    .from(breakoutRuns)
    .where(and(eq(breakoutRuns.sessionId, sessionId), ne(breakoutRuns.state, "closed")));
  const [row] = lock === "share" ? await query.for("share") : lock ? await query.for("update") : await query;
  return row;
}

export async function runById(db: Executor, runId: string, lock = false): Promise<RunRow | undefined> {
  const query = db.select().from(breakoutRuns).where(eq(breakoutRuns.id, runId));
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

/** The run in use, or else the latest one (whose boards a roll-up reads). */
export async function latestRun(db: Executor, sessionId: string): Promise<RunRow | undefined> {
  const [row] = await db
    .select()
    .from(breakoutRuns)
    .where(eq(breakoutRuns.sessionId, sessionId))
    .orderBy(desc(breakoutRuns.createdAt), desc(breakoutRuns.id))
    .limit(1);
  return row;
}

export async function tablesOf(db: Executor, runId: string): Promise<TableRow[]> {
  return db
    .select()
    .from(breakoutTables)
    .where(eq(breakoutTables.runId, runId))
    .orderBy(asc(breakoutTables.number));
}

/** Who sits where now in a run. */
export async function seatingOf(db: Executor, runId: string): Promise<Seating> {
  const rows = await db
    .select({ userId: breakoutAssignments.userId, tableId: breakoutAssignments.tableId })
    .from(breakoutAssignments)
    .where(and(eq(breakoutAssignments.runId, runId), isNull(breakoutAssignments.untilAt)));
  return Object.fromEntries(rows.map((r) => [r.userId, r.tableId]));
}

/** The table one person sits at now in a run, or null. */
export async function seatOf(db: Executor, runId: string, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ tableId: breakoutAssignments.tableId })
    .from(breakoutAssignments)
    .where(
      and(
        eq(breakoutAssignments.runId, runId),
        eq(breakoutAssignments.userId, userId),
        isNull(breakoutAssignments.untilAt),
      ),
    );
  return row?.tableId ?? null;
}

/** The open seats with their start and the person's name (the facilitators' overview). */
export async function seatsWithPeople(db: Executor, runId: string) {
  return db
    .select({
      userId: breakoutAssignments.userId,
      tableId: breakoutAssignments.tableId,
      since: breakoutAssignments.sinceAt,
      name: users.name,
    })
    .from(breakoutAssignments)
    .innerJoin(users, eq(users.id, breakoutAssignments.userId))
    .where(and(eq(breakoutAssignments.runId, runId), isNull(breakoutAssignments.untilAt)))
    .orderBy(asc(breakoutAssignments.sinceAt), asc(users.name));
}

/** Ends the open seat of one person (or of everyone, without `userId`); returns who was seated. */
export async function standUp(db: Executor, runId: string, at: Date, userId?: string): Promise<string[]> {
  const rows = await db
    .update(breakoutAssignments)
    .set({ untilAt: at })
    .where(
      and(
        eq(breakoutAssignments.runId, runId),
        isNull(breakoutAssignments.untilAt),
        ...(userId ? [eq(breakoutAssignments.userId, userId)] : []),
      ),
    )
    .returning({ userId: breakoutAssignments.userId });
  return rows.map((r) => r.userId);
}

export interface NewSeat {
  userId: string;
  tableId: string;
  reason: string;
  movedBy?: string | null;
}

export async function sitDown(db: Executor, run: RunRow, seats: NewSeat[], at: Date): Promise<void> {
  if (seats.length === 0) return;
  await db.insert(breakoutAssignments).values(
    seats.map((s) => ({
      runId: run.id,
      tableId: s.tableId,
      userId: s.userId,
      round: run.round,
      sinceAt: at,
      reason: s.reason,
      movedBy: s.movedBy ?? null,
    })),
  );
}

export async function openCalls(db: Executor, runId: string) {
  return db
    .select({
      id: breakoutCalls.id,
      userId: breakoutCalls.userId,
      name: users.name,
      tableId: breakoutCalls.tableId,
      tableNumber: breakoutTables.number,
      message: breakoutCalls.message,
      at: breakoutCalls.createdAt,
    })
    .from(breakoutCalls)
    .innerJoin(users, eq(users.id, breakoutCalls.userId))
    .leftJoin(breakoutTables, eq(breakoutTables.id, breakoutCalls.tableId))
    .where(and(eq(breakoutCalls.runId, runId), isNull(breakoutCalls.resolvedAt)))
    .orderBy(asc(breakoutCalls.createdAt));
}

export const asSeats = (tables: readonly TableRow[]): Seat[] =>
  tables.filter((t) => t.status === "open").map((t) => ({ id: t.id, seats: t.seats, hostId: t.hostId }));

export function tableRef(table: TableRow): TableRef {
  return {
    id: table.id,
    number: table.number,
    topic: table.topic,
    boardId: table.boardId,
    room: tableRoom(table.sessionId, table.id),
  };
}

export function summaryOf(table: TableRow, seating: Seating): TableSummary {
  return summaryWithCount(table, Object.values(seating).filter((id) => id === table.id).length);
}

export function summaryWithCount(table: TableRow, count: number): TableSummary {
  return {
    id: table.id,
    number: table.number,
    topic: table.topic,
    seats: table.seats,
    hostId: table.hostId,
    boardId: table.boardId,
    status: table.status,
    count,
  };
}

/** What everyone in the session may know: the run in use, its tables and how full they are. */
export async function publicState(db: Executor, sessionId: string): Promise<BreakoutPublicState> {
  const run = await activeRun(db, sessionId);
  if (!run) {
    return {
      sessionId,
      runId: null,
      state: null,
      strategy: null,
      round: 0,
      rounds: 1,
      endsAt: null,
      closingAt: null,
      tables: [],
    };
  }
  const [tables, seating] = await Promise.all([tablesOf(db, run.id), seatingOf(db, run.id)]);
  return {
    sessionId,
    runId: run.id,
    state: run.state,
    strategy: run.strategy,
    round: run.round,
    rounds: run.rounds,
    endsAt: run.endsAt?.toISOString() ?? null,
    closingAt: run.closingAt?.toISOString() ?? null,
    tables: tables.map((t) => summaryOf(t, seating)),
  };
}
