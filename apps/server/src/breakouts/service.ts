// The breakout commands after the edge (parsing is in sockets.ts and routes.ts): authorize by
// session role, decide with the pure seating rules (assign.ts), write in one transaction, and only
// after the commit arm timers, create or delete media rooms and tell people where they sit.
import { randomInt, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import {
  and,
  asc,
  breakoutCalls,
  breakoutRuns,
  breakoutTables,
  eq,
  inArray,
  isNull,
  ne,
  sql,
  users,
  type Db,
  type Tx,
} from "@convivio/db";
import {
  DEFAULT_BOARD_SETTINGS,
  ErrorCode,
  type BoardId,
  type BreakoutAck,
  type BreakoutAssignment,
  type BreakoutCommand,
  type FacilitatorCall,
  type MediaTokenResponse,
  type MyBreakout,
  type User,
} from "@convivio/protocol";
import type { Clock } from "../auth/clock.js";
import { HttpError } from "../http/problem.js";
import type { BoardStore } from "../boards/store.js";
import type { BoardCommands } from "../boards/commands.js";
import { rollUp } from "./rollUp.js";
import type { RoomControl } from "../media/rooms.js";
import { tableRoom } from "../media/roomNames.js";
import type { LiveKitConfig } from "../media/tokens.js";
import { canTake, planRotation, seatLatecomers, seededRandom, tablesFor, type Seating } from "./assign.js";
import { silentNotifier, type BreakoutNotifier } from "./notify.js";
import {
  activeRun,
  asSeats,
  openCalls,
  publicState,
  runById,
  seatingOf,
  sessionContext,
  sitDown,
  standUp,
  tableRef,
  tablesOf,
  type Executor,
  type RunRow,
  type SessionContext,
  type TableRow,
} from "./store.js";
import type { BreakoutTimers } from "./timers.js";
import { warnAtFor } from "./timing.js";
import { firstSeating } from "./seating.js";
import { TableMedia } from "./tableMedia.js";
import { eventLabels } from "./labels.js";

export interface BreakoutServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  boards: BoardStore;
  commands: BoardCommands;
  liveKit: { config: LiveKitConfig; rooms: RoomControl } | null;
}

type Actor = { user: User };
type Changes = {
  seated: Map<string, { tableId: string | null; reason: BreakoutAssignment["reason"] }>;
  rooms: string[];
  /** The run that closed (the public state no longer names it). */
  closedRunId?: string;
};

export class BreakoutService {
  notifier: BreakoutNotifier = silentNotifier;
  timers: BreakoutTimers | undefined;
  private readonly media: TableMedia;

  constructor(private readonly deps: BreakoutServiceDeps) {
    this.media = new TableMedia(deps);
  }

  /** A token for a table's room, or null when video is off. */
  tableToken(
    user: { id: string; name: string },
    table: TableRow,
    role: "attendee" | "facilitator",
    hidden: boolean,
  ) {
    return this.media.token(user, table, role, hidden);
  }

  private get db() {
    return this.deps.db;
  }

  /** Runs one command; throws HttpError for an expected refusal. */
  async run(actor: Actor, command: BreakoutCommand): Promise<Extract<BreakoutAck, { ok: true }>> {
    const ctx = await sessionContext(this.db, command.sessionId, actor.user.id);
    const lead = () => {
      if (ctx.role !== "facilitator") throw new HttpError(ErrorCode.forbidden);
    };
    switch (command.type) {
      case "open":
        lead();
        return this.open(actor, ctx, command);
      case "move":
        lead();
        return this.move(actor, ctx, command.userId, command.tableId);
      case "choose":
        return this.choose(actor, ctx, command.tableId);
      case "start":
        lead();
        return this.start(ctx, command.durationMs);
      case "extend":
        lead();
        return this.extend(ctx, command.byMs);
      case "nextRound":
        lead();
        return this.nextRound(ctx);
      case "broadcast":
        lead();
        await this.requireRun(ctx.sessionId);
        this.notifier.notice({
          kind: "broadcast",
          sessionId: ctx.sessionId,
          message: command.message,
          from: actor.user.name,
        });
        return { ok: true };
      case "call":
        return this.call(actor, ctx, command.message ?? null);
      case "resolveCall":
        lead();
        return this.resolveCall(actor, ctx, command.callId);
      case "visit":
        lead();
        return this.visit(actor, ctx, command.tableId, command.hidden);
      case "closeAll":
        lead();
        return this.closeAll(ctx, command.countdownMs);
      case "rollUp": {
        lead();
        const { db, clock, boards, commands } = this.deps;
        const outcome = await rollUp({ db, clock, store: boards, commands }, actor.user, ctx, command.top);
        this.notifier.notice({ kind: "rolledUp", sessionId: ctx.sessionId, ...outcome });
        return { ok: true, ...outcome };
      }
      default: {
        const never: never = command;
        throw new Error(`unhandled breakout command ${JSON.stringify(never)}`);
      }
    }
  }

