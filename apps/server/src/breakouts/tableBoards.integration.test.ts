// A breakout table's board (real sockets, PGlite, video off): it is its table's, so only the people
// seated there now (and facilitators) see it, propose and vote on it, over the socket and over REST;
// a move carries that right to the new table, and takes the person's sockets off the old table
// board's live updates; the seat check behind every command is one statement; once the tables
// close, whoever sat at one may still look at its board but changes nothing. While a table's votes are hidden the facilitators' overview
// carries no count and no trace of a vote; the roll-up publishes the tables' results by revealing
// each table board through the board's command path (its people see the reveal live), and refuses,
// revealing nothing, when a table board is locked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@convivio/db";
import type { BoardId, ColumnId, IdeaId } from "@convivio/protocol";
import { startTestServer, type TestServer } from "../test/harness.js";
import { BoardClient, eventually, type Person } from "../test/boards.js";
import {
  BreakoutTab,
  breakoutWorld,
  clientOf,
  command,
  openParksAndSchools,
  overview,
} from "../test/breakouts.js";
import { placeAt } from "./tablePlace.js";

let server: TestServer;
const closers: { close(): void }[] = [];

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  for (const c of closers) c.close();
  await server.close();
});

async function tab(person: Person, sessionId: string): Promise<BreakoutTab> {
  const t = new BreakoutTab(server.url, person);
  closers.push(t);
  expect(await t.join(sessionId)).toMatchObject({ ok: true });
  return t;
}

async function boardClient(person: Person, boardId: string): Promise<BoardClient> {
  const c = new BoardClient(server.url, person, boardId as BoardId);
  closers.push(c);
  await c.ready();
  return c;
}

const IDEAS = "ideas" as ColumnId;
const idea = (text: string) => ({ type: "proposeIdea", columnId: IDEAS, text });

describe("a table's board belongs to its table", () => {
  it("is refused to people seated elsewhere (socket and REST), follows a move, and is read-only after the tables close", async () => {
    const { w, lead } = await breakoutWorld(server, 2);
    const { sessionId } = w;
    const [anna, bruno] = await Promise.all(w.participants.map((p) => tab(p, sessionId)));
    const { parks, schools } = await openParksAndSchools(lead, sessionId);
    const move = (who: BreakoutTab, tableId: string | null) =>
      command(lead, { type: "move", sessionId, userId: who.person.userId, tableId });
    expect((await move(anna!, parks!.id)).status).toBe(200);
    expect((await move(bruno!, schools!.id)).status).toBe(200);
    await eventually(() => {
      expect(anna!.seat?.id).toBe(parks!.id);
      expect(bruno!.seat?.id).toBe(schools!.id);
    });
    const annaRest = clientOf(server, anna!.person);

    // Anna, at Parks, on the Schools board: refused over the socket (join and commands) and REST.
    const annaOnSchools = await boardClient(anna!.person, schools!.boardId!);
    expect(await annaOnSchools.join()).toEqual({ ok: false, code: "forbidden" });
    expect(await anna!.board({ ...idea("Not my table"), boardId: schools!.boardId })).toEqual({
      ok: false,
      code: "forbidden",
    });
    expect((await annaRest.get(`/api/boards/${schools!.boardId}`)).status).toBe(403);
    expect((await annaRest.get(`/api/boards/${schools!.boardId}/people`)).status).toBe(403);
    // Her own table's board is hers.
    expect(await anna!.board({ ...idea("Benches in the park"), boardId: parks!.boardId })).toMatchObject({
      ok: true,
    });
    expect((await annaRest.get(`/api/boards/${parks!.boardId}`)).status).toBe(200);
    // Someone outside the event, and the facilitator who may be on every board.
    expect((await clientOf(server, w.outsider).get(`/api/boards/${parks!.boardId}`)).status).toBe(403);
    const leadOnSchools = await boardClient(w.facilitator, schools!.boardId!);
    expect(await leadOnSchools.join()).toMatchObject({ ok: true });
    expect((await lead.get(`/api/boards/${schools!.boardId}`)).status).toBe(200);

    // Moved to Schools: the Schools board opens to her, and the Parks board closes at once (the
    // socket had just used it: no cached role outlives the move).
    expect((await move(anna!, schools!.id)).status).toBe(200);
    await eventually(() => expect(anna!.seat?.id).toBe(schools!.id));
    expect(await annaOnSchools.join()).toMatchObject({ ok: true });
    expect(
      await annaOnSchools.send({ type: "proposeIdea", columnId: IDEAS, text: "A school garden" }),
    ).toMatchObject({ ok: true });
    expect((await annaRest.get(`/api/boards/${schools!.boardId}`)).status).toBe(200);
    expect(await anna!.board({ ...idea("Still here?"), boardId: parks!.boardId })).toEqual({
      ok: false,
      code: "forbidden",
    });
    expect((await annaRest.get(`/api/boards/${parks!.boardId}`)).status).toBe(403);

    // The tables close: whoever sat at a table may look at its board, and change nothing.
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);
    await eventually(() => expect(anna!.seat).toBeNull());
    const annaOnParks = await boardClient(anna!.person, parks!.boardId!);
    expect(await annaOnParks.join()).toMatchObject({ ok: true });
    await eventually(() =>
      expect(Object.values(annaOnParks.view!.ideas).map((i) => i.text)).toEqual(["Benches in the park"]),
    );
    expect(await annaOnParks.send({ type: "proposeIdea", columnId: IDEAS, text: "Too late" })).toEqual({
      ok: false,
      code: "forbidden",
    });
    expect((await annaRest.get(`/api/boards/${parks!.boardId}`)).status).toBe(200);
    // Bruno never sat at Parks.
    const brunoOnParks = await boardClient(bruno!.person, parks!.boardId!);
    expect(await brunoOnParks.join()).toEqual({ ok: false, code: "forbidden" });
    expect((await clientOf(server, bruno!.person).get(`/api/boards/${parks!.boardId}`)).status).toBe(403);
  }, 60_000);
});

