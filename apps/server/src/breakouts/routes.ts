// The breakouts' REST side: the caller's seat, the facilitators' overview, the same commands as the
// socket (for scripts and for clients without a live connection), the people who may host a table,
// and tables planned ahead with attendees' sign-ups (which the "registrations" strategy honours),
// per session and for a whole event's agenda (sign-up before the session starts).
import { randomUUID } from "node:crypto";
import {
  and,
  asc,
  boardEvents,
  breakoutSignups,
  breakoutTables,
  count,
  eq,
  gt,
  inArray,
  sql,
  type Db,
} from "@convivio/db";
import {
  ErrorCode,
  type BreakoutOverview,
  type EventPlannedTablesResponse,
  type PlannedTablesResponse,
} from "@convivio/protocol";
import { areVotesVisible, isAlive, tallies } from "@convivio/board";
import { bindRoutes } from "../http/routes.js";
import { HttpError } from "../http/problem.js";
import type { Clock } from "../auth/clock.js";
import { findEventBySlug } from "../access/permissions.js";
import type { BoardStore } from "../boards/store.js";
import { boardRoleIn } from "../boards/access.js";
import type { BreakoutService } from "./service.js";
import { checkHosts, hostCandidates } from "./hosts.js";
import {
  activeRun,
  latestRun,
  publicState,
  seatsWithPeople,
  sessionContext,
  summaryOf,
  summaryWithCount,
  tablesOf,
} from "./store.js";

/** The planned tables of one session or of every session of an event, with sign-ups, by session. */
async function plannedTables(
  db: Db,
  where: { sessionId: string } | { eventId: string },
  userId: string,
): Promise<Map<string, PlannedTablesResponse>> {
  const tables = await db
    .select()
    .from(breakoutTables)
    .where(
      and(
        "sessionId" in where
          ? eq(breakoutTables.sessionId, where.sessionId)
          : eq(breakoutTables.eventId, where.eventId),
        eq(breakoutTables.status, "planned"),
      ),
    )
    .orderBy(asc(breakoutTables.number));
  const ids = tables.map((t) => t.id);
  const [counts, mine] = ids.length
    ? await Promise.all([
        db
          .select({ tableId: breakoutSignups.tableId, n: count() })
          .from(breakoutSignups)
          .where(inArray(breakoutSignups.tableId, ids))
          .groupBy(breakoutSignups.tableId),
        db
          .select({ sessionId: breakoutSignups.sessionId, tableId: breakoutSignups.tableId })
          .from(breakoutSignups)
          .where(and(inArray(breakoutSignups.tableId, ids), eq(breakoutSignups.userId, userId))),
      ])
    : [[], []];
  const signedUp = new Map(counts.map((c) => [c.tableId, Number(c.n)]));
  const mineBySession = new Map(mine.map((m) => [m.sessionId, m.tableId]));
  const out = new Map<string, PlannedTablesResponse>();
  if ("sessionId" in where) out.set(where.sessionId, { tables: [], mine: null });
  for (const table of tables) {
    const entry = out.get(table.sessionId) ?? {
      tables: [],
      mine: mineBySession.get(table.sessionId) ?? null,
    };
    entry.tables.push(summaryWithCount(table, signedUp.get(table.id) ?? 0));
    out.set(table.sessionId, entry);
  }
  if ("sessionId" in where) out.get(where.sessionId)!.mine = mineBySession.get(where.sessionId) ?? null;
  return out;
}

/**
 * When each board last changed, by board id: `any` counts every event (an idea, a vote, a comment),
 * `seen` leaves votes out. While a board's votes are hidden its overview shows `seen`: a hidden vote
 * leaves no trace outside the server (SPEC B29), and "active just now" after each vote would let a
 * facilitator count them.
 */
async function lastActivity(
  db: Db,
  boardIds: string[],
): Promise<Map<string, { any: Date; seen: Date | null }>> {
  if (boardIds.length === 0) return new Map();
  const rows = await db
    .select({
      boardId: boardEvents.boardId,
      any: sql<Date>`max(${boardEvents.createdAt})`.mapWith(boardEvents.createdAt),
      seen: sql<Date | null>`max(${boardEvents.createdAt}) filter (where ${boardEvents.event}->>'type' not in ('voteCast', 'voteRetracted'))`.mapWith(
        boardEvents.createdAt,
      ),
    })
    .from(boardEvents)
    .where(inArray(boardEvents.boardId, boardIds))
    .groupBy(boardEvents.boardId);
  return new Map(rows.map((r) => [r.boardId, { any: r.any, seen: r.seen }]));
}