  private async requireRun(sessionId: string, executor: Executor = this.db, lock = false): Promise<RunRow> {
    const run = await activeRun(executor, sessionId, lock);
    if (!run) throw new HttpError(ErrorCode.conflict, "No breakout tables are open in this session");
    return run;
  }

  // ---- open ----

  private async open(
    actor: Actor,
    ctx: SessionContext,
    command: Extract<BreakoutCommand, { type: "open" }>,
  ): Promise<Extract<BreakoutAck, { ok: true }>> {
    const present = await this.notifier.present(ctx.sessionId);
    const now = this.deps.clock.now();
    const seed = command.seed ?? randomInt(2 ** 31 - 1);
    const random = seededRandom(seed);
    const runId = randomUUID();
    const changes: Changes = { seated: new Map(), rooms: [] };
    const run = await this.db.transaction(async (tx) => {
      // One opening at a time per session: the session row is the lock.
      await tx.execute(sql`SELECT id FROM agenda_sessions WHERE id = ${ctx.sessionId} FOR UPDATE`);
      if (await activeRun(tx, ctx.sessionId)) {
        throw new HttpError(ErrorCode.conflict, "Tables are already open; close them first");
      }
      const planned = await tx
        .select()
        .from(breakoutTables)
        .where(and(eq(breakoutTables.sessionId, ctx.sessionId), eq(breakoutTables.status, "planned")))
        .orderBy(asc(breakoutTables.number));
      const usePlanned =
        !command.tables &&
        planned.length > 0 &&
        (command.strategy === "registrations" || command.strategy === "topic");
      const specs: {
        id?: string;
        number?: number;
        topic: string;
        seats: number | null;
        hostId: string | null;
      }[] =
        command.tables?.map((t) => ({ topic: t.topic, seats: t.seats, hostId: t.hostId })) ??
        (usePlanned
          ? planned.map((t) => ({
              id: t.id,
              number: t.number,
              topic: t.topic,
              seats: t.seats,
              hostId: t.hostId,
            }))
          : Array.from({ length: tablesFor(present.length, command.by) }, () => ({
              topic: "",
              seats: null,
              hostId: null,
            })));
      const timed = command.roundMs !== undefined;
      const endsAt = timed ? new Date(now.getTime() + command.roundMs!) : null;
      const [row] = await tx
        .insert(breakoutRuns)
        .values({
          id: runId,
          eventId: ctx.eventId,
          sessionId: ctx.sessionId,
          strategy: command.strategy,
          state: timed ? "running" : "open",
          rounds: command.rounds,
          round: 1,
          roundMs: command.roundMs ?? null,
          endsAt,
          warnAt: endsAt ? warnAtFor(endsAt, command.roundMs!) : null,
          seed,
          createdBy: actor.user.id,
          createdAt: now,
        })
        .returning();
      const labels = await eventLabels(tx, ctx.eventId);
      // Numbers in use by tables that stay planned; new tables take the free ones from 1.
      const taken = new Set(usePlanned ? [] : planned.map((t) => t.number));
      let next = 1;
      const tables: TableRow[] = [];
      for (const spec of specs) {
        let number = spec.number;
        if (number === undefined) {
          while (taken.has(next)) next++;
          number = next++;
        }
        const tableId = spec.id ?? randomUUID();
        const boardId = randomUUID() as BoardId;
        await this.deps.boards.create(
          {
            id: boardId,
            eventId: ctx.eventId,
            sessionId: ctx.sessionId,
            tableId,
            title: labels.table(number, spec.topic),
            settings: DEFAULT_BOARD_SETTINGS,
            createdBy: actor.user.id,
            now: now.getTime(),
          },
          tx,
        );
        const values = {
          runId,
          number,
          topic: spec.topic,
          seats: spec.seats,
          hostId: spec.hostId,
          boardId,
          status: "open" as const,
          openedAt: now,
        };
        const [table] = spec.id
          ? await tx.update(breakoutTables).set(values).where(eq(breakoutTables.id, spec.id)).returning()
          : await tx
              .insert(breakoutTables)
              .values({
                id: tableId,
                eventId: ctx.eventId,
                sessionId: ctx.sessionId,
                createdAt: now,
                ...values,
              })
              .returning();
        tables.push(table!);
      }
      const seats = asSeats(tables);
      const hosts = seats.flatMap((s) => (s.hostId ? [s.hostId] : []));
      const people = [...new Set([...present.map((p) => p.userId), ...hosts])];
      const seating = await firstSeating(tx, ctx, command.strategy, people, seats, random);
      let plan: Record<string, Seating> | null = null;
      if (command.rounds > 1 && Object.keys(seating).length > 0) {
        const rounds = planRotation(seating, seats, command.rounds, random);
        plan = Object.fromEntries(rounds.map((s, i) => [String(i + 1), s]));
        await tx.update(breakoutRuns).set({ plan }).where(eq(breakoutRuns.id, runId));
      }
      await sitDown(
        tx,
        row!,
        Object.entries(seating).map(([userId, tableId]) => ({ userId, tableId, reason: "opened" })),
        now,
      );
      for (const [userId, tableId] of Object.entries(seating))
        changes.seated.set(userId, { tableId, reason: "opened" });
      changes.rooms = tables.map((t) => tableRoom(ctx.sessionId, t.id));
      return row!;
    });
    await this.media.ensure(changes.rooms);
    await this.timers?.armRun(run);
    await this.announce(ctx.sessionId, changes);
    return { ok: true, runId: run.id };
  }