/** `db`, counting the statements started through it (every query builder is one statement). */
function counting(db: Db): { db: Db; statements: () => number } {
  let statements = 0;
  const starts = new Set([
    "select",
    "selectDistinct",
    "selectDistinctOn",
    "insert",
    "update",
    "delete",
    "execute",
  ]);
  const proxy = new Proxy(db, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || !starts.has(key) || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        statements++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { db: proxy, statements: () => statements };
}

describe("the seat check of a table board's commands", () => {
  it("is one statement: seated at an open table, seated elsewhere, sat at a closed one, never sat there", async () => {
    const { w, lead } = await breakoutWorld(server, 2);
    const { sessionId } = w;
    const [anna, bruno] = await Promise.all(w.participants.map((p) => tab(p, sessionId)));
    const { parks, schools } = await openParksAndSchools(lead, sessionId);
    for (const [who, table] of [
      [anna!, parks!],
      [bruno!, schools!],
    ] as const)
      expect(
        (await command(lead, { type: "move", sessionId, userId: who.person.userId, tableId: table.id }))
          .status,
      ).toBe(200);
    const annaId = anna!.person.userId;
    const brunoId = bruno!.person.userId;
    /** The place, and how many statements finding it took. */
    const place = async (tableId: string, userId: string) => {
      const counted = counting(server.database.db);
      return [await placeAt(counted.db, tableId, userId), counted.statements()];
    };
    expect(await place(parks!.id, annaId)).toEqual(["seated", 1]);
    expect(await place(schools!.id, annaId)).toEqual([null, 1]);
    // Moved on: her seat at Parks is over while the run goes on.
    expect(
      (await command(lead, { type: "move", sessionId, userId: annaId, tableId: schools!.id })).status,
    ).toBe(200);
    expect(await place(parks!.id, annaId)).toEqual([null, 1]);
    expect(await place(schools!.id, annaId)).toEqual(["seated", 1]);
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);
    expect(await place(parks!.id, annaId)).toEqual(["sat", 1]);
    expect(await place(schools!.id, annaId)).toEqual(["sat", 1]);
    expect(await place(parks!.id, brunoId)).toEqual([null, 1]);
    expect(await place("not-a-table", annaId)).toEqual([null, 0]);
  }, 60_000);
});

describe("moved away from a table", () => {
  /** The texts of the ideas in the patches a client got for one board. */
  const ideasPatched = (client: BoardClient, boardId: string) =>
    client.patches
      .filter((p) => p.boardId === boardId)
      .flatMap((p) => p.changes.flatMap((c) => (c.type === "ideaUpserted" ? [c.idea.text] : [])));

  it("no longer gets the old table board's live updates on a socket still on it, which follows the new table's board", async () => {
    const { w, lead } = await breakoutWorld(server, 3);
    const { sessionId } = w;
    const [anna, bruno, carla] = await Promise.all(w.participants.map((p) => tab(p, sessionId)));
    const { parks, schools } = await openParksAndSchools(lead, sessionId);
    const move = (who: BreakoutTab, tableId: string) =>
      command(lead, { type: "move", sessionId, userId: who.person.userId, tableId });
    for (const [who, table] of [
      [anna!, parks!],
      [carla!, parks!],
      [bruno!, schools!],
    ] as const)
      expect((await move(who, table.id)).status).toBe(200);
    await eventually(() => {
      expect(anna!.seat?.id).toBe(parks!.id);
      expect(carla!.seat?.id).toBe(parks!.id);
      expect(bruno!.seat?.id).toBe(schools!.id);
    });
    // Anna and Carla follow the Parks board live; Anna sees what Carla proposes.
    const annaLive = await boardClient(anna!.person, parks!.boardId!);
    expect(await annaLive.join()).toMatchObject({ ok: true });
    const carlaLive = await boardClient(carla!.person, parks!.boardId!);
    expect(await carlaLive.join()).toMatchObject({ ok: true });
    expect(
      await carlaLive.send({ type: "proposeIdea", columnId: IDEAS, text: "Benches in the park" }),
    ).toMatchObject({ ok: true });
    await eventually(() => expect(ideasPatched(annaLive, parks!.boardId!)).toEqual(["Benches in the park"]));

    // Anna moves to Schools; her socket, still on the Parks board, gets nothing more of it.
    expect((await move(anna!, schools!.id)).status).toBe(200);
    await eventually(() => expect(anna!.seat?.id).toBe(schools!.id));
    const annaParksPatches = annaLive.patches.filter((p) => p.boardId === parks!.boardId).length;
    expect(await carlaLive.send({ type: "proposeIdea", columnId: IDEAS, text: "A fountain" })).toMatchObject({
      ok: true,
    });
    await eventually(() =>
      expect(ideasPatched(carlaLive, parks!.boardId!)).toEqual(["Benches in the park", "A fountain"]),
    );
    // Sent in the same tick as Carla's: a few more ticks leave room for anything late.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(annaLive.patches.filter((p) => p.boardId === parks!.boardId)).toHaveLength(annaParksPatches);
    expect(ideasPatched(annaLive, parks!.boardId!)).toEqual(["Benches in the park"]);

    // The same socket joins the Schools board and follows it live.
    expect(
      await annaLive.socket.timeout(10_000).emitWithAck("board:join", { boardId: schools!.boardId }),
    ).toMatchObject({ ok: true });
    expect(await bruno!.board({ ...idea("A school garden"), boardId: schools!.boardId })).toMatchObject({
      ok: true,
    });
    await eventually(() => expect(ideasPatched(annaLive, schools!.boardId!)).toEqual(["A school garden"]));
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);
  }, 60_000);
});

