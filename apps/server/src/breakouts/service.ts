// The breakout commands after the edge (parsing is in sockets.ts and routes.ts): authorize by
// session role, decide with the pure seating rules (assign.ts), write in one transaction, and only
// after the commit arm timers, create or delete media rooms, take people moved away from a table out
// of its room and off its board's live updates, and tell people where they sit. One person's side
// (arriving, their view, table access) is seats.ts; calls for a facilitator, calls.ts.
import { randomInt, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import {
  and,
  asc,
  breakoutRuns,
  breakoutTables,
  eq,
  inArray,
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
  publicState,
  runById,
  seatingOf,
  seatOf,
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
import { BreakoutCalls } from "./calls.js";
import { checkHosts } from "./hosts.js";
import { BreakoutSeats } from "./seats.js";
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

/** `userId` was moved away from table `tableId`: they leave its media room and its board's updates. */
type Departure = { tableId: string; userId: string };

type Changes = {
  seated: Map<string, { tableId: string | null; reason: BreakoutAssignment["reason"] }>;
  /** Media rooms to delete. */
  rooms: string[];
  /** People moved away from a table: out of its media room and its board's live updates. */
  left: Departure[];
  /** The run that closed (the public state no longer names it). */
  closedRunId?: string;
  /** Who had called a facilitator from a call that lapsed (the round moved on, the tables closed). */
  callers?: string[];
};

export class BreakoutService {
  notifier: BreakoutNotifier = silentNotifier;
  timers: BreakoutTimers | undefined;
  readonly calls: BreakoutCalls;
  readonly seats: BreakoutSeats;
  private readonly media: TableMedia;

  constructor(private readonly deps: BreakoutServiceDeps) {
    this.media = new TableMedia(deps);
    // The notifier is set once the socket server exists: the parts ask for it when they speak.
    const notifier = () => this.notifier;
    this.calls = new BreakoutCalls({ db: deps.db, clock: deps.clock, notifier });
    this.seats = new BreakoutSeats({
      db: deps.db,
      clock: deps.clock,
      media: this.media,
      calls: this.calls,
      notifier,
    });
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
      case "call": {
        const run = await this.requireRun(ctx.sessionId);
        await this.calls.call(actor.user.id, ctx.sessionId, run.id, command.message ?? null);
        return { ok: true };
      }
      case "resolveCall": {
        lead();
        const run = await this.requireRun(ctx.sessionId);
        await this.calls.resolve(actor.user.id, ctx.sessionId, run.id, command.callId);
        return { ok: true };
      }
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

  private async requireRun(
    sessionId: string,
    executor: Executor = this.db,
    lock: boolean | "share" = false,
  ): Promise<RunRow> {
    const run = await activeRun(executor, sessionId, lock);
    if (!run) throw new HttpError(ErrorCode.conflict, "No breakout tables are open in this session");
    return run;
  }

  /** During close-all's countdown nobody moves, picks a table or changes the round any more. */
  private refuseWhileClosing(run: RunRow): void {
    if (run.state === "closing") throw new HttpError(ErrorCode.tablesClosing);
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
    const changes: Changes = { seated: new Map(), rooms: [], left: [] };
    const opened: TableRow[] = [];
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
      await checkHosts(
        tx,
        ctx,
        specs.map((spec) => spec.hostId),
      );
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
      opened.push(...tables);
      return row!;
    });
    await this.media.ensure(opened);
    await this.timers?.armRun(run);
    await this.announce(ctx.sessionId, changes);
    return { ok: true, runId: run.id };
  }

  // ---- moves ----

  private async move(actor: Actor, ctx: SessionContext, userId: string, tableId: string | null) {
    const moved = await sessionContext(this.db, ctx.sessionId, userId).catch(() => null);
    if (!moved) throw new HttpError(ErrorCode.notFound, "No such participant in this session");
    const now = this.deps.clock.now();
    const changes: Changes = { seated: new Map(), rooms: [], left: [] };
    await this.db.transaction(async (tx) => {
      const run = await this.requireRun(ctx.sessionId, tx, true);
      this.refuseWhileClosing(run);
      if (tableId !== null) await this.openTable(tx, run, tableId);
      const from = await seatOf(tx, run.id, userId);
      if (from && from !== tableId) changes.left.push({ tableId: from, userId });
      await standUp(tx, run.id, now, userId);
      if (tableId !== null)
        await sitDown(tx, run, [{ userId, tableId, reason: "moved", movedBy: actor.user.id }], now);
      changes.seated.set(userId, { tableId, reason: "moved" });
    });
    await this.depart(ctx.sessionId, changes.left);
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
    const changes: Changes = { seated: new Map(), rooms: [], left: [] };
    await this.db.transaction(async (tx) => {
      // A shared lock: people choose side by side, but a close-all waits until they sit down, so
      // nobody sits down once the countdown has begun.
      const run = await this.requireRun(ctx.sessionId, tx, "share");
      this.refuseWhileClosing(run);
      if (run.strategy !== "topic")
        throw new HttpError(ErrorCode.forbidden, "Tables are assigned in this session");
      const table = await this.openTable(tx, run, tableId, true);
      const seating = await seatingOf(tx, run.id);
      if (seating[actor.user.id] === table.id) return;
      const count = Object.values(seating).filter((id) => id === table.id).length;
      if (!canTake({ id: table.id, seats: table.seats }, count)) throw new HttpError(ErrorCode.tableFull);
      const from = seating[actor.user.id];
      if (from) changes.left.push({ tableId: from, userId: actor.user.id });
      await standUp(tx, run.id, now, actor.user.id);
      await sitDown(tx, run, [{ userId: actor.user.id, tableId, reason: "chosen" }], now);
      changes.seated.set(actor.user.id, { tableId, reason: "chosen" });
    });
    await this.depart(ctx.sessionId, changes.left);
    await this.announce(ctx.sessionId, changes);
    return { ok: true as const };
  }

  // ---- one person's side (seats.ts), kept here for the edges that hold the service ----

  /** Someone (re)joins the breakouts: a latecomer is seated; their view and the calls they see. */
  arrive(user: User, ctx: SessionContext) {
    return this.seats.arrive(user, ctx);
  }

  async mineFor(user: User, sessionId: string): Promise<MyBreakout> {
    return this.seats.mine(user, await sessionContext(this.db, sessionId, user.id));
  }

  mayBeAt(sessionId: string, tableId: string, userId: string): Promise<boolean> {
    return this.seats.mayBeAt(sessionId, tableId, userId);
  }

  tokenForRoute(
    user: User,
    sessionId: string,
    tableId: string,
    hidden: boolean,
  ): Promise<MediaTokenResponse> {
    return this.seats.tokenForRoute(user, sessionId, tableId, hidden);
  }

  // ---- rounds and timers ----

  private async start(ctx: SessionContext, durationMs: number) {
    const now = this.deps.clock.now();
    const run = await this.db.transaction(async (tx) => {
      const run = await this.requireRun(ctx.sessionId, tx, true);
      this.refuseWhileClosing(run);
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
      this.refuseWhileClosing(run);
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
    this.refuseWhileClosing(run);
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
    const changes: Changes = { seated: new Map(), rooms: [], left: [] };
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
    await this.depart(sessionId, changes.left);
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
    // A call made at a table was about that table, which is no longer the caller's.
    changes.callers = await this.calls.lapse(tx, run.id, now, false);
    for (const [userId, tableId] of Object.entries(seating))
      changes.seated.set(userId, { tableId, reason: "rotated" });
    // Travellers leave their old table's room and board; hosts (and anyone left in place) stay.
    for (const [userId, from] of Object.entries(current))
      if (seating[userId] !== from) changes.left.push({ tableId: from, userId });
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
    changes.callers = await this.calls.lapse(tx, run.id, now, true);
    for (const userId of await standUp(tx, run.id, now))
      changes.seated.set(userId, { tableId: null, reason: "returned" });
    changes.rooms = closed.map((t) => tableRoom(run.sessionId, t.id));
    changes.closedRunId = run.id;
  }

  /** The warning (a minute left, or half of a short round), if the run still ends when the job was armed for. */
  async warn(runId: string, at: number): Promise<void> {
    const run = await runById(this.db, runId);
    if (!run || run.state !== "running" || run.warnAt?.getTime() !== at || !run.endsAt) return;
    // The time really left, so a short round's warning does not claim a minute (nor a late job's).
    const leftMs = Math.max(0, run.endsAt.getTime() - this.deps.clock.now().getTime());
    this.notifier.notice({
      kind: "warning",
      sessionId: run.sessionId,
      endsAt: run.endsAt.toISOString(),
      leftMs,
    });
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
    const changes: Changes = { seated: new Map(), rooms: [], left: [] };
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

  // ---- visits ----

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
    if (media) await this.media.ensure([table]);
    return { ok: true as const, table: tableRef(table), media };
  }

  // ---- after the commit ----

  /**
   * People moved away from a table leave it: its board stops sending them its live updates (it
   * refuses their commands and joins from now on), and they are taken out of its media room.
   * Before they are told where they now sit, so that someone moved back at once rejoins the room
   * and the board they return to instead of being taken out of them.
   */
  private async depart(sessionId: string, left: readonly Departure[]): Promise<void> {
    if (left.length === 0) return;
    const tableIds = [...new Set(left.map((d) => d.tableId))];
    const boardOf = new Map(
      (
        await this.db
          .select({ id: breakoutTables.id, boardId: breakoutTables.boardId })
          .from(breakoutTables)
          .where(inArray(breakoutTables.id, tableIds))
      ).map((t) => [t.id, t.boardId]),
    );
    for (const { tableId, userId } of left) {
      const boardId = boardOf.get(tableId);
      if (boardId) this.notifier.leftBoard(userId, boardId);
    }
    await this.media.leave(
      left.map(({ tableId, userId }) => ({ room: tableRoom(sessionId, tableId), identity: userId })),
    );
  }

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
    const runId = state.runId ?? changes.closedRunId;
    if (runId && changes.callers?.length) await this.calls.lapsed(sessionId, runId, changes.callers);
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