  // ---- moves ----

  private async move(actor: Actor, ctx: SessionContext, userId: string, tableId: string | null) {
    const moved = await sessionContext(this.db, ctx.sessionId, userId).catch(() => null);
    if (!moved) throw new HttpError(ErrorCode.notFound, "No such participant in this session");
    const now = this.deps.clock.now();
    const changes: Changes = { seated: new Map(), rooms: [] };
    await this.db.transaction(async (tx) => {
      const run = await this.requireRun(ctx.sessionId, tx, true);
      if (tableId !== null) await this.openTable(tx, run, tableId);
      await standUp(tx, run.id, now, userId);
      if (tableId !== null)
        await sitDown(tx, run, [{ userId, tableId, reason: "moved", movedBy: actor.user.id }], now);
      changes.seated.set(userId, { tableId, reason: "moved" });
    });
    await this.announce(ctx.sessionId, changes);
    return { ok: true as const };
  }

  private async openTable(tx: Tx, run: RunRow, tableId: string, lock = false): Promise<TableRow> {
    const query = tx
      .select()
      .from(breakoutTables)
      .where(
        and(
          eq(breakoutTables.id, tableId),
          eq(breakoutTables.runId, run.id),
          eq(breakoutTables.status, "open"),
        ),
      );
    const [table] = lock ? await query.for("update") : await query;
    if (!table) throw new HttpError(ErrorCode.notFound, "No such open table");
    return table;
  }

  private async choose(actor: Actor, ctx: SessionContext, tableId: string) {
    const now = this.deps.clock.now();
    const changes: Changes = { seated: new Map(), rooms: [] };
    await this.db.transaction(async (tx) => {
      const run = await this.requireRun(ctx.sessionId, tx);
      if (run.strategy !== "topic")
        throw new HttpError(ErrorCode.forbidden, "Tables are assigned in this session");
      const table = await this.openTable(tx, run, tableId, true);
      const seating = await seatingOf(tx, run.id);
      if (seating[actor.user.id] === table.id) return;
      const count = Object.values(seating).filter((id) => id === table.id).length;
      if (!canTake({ id: table.id, seats: table.seats }, count)) throw new HttpError(ErrorCode.tableFull);
      await standUp(tx, run.id, now, actor.user.id);
      await sitDown(tx, run, [{ userId: actor.user.id, tableId, reason: "chosen" }], now);
      changes.seated.set(actor.user.id, { tableId, reason: "chosen" });
    });
    await this.announce(ctx.sessionId, changes);
    return { ok: true as const };
  }