describe("hidden votes at the tables", () => {
  it("the overview carries no count or trace of a vote until the roll-up reveals the board, live, and a locked board refuses the roll-up", async () => {
    const { w, lead } = await breakoutWorld(server, 2);
    const { sessionId } = w;
    const [anna, bruno] = await Promise.all(w.participants.map((p) => tab(p, sessionId)));
    expect(
      (await command(lead, { type: "open", sessionId, by: { count: 1 }, strategy: "random" })).status,
    ).toBe(200);
    await eventually(() => {
      expect(anna!.seat).not.toBeNull();
      expect(bruno!.seat).not.toBeNull();
    });
    const boardId = anna!.seat!.boardId!;
    const annaLive = await boardClient(anna!.person, boardId);
    expect(await annaLive.join()).toMatchObject({ ok: true });
    const leadLive = await boardClient(w.facilitator, boardId);
    expect(await leadLive.join()).toMatchObject({ ok: true });

    expect(
      await annaLive.send({ type: "proposeIdea", columnId: IDEAS, text: "Trees on every street" }),
    ).toMatchObject({ ok: true });
    expect(await leadLive.send({ type: "setPhase", phase: "vote" })).toMatchObject({ ok: true });
    const before = (await overview(lead, sessionId)).tables[0]!;
    expect(before.votes).toBeNull();
    expect(before.lastActivityAt).not.toBeNull();

    await new Promise((resolve) => setTimeout(resolve, 30));
    const ideaId = Object.keys((await server.boards.store.load(boardId))!.state.ideas)[0] as IdeaId;
    for (const who of [anna!, bruno!])
      expect(await who.board({ type: "castVote", boardId, ideaId })).toMatchObject({ ok: true });
    const during = (await overview(lead, sessionId)).tables[0]!;
    // No count, and no "active just now" after each vote from which to count them.
    expect(during.votes).toBeNull();
    expect(during.lastActivityAt).toBe(before.lastActivityAt);

    // Locked with its votes hidden: the roll-up refuses and reveals nothing, copies nothing.
    expect(await leadLive.send({ type: "lockBoard" })).toMatchObject({ ok: true });
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);
    const leadTab = await tab(w.facilitator, sessionId);
    expect(await leadTab.command({ type: "rollUp", sessionId, top: 3 })).toEqual({
      ok: false,
      code: "votes_hidden",
    });
    expect((await server.boards.store.load(boardId))!.state.phase).toBe("vote");
    expect(Object.keys((await server.boards.store.load(w.boardId))!.state.ideas)).toHaveLength(0);
    expect((await overview(lead, sessionId)).tables[0]!.votes).toBeNull();

    // Unlocked: the roll-up reveals the table's votes through the board (Anna, still looking at her
    // table's board, sees the reveal and the counts arrive), then copies the idea up.
    expect(await leadLive.send({ type: "unlockBoard" })).toMatchObject({ ok: true });
    expect(await leadTab.command({ type: "rollUp", sessionId, top: 3 })).toMatchObject({
      ok: true,
      ideas: 1,
    });
    await eventually(() => {
      expect(annaLive.view!.meta.phase).toBe("reveal");
      expect(annaLive.view!.tallies).toEqual({ [ideaId]: 2 });
    });
    const after = (await overview(lead, sessionId)).tables[0]!;
    expect(after.votes).toBe(2);
    expect(Date.parse(after.lastActivityAt!)).toBeGreaterThan(Date.parse(before.lastActivityAt!));
    // Rolling up again neither reveals nor adds anything twice.
    expect(await leadTab.command({ type: "rollUp", sessionId, top: 3 })).toMatchObject({
      ok: true,
      ideas: 0,
    });
  }, 60_000);
});
