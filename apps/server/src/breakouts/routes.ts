// The breakouts' REST side: the caller's seat, the facilitators' overview, the same commands as the
// socket (for scripts and for clients without a live connection), and tables planned ahead with
// attendees' sign-ups (which the "registrations" strategy honours).
import { randomUUID } from "node:crypto";
import {
  and,
  asc,
  breakoutSignups,
  breakoutTables,
  count,
  eq,
  gt,
  inArray,
  sql,
  type Db,
} from "@convivio/db";
import { ErrorCode, type BreakoutOverview, type PlannedTablesResponse } from "@convivio/protocol";
import { isAlive } from "@convivio/board";
import { bindRoutes } from "../http/routes.js";
import { HttpError } from "../http/problem.js";
import type { Clock } from "../auth/clock.js";
import type { BoardStore } from "../boards/store.js";
import type { BreakoutService } from "./service.js";
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

export interface BreakoutRouteDeps {
  db: Db;
  clock: Clock;
  service: BreakoutService;
  store: BoardStore;
}

export function breakoutRoutes({ db, clock, service, store }: BreakoutRouteDeps) {
  async function planned(sessionId: string, userId: string): Promise<PlannedTablesResponse> {
    const tables = await db
      .select()
      .from(breakoutTables)
      .where(and(eq(breakoutTables.sessionId, sessionId), eq(breakoutTables.status, "planned")))
      .orderBy(asc(breakoutTables.number));
    const counts = tables.length
      ? await db
          .select({ tableId: breakoutSignups.tableId, n: count() })
          .from(breakoutSignups)
          .where(
            inArray(
              breakoutSignups.tableId,
              tables.map((t) => t.id),
            ),
          )
          .groupBy(breakoutSignups.tableId)
      : [];
    const signedUp = new Map(counts.map((c) => [c.tableId, Number(c.n)]));
    const [mine] = await db
      .select({ tableId: breakoutSignups.tableId })
      .from(breakoutSignups)
      .where(and(eq(breakoutSignups.sessionId, sessionId), eq(breakoutSignups.userId, userId)));
    return {
      tables: tables.map((t) => summaryWithCount(t, signedUp.get(t.id) ?? 0)),
      mine: mine?.tableId ?? null,
    };
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
    const [tables, seats, calls, present] = await Promise.all([
      tablesOf(db, run.id),
      seatsWithPeople(db, run.id),
      run.state === "closed" ? Promise.resolve([]) : service.callsOf(run.id),
      service.notifier.present(sessionId),
    ]);
    const seating = Object.fromEntries(seats.map((s) => [s.userId, s.tableId]));
    const rows = await Promise.all(
      tables.map(async (table) => {
        const loaded = table.boardId ? await store.load(table.boardId) : undefined;
        const ideas = loaded
          ? Object.values(loaded.state.ideas).filter((i) => isAlive(i) && i.hidden === null)
          : [];
        const votes = loaded
          ? Object.values(loaded.state.votes).reduce(
              (sum, mine) => sum + Object.values(mine).reduce((a, b) => a + b, 0),
              0,
            )
          : 0;
        const last = ideas.reduce((max, i) => Math.max(max, i.updatedAt), 0);
        return {
          ...summaryOf(table, seating),
          people: seats
            .filter((s) => s.tableId === table.id)
            .map((s) => ({
              userId: s.userId,
              name: s.name,
              since: s.since.toISOString(),
              host: s.userId === table.hostId,
            })),
          ideas: ideas.length,
          votes,
          lastActivityAt: last ? new Date(last).toISOString() : null,
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