  /**
   * A participant arrives while tables are open: seated at the least-full table (unless seating is
   * manual or by choice), told where they sit either way.
   */
  async arrive(user: User, sessionId: string): Promise<MyBreakout> {
    const ctx = await sessionContext(this.db, sessionId, user.id);
    if (ctx.role === "participant") {
      const run = await activeRun(this.db, sessionId);
      if (
        run &&
        (run.state === "open" || run.state === "running") &&
        run.strategy !== "manual" &&
        run.strategy !== "topic"
      ) {
        const now = this.deps.clock.now();
        let seatedAt: string | null = null;
        await this.db.transaction(async (tx) => {
          const locked = await runById(tx, run.id, true);
          if (!locked || locked.state === "closed" || locked.state === "closing") return;
          const seating = await seatingOf(tx, run.id);
          if (seating[user.id]) return;
          const seats = asSeats(await tablesOf(tx, run.id));
          seatedAt = seatLatecomers(seats, seating, [user.id])[user.id] ?? null;
          if (seatedAt)
            await sitDown(tx, locked, [{ userId: user.id, tableId: seatedAt, reason: "latecomer" }], now);
        });
        if (seatedAt) {
          this.notifier.state(await publicState(this.db, sessionId));
          return this.mine(user, ctx, "latecomer");
        }
      }
    }
    return this.mine(user, ctx, "current");
  }

  /** The caller's view: the public state and their seat, with a token for its room. */
  async mine(
    user: User,
    ctx: SessionContext,
    reason: BreakoutAssignment["reason"] = "current",
  ): Promise<MyBreakout> {
    const state = await publicState(this.db, ctx.sessionId);
    const seating = state.runId ? await seatingOf(this.db, state.runId) : {};
    const tableId = seating[user.id] ?? null;
    return {
      state,
      assignment: await this.assignmentFor(user, ctx.sessionId, state.runId, tableId, reason, state.round),
    };
  }

  async mineFor(user: User, sessionId: string): Promise<MyBreakout> {
    return this.mine(user, await sessionContext(this.db, sessionId, user.id));
  }

  private async assignmentFor(
    user: { id: string; name: string },
    sessionId: string,
    runId: string | null,
    tableId: string | null,
    reason: BreakoutAssignment["reason"],
    round: number,
  ): Promise<BreakoutAssignment> {
    if (!tableId) return { sessionId, runId, table: null, round, media: null, reason };
    const [table] = await this.db.select().from(breakoutTables).where(eq(breakoutTables.id, tableId));
    if (!table) return { sessionId, runId, table: null, round, media: null, reason };
    return {
      sessionId,
      runId,
      table: tableRef(table),
      round,
      media: await this.media.token(user, table, "attendee", false),
      reason,
    };
  }

  /**
   * Who may be at a table (table chat, table media tokens): its open seat holders and the session's
   * facilitators, while the table is open.
   */
  async mayBeAt(sessionId: string, tableId: string, userId: string): Promise<boolean> {
    const [table] = await this.db
      .select()
      .from(breakoutTables)
      .where(and(eq(breakoutTables.id, tableId), eq(breakoutTables.sessionId, sessionId)));
    if (!table || table.status !== "open" || !table.runId) return false;
    const ctx = await sessionContext(this.db, sessionId, userId).catch(() => null);
    if (!ctx) return false;
    if (ctx.role === "facilitator") return true;
    const seating = await seatingOf(this.db, table.runId);
    return seating[userId] === tableId;
  }