export interface BreakoutRouteDeps {
  db: Db;
  clock: Clock;
  service: BreakoutService;
  store: BoardStore;
}

export function breakoutRoutes({ db, clock, service, store }: BreakoutRouteDeps) {
  async function planned(sessionId: string, userId: string): Promise<PlannedTablesResponse> {
    return (await plannedTables(db, { sessionId }, userId)).get(sessionId)!;
  }

  async function overview(sessionId: string): Promise<BreakoutOverview> {
    const state = await publicState(db, sessionId);
    const run = (await activeRun(db, sessionId)) ?? (await latestRun(db, sessionId));
    if (!run) {
      const present = await service.notifier.present(sessionId);
      return {
        state,
        tables: [],
        unseated: present.map((p) => ({ userId: p.userId, name: p.name })),
        calls: [],
      };
    }
    const [tables, seats, calls, present, connected] = await Promise.all([
      tablesOf(db, run.id),
      seatsWithPeople(db, run.id),
      run.state === "closed" ? Promise.resolve([]) : service.calls.open(run.id),
      service.notifier.present(sessionId),
      service.notifier.connected(sessionId),
    ]);
    const seating = Object.fromEntries(seats.map((s) => [s.userId, s.tableId]));
    const activity = await lastActivity(
      db,
      tables.flatMap((t) => (t.boardId ? [t.boardId] : [])),
    );
    const rows = await Promise.all(
      tables.map(async (table) => {
        const loaded = table.boardId ? await store.load(table.boardId) : undefined;
        const ideas = loaded
          ? Object.values(loaded.state.ideas).filter((i) => isAlive(i) && i.hidden === null)
          : [];
        // Invariant 7 (SPEC B23): no count while the board's votes are hidden, facilitators included.
        const visible = !loaded || areVotesVisible(loaded.state);
        const votes = !loaded
          ? 0
          : visible
            ? Object.values(tallies(loaded.state)).reduce((a, b) => a + b, 0)
            : null;
        const changed = table.boardId ? activity.get(table.boardId) : undefined;
        const last = visible ? changed?.any : changed?.seen;
        return {
          ...summaryOf(table, seating),
          people: seats
            .filter((s) => s.tableId === table.id)
            .map((s) => ({
              userId: s.userId,
              name: s.name,
              since: s.since.toISOString(),
              host: s.userId === table.hostId,
              connected: connected.has(s.userId),
            })),
          ideas: ideas.length,
          votes,
          lastActivityAt: last?.toISOString() ?? null,
        };
      }),
    );
    return {
      state,
      tables: rows,
      unseated: present.filter((p) => !seating[p.userId]).map((p) => ({ userId: p.userId, name: p.name })),
      calls,
    };
  }

  return bindRoutes({
    getMyBreakout: async ({ actor, params }) => ({
      status: 200,
      body: await service.mineFor(actor.user, params.sessionId),
    }),
    getBreakoutOverview: async ({ actor, params }) => {
      const ctx = await sessionContext(db, params.sessionId, actor.user.id);
      if (ctx.role !== "facilitator") throw new HttpError(ErrorCode.forbidden);
      return { status: 200, body: await overview(params.sessionId) };
    },
    listTableHosts: async ({ actor, params }) => {
      const ctx = await sessionContext(db, params.sessionId, actor.user.id);
      if (ctx.role !== "facilitator") throw new HttpError(ErrorCode.forbidden);
      const present = await service.notifier.present(params.sessionId);
      return { status: 200, body: await hostCandidates(db, ctx, present) };
    },
    listEventBreakoutTables: async ({ actor, params }) => {
      const event = await findEventBySlug(db, params.slug);
      // The same rule as a session's: whoever may take part (registered, on the team) sees and signs up.
      const role = await boardRoleIn(db, event, actor.user.id);
      if (!role) throw new HttpError(event.visibility === "draft" ? ErrorCode.notFound : ErrorCode.forbidden);
      const bySession = await plannedTables(db, { eventId: event.id }, actor.user.id);
      const body: EventPlannedTablesResponse = {
        sessions: [...bySession].map(([sessionId, planned]) => ({ sessionId, ...planned })),
      };
      return { status: 200, body };
    },
    runBreakoutCommand: async ({ actor, params, body }) => {
      if (body.sessionId !== params.sessionId)
        throw new HttpError(ErrorCode.validationFailed, "The command is for another session");
      return { status: 200, body: await service.run(actor, body) };
    },
    listBreakoutTables: async ({ actor, params }) => {
      await sessionContext(db, params.sessionId, actor.user.id);
      return { status: 200, body: await planned(params.sessionId, actor.user.id) };
    },
    planBreakoutTables: async ({ actor, params, body }) => {
      const ctx = await sessionContext(db, params.sessionId, actor.user.id);
      if (ctx.role !== "facilitator") throw new HttpError(ErrorCode.forbidden);
      await checkHosts(
        db,
        ctx,
        body.tables.map((t) => t.hostId),
      );
      const now = clock.now();
      await db.transaction(async (tx) => {
        await tx.execute(sql`SELECT id FROM agenda_sessions WHERE id = ${params.sessionId} FOR UPDATE`);
        if (await activeRun(tx, params.sessionId))
          throw new HttpError(ErrorCode.conflict, "Close the open tables before planning new ones");
        const existing = await tx
          .select()
          .from(breakoutTables)
          .where(and(eq(breakoutTables.sessionId, params.sessionId), eq(breakoutTables.status, "planned")));
        const byNumber = new Map(existing.map((t) => [t.number, t]));
        for (const [index, plan] of body.tables.entries()) {
          const number = index + 1;
          const values = { topic: plan.topic, seats: plan.seats, hostId: plan.hostId };
          const found = byNumber.get(number);
          if (found) await tx.update(breakoutTables).set(values).where(eq(breakoutTables.id, found.id));
          else
            await tx.insert(breakoutTables).values({
              id: randomUUID(),
              eventId: ctx.eventId,
              sessionId: params.sessionId,
              number,
              status: "planned",
              createdAt: now,
              ...values,
            });
        }
        // Tables beyond the new count go, with their sign-ups.
        await tx
          .delete(breakoutTables)
          .where(
            and(
              eq(breakoutTables.sessionId, params.sessionId),
              eq(breakoutTables.status, "planned"),
              gt(breakoutTables.number, body.tables.length),
            ),
          );
      });
      return { status: 200, body: await planned(params.sessionId, actor.user.id) };
    },
    signUpForTable: async ({ actor, params }) => {
      await sessionContext(db, params.sessionId, actor.user.id);
      await db.transaction(async (tx) => {
        const [table] = await tx
          .select()
          .from(breakoutTables)
          .where(
            and(
              eq(breakoutTables.id, params.tableId),
              eq(breakoutTables.sessionId, params.sessionId),
              eq(breakoutTables.status, "planned"),
            ),
          )
          .for("update");
        if (!table) throw new HttpError(ErrorCode.notFound, "No such planned table");
        const [mine] = await tx
          .select({ tableId: breakoutSignups.tableId })
          .from(breakoutSignups)
          .where(
            and(eq(breakoutSignups.sessionId, params.sessionId), eq(breakoutSignups.userId, actor.user.id)),
          );
        if (mine?.tableId === table.id) return;
        if (table.seats !== null) {
          const [taken] = await tx
            .select({ n: count() })
            .from(breakoutSignups)
            .where(eq(breakoutSignups.tableId, table.id));
          if (Number(taken?.n ?? 0) >= table.seats) throw new HttpError(ErrorCode.tableFull);
        }
        await tx
          .insert(breakoutSignups)
          .values({
            sessionId: params.sessionId,
            userId: actor.user.id,
            tableId: table.id,
            createdAt: clock.now(),
          })
          .onConflictDoUpdate({
            target: [breakoutSignups.sessionId, breakoutSignups.userId],
            set: { tableId: table.id, createdAt: clock.now() },
          });
      });
      return { status: 200, body: await planned(params.sessionId, actor.user.id) };
    },
    cancelTableSignUp: async ({ actor, params }) => {
      await sessionContext(db, params.sessionId, actor.user.id);
      await db
        .delete(breakoutSignups)
        .where(
          and(eq(breakoutSignups.sessionId, params.sessionId), eq(breakoutSignups.userId, actor.user.id)),
        );
      return { status: 200, body: await planned(params.sessionId, actor.user.id) };
    },
  });
}
