// The command path against both databases (PGlite and PostgreSQL): idempotent retries, ack after
// commit, budget and cap under concurrency from two "nodes" (two stores with their own caches on
// one database), snapshots and replay, and the timer report.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { boardEvents, boardOps, boards, count, eq, type Database } from "@convivio/db";
import { testDatabases } from "@convivio/db/testing";
import { replay, createBoard, votesOf, type BoardEvent } from "@convivio/board";
import type { BoardAck, BoardCommand, BoardId, IdeaId, ParticipantId } from "@convivio/protocol";
import { AuthService } from "../auth/service.js";
import type { Mailer } from "../email/mailer.js";
import { BoardCommands } from "./commands.js";
import { BoardStore, SNAPSHOT_EVERY_EVENTS } from "./store.js";
import { createBoardWorld, seeded, type BoardWorld, type Person } from "../test/boards.js";

const logger = pino({ level: "silent" });
const noMail: Mailer = { send: async () => undefined, close: async () => undefined } as unknown as Mailer;

describe.each(testDatabases())("the board command path on $driver", ({ open }) => {
  let database: Database;
  let world: BoardWorld;
  let store: BoardStore;
  let commands: BoardCommands;
  const START = Date.UTC(2030, 0, 1, 9);
  let now = START;
  const clock = { now: () => new Date(now) };

  let auth: AuthService;

  beforeAll(async () => {
    database = await open();
    auth = new AuthService(database.db, noMail, clock, {
      sessionTtlDays: 1,
      magicLinkTtlMinutes: 10,
      resetTtlMinutes: 10,
      publicUrl: () => "http://localhost",
    });
  });
  afterAll(() => database.close());

  // A new event and board per test, on one database per driver.
  beforeEach(async () => {
    now = START;
    store = new BoardStore(database.db);
    commands = new BoardCommands({ store, clock, logger });
    world = await createBoardWorld(
      { db: database.db, auth, store },
      { participants: 3, now, settings: { voteBudget: 5, maxVotesPerIdea: 3 } },
    );
  });

  type Body = BoardCommand extends infer C ? (C extends BoardCommand ? Omit<C, "boardId"> : never) : never;
  const run = (via: BoardCommands, who: Person, body: Body) =>
    via.run({ ...body, boardId: world.boardId } as BoardCommand, {
      participantId: who.userId,
      role: who.role,
    });
  const op = () => randomUUID();

  async function votingBoard(ideas: number): Promise<IdeaId[]> {
    const ids: IdeaId[] = [];
    for (let i = 0; i < ideas; i++) {
      const ack = await run(commands, world.facilitator, {
        type: "proposeIdea",
        clientOpId: op(),
        columnId: "ideas" as never,
        text: `Idea ${i}`,
      });
      if (!ack.ok || !ack.createdId) throw new Error(`propose failed: ${JSON.stringify(ack)}`);
      ids.push(ack.createdId as IdeaId);
    }
    expect(
      await run(commands, world.facilitator, { type: "setPhase", clientOpId: op(), phase: "vote" }),
    ).toMatchObject({ ok: true });
    return ids;
  }

  const rowOf = async () => (await database.db.select().from(boards).where(eq(boards.id, world.boardId)))[0]!;
  const countOf = async (table: typeof boardEvents | typeof boardOps) =>
    (await database.db.select({ n: count() }).from(table).where(eq(table.boardId, world.boardId)))[0]!.n;

  it("answers a retried clientOpId with its first ack and changes nothing", async () => {
    const clientOpId = op();
    const body = { type: "proposeIdea", clientOpId, columnId: "ideas", text: "Shade trees" } as const;
    const first = await run(commands, world.participants[0]!, body as Body);
    expect(first).toMatchObject({ ok: true, seq: 1 });
    const events = await countOf(boardEvents);
    // The retry even carries another text: a clientOpId names one command, answered once.
    const again = await run(commands, world.participants[0]!, { ...body, text: "Something else" } as Body);
    expect(again).toEqual(first);
    expect(await countOf(boardEvents)).toBe(events);
    expect(await countOf(boardOps)).toBe(1);
    const state = (await new BoardStore(database.db).load(world.boardId))!.state;
    expect(Object.values(state.ideas).map((idea) => idea.text)).toEqual(["Shade trees"]);
  });

  it("reads a snapshot stored with the earlier flat vote ledger and votes on from it", async () => {
    const [idea] = await votingBoard(1);
    const [alice, bob] = world.participants as [Person, Person];
    expect((await run(commands, alice, { type: "castVote", clientOpId: op(), ideaId: idea! })).ok).toBe(true);
    // The row as an earlier version of the server left it: votes as participant -> idea -> count.
    const current = (await new BoardStore(database.db).load(world.boardId))!;
    const flat = { ...current.state, votes: { [alice.userId]: { [idea!]: 1 } } };
    await database.db
      .update(boards)
      .set({ state: flat as unknown as Record<string, unknown>, stateVersion: current.version })
      .where(eq(boards.id, world.boardId));
    const reader = new BoardStore(database.db);
    const loaded = (await reader.load(world.boardId))!;
    expect(votesOf(loaded.state, alice.userId as ParticipantId)).toEqual({ [idea!]: 1 });
    const fresh = new BoardCommands({ store: reader, clock, logger });
    expect((await run(fresh, bob, { type: "castVote", clientOpId: op(), ideaId: idea! })).ok).toBe(true);
    expect((await run(fresh, alice, { type: "castVote", clientOpId: op(), ideaId: idea! })).ok).toBe(true);
    const after = (await new BoardStore(database.db).load(world.boardId))!.state;
    expect(votesOf(after, alice.userId as ParticipantId)).toEqual({ [idea!]: 2 });
    expect(votesOf(after, bob.userId as ParticipantId)).toEqual({ [idea!]: 1 });
  });

  it("keeps clientOpIds per participant: another person's same id is another command", async () => {
    const clientOpId = op();
    const a = await run(commands, world.participants[0]!, {
      type: "proposeIdea",
      clientOpId,
      columnId: "ideas" as never,
      text: "A",
    });
    const b = await run(commands, world.participants[1]!, {
      type: "proposeIdea",
      clientOpId,
      columnId: "ideas" as never,
      text: "B",
    });
    expect(a.ok && b.ok && a.createdId !== b.createdId).toBe(true);
  });

  it("acks only once the change is committed: a fresh reader sees it right after the ack", async () => {
    const [idea] = await votingBoard(1);
    const ack = await run(commands, world.participants[0]!, {
      type: "castVote",
      clientOpId: op(),
      ideaId: idea!,
    });
    expect(ack.ok).toBe(true);
    // A store with an empty cache reads only the database.
    const fresh = (await new BoardStore(database.db).load(world.boardId))!;
    expect(votesOf(fresh.state, world.participants[0]!.userId as ParticipantId)).toEqual({ [idea!]: 1 });
    const row = await rowOf();
    expect(row.version).toBe(fresh.version);
    expect(await countOf(boardOps)).toBe(3);
  });

  it("a refused command is answered with its code, remembered, and changes nothing", async () => {
    const clientOpId = op();
    const body = { type: "setPhase", clientOpId, phase: "vote" } as const;
    const refused = await run(commands, world.participants[0]!, body);
    expect(refused).toEqual({ ok: false, code: "forbidden" });
    expect((await rowOf()).version).toBe(0);
    expect(await run(commands, world.participants[0]!, body)).toEqual(refused);
  });

  it("never exceeds the budget or the per-idea cap, with concurrent commands from two nodes and retries", async () => {
    const seed = Date.now() % 100_000;
    const random = seeded(seed);
    const ideas = await votingBoard(3);
    // A second node: its own store and cache on the same database.
    const otherStore = new BoardStore(database.db);
    const other = new BoardCommands({ store: otherStore, clock, logger });
    const sent: { who: Person; clientOpId: string; ack: Promise<BoardAck> }[] = [];
    for (const who of world.participants) {
      for (let i = 0; i < 12; i++) {
        const clientOpId = op();
        const body = {
          type: "castVote",
          clientOpId,
          ideaId: ideas[Math.floor(random() * ideas.length)]!,
        } as const;
        sent.push({ who, clientOpId, ack: run(random() < 0.5 ? commands : other, who, body) });
        // Some commands are retried at once on the other node, as a client would after a reconnect.
        if (random() < 0.3)
          sent.push({ who, clientOpId, ack: run(random() < 0.5 ? other : commands, who, body) });
      }
    }
    const acks = await Promise.all(sent.map(async (s) => ({ ...s, ack: await s.ack })));
    const firstAck = new Map<string, BoardAck>();
    for (const { who, clientOpId, ack } of acks) {
      expect(
        ack.ok || ack.code === "budget_exhausted" || ack.code === "idea_cap_reached",
        JSON.stringify(ack),
      ).toBe(true);
      const key = `${who.userId}:${clientOpId}`;
      if (firstAck.has(key)) expect(ack, `seed ${seed}`).toEqual(firstAck.get(key));
      else firstAck.set(key, ack);
    }
    const state = (await new BoardStore(database.db).load(world.boardId))!.state;
    for (const who of world.participants) {
      const mine = votesOf(state, who.userId as ParticipantId);
      const total = Object.values(mine).reduce((a, b) => a + b, 0);
      const okOps = [...firstAck].filter(([key, ack]) => key.startsWith(who.userId) && ack.ok).length;
      expect(total, `seed ${seed}`).toBe(okOps);
      expect(total, `seed ${seed}`).toBeLessThanOrEqual(5);
      for (const n of Object.values(mine)) expect(n, `seed ${seed}`).toBeLessThanOrEqual(3);
    }
    // Both nodes agree with the database.
    expect((await otherStore.load(world.boardId))!.state).toEqual(state);
    expect((await store.load(world.boardId))!.state).toEqual(state);
  });

  it("decides without the lock when nobody else writes, and falls back to it when another node got in between", async () => {
    const ideas = await votingBoard(2);
    const [ada, bea] = world.participants;
    const otherStore = new BoardStore(database.db);
    const other = new BoardCommands({ store: otherStore, clock, logger });
    // Count the batches that needed the lock, and let the other node commit while this one is
    // between its read and its write (the moment the optimistic path reads its state).
    const spy = store as unknown as {
      executeLocked: (...args: unknown[]) => Promise<unknown>;
      loadAt: (...args: unknown[]) => Promise<unknown>;
    };
    let locked = 0;
    const executeLocked = spy.executeLocked.bind(store);
    spy.executeLocked = (...args) => {
      locked++;
      return executeLocked(...args);
    };
    const loadAt = spy.loadAt.bind(store);
    let meanwhile: (() => Promise<unknown>) | undefined;
    spy.loadAt = async (...args) => {
      const interloper = meanwhile;
      meanwhile = undefined;
      if (interloper) await interloper();
      return loadAt(...args);
    };

    // Quiet board: no lock.
    expect(
      await run(commands, ada!, { type: "castVote", clientOpId: op(), ideaId: ideas[0]! }),
    ).toMatchObject({ ok: true });
    expect(locked).toBe(0);

    // Another node commits a vote in between: this node's write changes nothing, and it decides again under the lock.
    meanwhile = () => run(other, bea!, { type: "castVote", clientOpId: op(), ideaId: ideas[1]! });
    expect(
      await run(commands, ada!, { type: "castVote", clientOpId: op(), ideaId: ideas[1]! }),
    ).toMatchObject({ ok: true });
    expect(locked).toBe(1);

    // The same command retried on the other node commits in between: one vote, the same answer twice.
    const retried = op();
    let otherAck: BoardAck | undefined;
    meanwhile = async () => {
      otherAck = await run(other, ada!, { type: "castVote", clientOpId: retried, ideaId: ideas[0]! });
    };
    const ack = await run(commands, ada!, { type: "castVote", clientOpId: retried, ideaId: ideas[0]! });
    expect(locked).toBe(2);
    expect(ack).toEqual(otherAck);
    const state = (await new BoardStore(database.db).load(world.boardId))!.state;
    expect(votesOf(state, ada!.userId as ParticipantId)).toEqual({ [ideas[0]!]: 2, [ideas[1]!]: 1 });
    expect(votesOf(state, bea!.userId as ParticipantId)).toEqual({ [ideas[1]!]: 1 });
    expect((await store.load(world.boardId))!.state).toEqual(state);
  });

  it("writes a snapshot every few events, and a cold load equals replaying the whole log", async () => {
    for (let i = 0; i < SNAPSHOT_EVERY_EVENTS + 7; i++) {
      await run(commands, world.participants[i % 3]!, {
        type: "proposeIdea",
        clientOpId: op(),
        columnId: "ideas" as never,
        text: `Idea ${i}`,
      });
    }
    const row = await rowOf();
    expect(row.stateVersion).toBe(SNAPSHOT_EVERY_EVENTS);
    expect(row.version).toBe(SNAPSHOT_EVERY_EVENTS + 7);
    const log = await database.db
      .select({ event: boardEvents.event })
      .from(boardEvents)
      .where(eq(boardEvents.boardId, world.boardId))
      .orderBy(boardEvents.ordinal);
    const initial = createBoard(row.settings, { id: world.boardId, now: row.createdAt.getTime() });
    const replayed = replay(
      initial,
      log.map((e) => e.event as unknown as BoardEvent),
    );
    expect((await new BoardStore(database.db).load(world.boardId))!.state).toEqual(replayed);
    expect((await new BoardStore(database.db).stateAtSeq(world.boardId, 3, 1_000))!.seq).toBe(3);
  });

  it("moves the board on when its timer job reports, as the system, and ignores a stale report", async () => {
    const setTimer = await run(commands, world.facilitator, {
      type: "setTimer",
      clientOpId: op(),
      durationMs: 60_000,
    });
    expect(setTimer.ok).toBe(true);
    const deadlineAt = now + 60_000;
    expect((await rowOf()).deadlineAt?.getTime()).toBe(deadlineAt);
    // A report for another phase, or before the deadline, changes nothing.
    const boardId = world.boardId as BoardId;
    expect(
      await commands.runSystem({ type: "timerExpired", boardId, phase: "group", now: deadlineAt }),
    ).toMatchObject({
      ok: true,
      seq: 1,
    });
    expect(
      await commands.runSystem({ type: "timerExpired", boardId, phase: "collect", now: deadlineAt - 1 }),
    ).toMatchObject({ ok: true, seq: 1 });
    now = deadlineAt;
    expect(await commands.runSystem({ type: "timerExpired", boardId, phase: "collect", now })).toMatchObject({
      ok: true,
      seq: 2,
    });
    const row = await rowOf();
    expect(row.phase).toBe("group");
    expect(row.deadlineAt).toBeNull();
    // People cannot report a timer.
    const forged = { type: "timerExpired", boardId, phase: "group", now } as const;
    expect(
      await commands.run({ ...forged, clientOpId: op() } as unknown as BoardCommand, {
        participantId: world.facilitator.userId as ParticipantId,
        role: "facilitator",
      }),
    ).toEqual({ ok: false, code: "forbidden" });
  });
});