  /** The media-token route's table branch: only one's own table, unless a facilitator (who may join hidden). */
  async tokenForRoute(
    user: User,
    sessionId: string,
    tableId: string,
    hidden: boolean,
  ): Promise<MediaTokenResponse> {
    const ctx = await sessionContext(this.db, sessionId, user.id);
    if (hidden && ctx.role !== "facilitator") throw new HttpError(ErrorCode.forbidden);
    if (!(await this.mayBeAt(sessionId, tableId, user.id))) throw new HttpError(ErrorCode.forbidden);
    const [table] = await this.db.select().from(breakoutTables).where(eq(breakoutTables.id, tableId));
    const token = await this.media.token(
      user,
      table!,
      ctx.role === "facilitator" ? "facilitator" : "attendee",
      hidden,
    );
    if (!token) throw new HttpError(ErrorCode.mediaNotConfigured);
    await this.media.ensure([token.room]);
    return token;
  }

  // ---- rounds and timers ----

  private async start(ctx: SessionContext, durationMs: number) {
    const now = this.deps.clock.now();
    const run = await this.db.transaction(async (tx) => {
      const run = await this.requireRun(ctx.sessionId, tx, true);
      if (run.state === "closing") throw new HttpError(ErrorCode.conflict, "The tables are closing");
      const endsAt = new Date(now.getTime() + durationMs);
      const [row] = await tx
        .update(breakoutRuns)
        .set({ state: "running", roundMs: durationMs, endsAt, warnAt: warnAtFor(endsAt, durationMs) })
        .where(eq(breakoutRuns.id, run.id))
        .returning();
      return row!;
    });
    await this.timers?.armRun(run);
    this.notifier.state(await publicState(this.db, ctx.sessionId));
    return { ok: true as const };
  }

  private async extend(ctx: SessionContext, byMs: number) {
    const run = await this.db.transaction(async (tx) => {
      const run = await this.requireRun(ctx.sessionId, tx, true);
      if (run.state !== "running" || !run.endsAt)
        throw new HttpError(ErrorCode.conflict, "No round is running");
      const endsAt = new Date(run.endsAt.getTime() + byMs);
      const [row] = await tx
        .update(breakoutRuns)
        .set({ endsAt, warnAt: warnAtFor(endsAt, (run.roundMs ?? byMs) + byMs) })
        .where(eq(breakoutRuns.id, run.id))
        .returning();
      return row!;
    });
    await this.timers?.armRun(run);
    this.notifier.notice({ kind: "extended", sessionId: ctx.sessionId, endsAt: run.endsAt!.toISOString() });
    this.notifier.state(await publicState(this.db, ctx.sessionId));
    return { ok: true as const };
  }

  private async nextRound(ctx: SessionContext) {
    const run = await this.requireRun(ctx.sessionId);
    if (run.round >= run.rounds) throw new HttpError(ErrorCode.conflict, "This was the last round");
    await this.endRound(run.id, null);
    return { ok: true as const };
  }

  /**
   * A round is over (its timer, or a facilitator moving on): the next World-Café round, or everyone
   * back to the plenary after the last. `at` is the deadline a timer was armed for; a run whose
   * deadline has moved since ignores it.
   */
  async endRound(runId: string, at: number | null): Promise<void> {
    const now = this.deps.clock.now();
    const changes: Changes = { seated: new Map(), rooms: [] };
    let sessionId: string | undefined;
    let rearm: RunRow | undefined;
    await this.db.transaction(async (tx) => {
      const run = await runById(tx, runId, true);
      if (!run || run.state === "closed" || run.state === "closing") return;
      if (at !== null && (run.state !== "running" || run.endsAt?.getTime() !== at)) return;
      sessionId = run.sessionId;
      if (run.round >= run.rounds) {
        await this.finish(tx, run, now, changes);
        return;
      }
      rearm = await this.rotate(tx, run, now, changes);
    });
    if (!sessionId) return;
    if (rearm) await this.timers?.armRun(rearm);
    await this.media.close(changes.rooms);
    await this.announce(sessionId, changes);
  }

  /** World-Café: hosts stay, the others go where the plan (or, without one, a fresh rotation) says. */
  private async rotate(tx: Tx, run: RunRow, now: Date, changes: Changes): Promise<RunRow> {
    const round = run.round + 1;
    const tables = await tablesOf(tx, run.id);
    const seats = asSeats(tables);
    const current = await seatingOf(tx, run.id);
    const open = new Set(seats.map((s) => s.id));
    const planned =
      run.plan?.[String(round)] ?? planRotation(current, seats, 2, seededRandom(run.seed + round))[1] ?? {};
    const next: Seating = {};
    const unplanned: string[] = [];
    for (const userId of Object.keys(current)) {
      const tableId = planned[userId];
      if (tableId && open.has(tableId)) next[userId] = tableId;
      else unplanned.push(userId);
    }
    const seating = seatLatecomers(seats, next, unplanned);
    const endsAt = run.roundMs ? new Date(now.getTime() + run.roundMs) : null;
    const [updated] = await tx
      .update(breakoutRuns)
      .set({ round, endsAt, warnAt: endsAt ? warnAtFor(endsAt, run.roundMs!) : null })
      .where(eq(breakoutRuns.id, run.id))
      .returning();
    await standUp(tx, run.id, now);
    await sitDown(
      tx,
      updated!,
      Object.entries(seating).map(([userId, tableId]) => ({ userId, tableId, reason: "rotated" })),
      now,
    );
    for (const [userId, tableId] of Object.entries(seating))
      changes.seated.set(userId, { tableId, reason: "rotated" });
    return updated!;
  }

  /** Everyone back to the plenary: the run and its tables close (their boards stay, for the roll-up). */
  private async finish(tx: Tx, run: RunRow, now: Date, changes: Changes): Promise<void> {
    await tx
      .update(breakoutRuns)
      .set({ state: "closed", closedAt: now, endsAt: null, warnAt: null, closingAt: null })
      .where(eq(breakoutRuns.id, run.id));
    const closed = await tx
      .update(breakoutTables)
      .set({ status: "closed", closedAt: now })
      .where(and(eq(breakoutTables.runId, run.id), ne(breakoutTables.status, "closed")))
      .returning({ id: breakoutTables.id });
    await tx
      .update(breakoutCalls)
      .set({ resolvedAt: now })
      .where(and(eq(breakoutCalls.runId, run.id), isNull(breakoutCalls.resolvedAt)));
    for (const userId of await standUp(tx, run.id, now))
      changes.seated.set(userId, { tableId: null, reason: "returned" });
    changes.rooms = closed.map((t) => tableRoom(run.sessionId, t.id));
    changes.closedRunId = run.id;
  }

  /** The one-minute warning, if the run still ends when the job was armed for. */
  async warn(runId: string, at: number): Promise<void> {
    const run = await runById(this.db, runId);
    if (!run || run.state !== "running" || run.warnAt?.getTime() !== at || !run.endsAt) return;
    this.notifier.notice({ kind: "warning", sessionId: run.sessionId, endsAt: run.endsAt.toISOString() });
  }

  private async closeAll(ctx: SessionContext, countdownMs: number) {
    const now = this.deps.clock.now();
    if (countdownMs === 0) {
      await this.closeNow(ctx.sessionId);
      return { ok: true as const };
    }
    const run = await this.db.transaction(async (tx) => {
      const run = await this.requireRun(ctx.sessionId, tx, true);
      if (run.state === "closing") return run;
      const [row] = await tx
        .update(breakoutRuns)
        .set({ state: "closing", closingAt: new Date(now.getTime() + countdownMs), warnAt: null })
        .where(eq(breakoutRuns.id, run.id))
        .returning();
      return row!;
    });
    await this.timers?.armRun(run);
    this.notifier.notice({
      kind: "closing",
      sessionId: ctx.sessionId,
      closingAt: run.closingAt!.toISOString(),
    });
    this.notifier.state(await publicState(this.db, ctx.sessionId));
    return { ok: true as const };
  }

  /** Closes a session's run at once (close-all without countdown; the session ended). */
  async closeNow(sessionId: string): Promise<void> {
    const run = await activeRun(this.db, sessionId);
    if (run) await this.closeRun(run.id, null);
  }

  /** The close-all countdown is over (or `at` null: at once). */
  async closeRun(runId: string, at: number | null): Promise<void> {
    const now = this.deps.clock.now();
    const changes: Changes = { seated: new Map(), rooms: [] };
    let sessionId: string | undefined;
    await this.db.transaction(async (tx) => {
      const run = await runById(tx, runId, true);
      if (!run || run.state === "closed") return;
      if (at !== null && (run.state !== "closing" || run.closingAt?.getTime() !== at)) return;
      sessionId = run.sessionId;
      await this.finish(tx, run, now, changes);
    });
    if (!sessionId) return;
    await this.media.close(changes.rooms);
    await this.announce(sessionId, changes);
  }

  // ---- calls, visits ----

  private async call(actor: Actor, ctx: SessionContext, message: string | null) {
    const run = await this.requireRun(ctx.sessionId);
    const seating = await seatingOf(this.db, run.id);
    const [existing] = await this.db
      .select({ id: breakoutCalls.id })
      .from(breakoutCalls)
      .where(
        and(
          eq(breakoutCalls.runId, run.id),
          eq(breakoutCalls.userId, actor.user.id),
          isNull(breakoutCalls.resolvedAt),
        ),
      );
    // One open call per person: calling again while waiting changes nothing.
    if (!existing) {
      await this.db.insert(breakoutCalls).values({
        id: randomUUID(),
        runId: run.id,
        tableId: seating[actor.user.id] ?? null,
        userId: actor.user.id,
        message,
        createdAt: this.deps.clock.now(),
      });
    }
    await this.announceCalls(ctx.sessionId, run.id);
    return { ok: true as const };
  }

  private async resolveCall(actor: Actor, ctx: SessionContext, callId: string) {
    const run = await this.requireRun(ctx.sessionId);
    const updated = await this.db
      .update(breakoutCalls)
      .set({ resolvedAt: this.deps.clock.now(), resolvedBy: actor.user.id })
      .where(and(eq(breakoutCalls.id, callId), eq(breakoutCalls.runId, run.id)))
      .returning({ id: breakoutCalls.id });
    if (updated.length === 0) throw new HttpError(ErrorCode.notFound);
    await this.announceCalls(ctx.sessionId, run.id);
    return { ok: true as const };
  }

  async callsOf(runId: string): Promise<FacilitatorCall[]> {
    return (await openCalls(this.db, runId)).map((c) => ({
      id: c.id,
      userId: c.userId,
      name: c.name,
      tableId: c.tableId,
      tableNumber: c.tableNumber,
      message: c.message,
      at: c.at.toISOString(),
    }));
  }

  private async announceCalls(sessionId: string, runId: string) {
    this.notifier.calls(sessionId, await this.callsOf(runId));
  }

  private async visit(actor: Actor, ctx: SessionContext, tableId: string, hidden: boolean) {
    const run = await this.requireRun(ctx.sessionId);
    const [table] = await this.db
      .select()
      .from(breakoutTables)
      .where(
        and(
          eq(breakoutTables.id, tableId),
          eq(breakoutTables.runId, run.id),
          eq(breakoutTables.status, "open"),
        ),
      );
    if (!table) throw new HttpError(ErrorCode.notFound, "No such open table");
    const media = await this.media.token(actor.user, table, "facilitator", hidden);
    if (media) await this.media.ensure([media.room]);
    return { ok: true as const, table: tableRef(table), media };
  }

  // ---- after the commit ----

  private async announce(sessionId: string, changes: Changes): Promise<void> {
    const state = await publicState(this.db, sessionId);
    const tables = new Map<string, TableRow>();
    const ids = [...new Set([...changes.seated.values()].flatMap((c) => (c.tableId ? [c.tableId] : [])))];
    if (ids.length) {
      for (const t of await this.db.select().from(breakoutTables).where(inArray(breakoutTables.id, ids)))
        tables.set(t.id, t);
    }
    const names = await this.namesOf([...changes.seated.keys()]);
    await Promise.all(
      [...changes.seated].map(async ([userId, change]) => {
        const table = change.tableId ? tables.get(change.tableId) : undefined;
        const user = { id: userId, name: names.get(userId) ?? "" };
        this.notifier.assigned(userId, {
          sessionId,
          runId: state.runId ?? changes.closedRunId ?? null,
          table: table ? tableRef(table) : null,
          round: state.round,
          media: table ? await this.media.token(user, table, "attendee", false) : null,
          reason: change.reason,
        });
      }),
    );
    this.notifier.state(state);
  }

  private async namesOf(userIds: string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, userIds));
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
