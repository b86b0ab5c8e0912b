// The breakout commands one by one over real sockets and REST (PGlite, video off): strategies that
// read the database (balanced by invite code, registrations signed up for before the session starts,
// self-chosen with seats), manual moves, World-Café rotation by the timer (each table keeps its
// board and ideas), extend, close-all with a countdown, calls to the facilitator, table access for
// chat, bad input and permissions, and a flood of refused messages cutting its socket off.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { boards, breakoutAssignments, eq, inArray, inviteCodes, registrations } from "@convivio/db";
import {
  PROTOCOL_VERSION,
  type BreakoutAck,
  type BreakoutAssignment,
  type BreakoutCommandInput,
  type BreakoutNotice,
  type FacilitatorCall,
  type PlannedTablesResponse,
} from "@convivio/protocol";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import { createBoardWorld, eventually, type Person } from "../test/boards.js";
import { startSession } from "../test/breakouts.js";
import { scoreRotation, type Seating } from "./assign.js";

let server: TestServer;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
});

interface Live {
  socket: Socket;
  person: Person;
  assignments: BreakoutAssignment[];
  notices: BreakoutNotice[];
  calls: FacilitatorCall[][];
}

async function live(person: Person, sessionId: string): Promise<Live> {
  const socket = connect(server.url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    auth: { protocolVersion: PROTOCOL_VERSION },
    extraHeaders: { cookie: person.cookie },
  });
  sockets.push(socket);
  const me: Live = { socket, person, assignments: [], notices: [], calls: [] };
  socket.on("breakout:assigned", (a: BreakoutAssignment) => me.assignments.push(a));
  socket.on("breakout:notice", (n: BreakoutNotice) => me.notices.push(n));
  socket.on("breakout:calls", (c: { calls: FacilitatorCall[] }) => me.calls.push(c.calls));
  await new Promise<void>((resolve, reject) => {
    socket.once("welcome", () => resolve());
    socket.once("connect_error", reject);
  });
  expect(await socket.timeout(20_000).emitWithAck("breakout:join", { sessionId })).toMatchObject({
    ok: true,
  });
  return me;
}

const seatOf = (p: Live) => p.assignments.at(-1)?.table ?? null;

/** A session with `participants` attendees, started (participants follow the tables only then) unless told. */
async function world(participants: number, options: { start?: boolean } = {}) {
  const w = await createBoardWorld(
    { db: server.database.db, auth: server.auth, store: server.boards.store },
    { participants, now: server.clock.now().getTime() },
  );
  const lead = server.client();
  lead.cookie = w.facilitator.cookie;
  if (options.start !== false) await startSession(lead, w.sessionId);
  return { w, lead };
}

function command(client: TestClient, body: BreakoutCommandInput) {
  return client.post(`/api/sessions/${body.sessionId}/breakouts/commands`, body);
}

async function everyoneSeated(people: Live[]) {
  await eventually(() => {
    for (const p of people) expect(seatOf(p)).not.toBeNull();
  }, 20_000);
}

describe("strategies that read the database", () => {
  it("balanced: people who registered with the same invite code land at different tables", async () => {
    const { w, lead } = await world(8);
    const codes = await server.database.db
      .insert(inviteCodes)
      .values([0, 1].map((i) => ({ eventId: w.eventId, code: `TEAM${i}` })))
      .returning({ id: inviteCodes.id });
    // Two teams of four (one invite code each), four tables: every table gets one of each team.
    await server.database.db.insert(registrations).values(
      w.participants.map((p, i) => ({
        eventId: w.eventId,
        userId: p.userId,
        email: `p${i}@gmail.com`,
        name: p.name,
        status: "confirmed" as const,
        arrival: i + 1,
        inviteCodeId: codes[i % 2]!.id,
      })),
    );
    const people = await Promise.all(w.participants.map((p) => live(p, w.sessionId)));
    const res = await command(lead, {
      type: "open",
      sessionId: w.sessionId,
      by: { count: 4 },
      strategy: "balanced",
    });
    expect(res.status).toBe(200);
    await everyoneSeated(people);
    const teams = new Map<string, Set<number>>();
    people.forEach((p, i) => {
      const table = seatOf(p)!.id;
      teams.set(table, new Set([...(teams.get(table) ?? []), i % 2]));
    });
    expect(teams.size).toBe(4);
    for (const team of teams.values()) expect(team.size).toBe(2);
  }, 60_000);

  it("registrations: who signed up before the session sits there when tables open; seats are respected at sign-up", async () => {
    // Everything before the start: attendees cannot be in the live session yet, but may sign up.
    const { w, lead } = await world(4, { start: false });
    const planned = await lead.put(`/api/sessions/${w.sessionId}/breakout-tables`, {
      tables: [
        { topic: "Mobility", seats: 1 },
        { topic: "Schools", seats: 3 },
      ],
    });
    expect(planned.status).toBe(200);
    const [mobility, schools] = (planned.body as PlannedTablesResponse).tables;
    const client = (p: Person) => {
      const c = server.client();
      c.cookie = p.cookie;
      return c;
    };
    const [a, b, c] = w.participants.map(client);
    expect((await a!.put(`/api/sessions/${w.sessionId}/breakout-tables/${mobility!.id}/signup`)).status).toBe(
      200,
    );
    const full = await b!.put(`/api/sessions/${w.sessionId}/breakout-tables/${mobility!.id}/signup`);
    expect(full.status).toBe(409);
    expect((full.body as { code: string }).code).toBe("table_full");
    const mine = await b!.put(`/api/sessions/${w.sessionId}/breakout-tables/${schools!.id}/signup`);
    expect(mine.body).toMatchObject({ mine: schools!.id, tables: [{ count: 1 }, { count: 1 }] });
    expect((await c!.put(`/api/sessions/${w.sessionId}/breakout-tables/${schools!.id}/signup`)).status).toBe(
      200,
    );
    expect((await c!.delete(`/api/sessions/${w.sessionId}/breakout-tables/signup`)).body).toMatchObject({
      mine: null,
    });
    // Attendees may not plan tables.
    expect((await a!.put(`/api/sessions/${w.sessionId}/breakout-tables`, { tables: [{}] })).status).toBe(403);
    // The agenda shows the same sign-up, for the whole event.
    const agenda = await a!.get(`/api/events/${w.slug}/breakout-tables`);
    expect(agenda.body).toEqual({
      sessions: [
        expect.objectContaining({
          sessionId: w.sessionId,
          mine: mobility!.id,
          tables: [expect.objectContaining({ count: 1 }), expect.objectContaining({ count: 1 })],
        }),
      ],
    });
    expect((await a!.get(`/api/events/no-such-event/breakout-tables`)).status).toBe(404);
    const outsider = server.client();
    outsider.cookie = w.outsider.cookie;
    expect((await outsider.get(`/api/events/${w.slug}/breakout-tables`)).status).toBe(403);

    await startSession(lead, w.sessionId);
    const people = await Promise.all(w.participants.map((p) => live(p, w.sessionId)));
    const res = await command(lead, {
      type: "open",
      sessionId: w.sessionId,
      by: { count: 2 },
      strategy: "registrations",
    });
    expect(res.status).toBe(200);
    await everyoneSeated(people);
    expect(seatOf(people[0]!)).toMatchObject({ id: mobility!.id, topic: "Mobility", number: 1 });
    expect(seatOf(people[1]!)).toMatchObject({ id: schools!.id, topic: "Schools" });
    // No sign-up: the least-full table with a free seat.
    expect(seatOf(people[2]!)!.id).toBe(schools!.id);
    expect(seatOf(people[3]!)!.id).toBe(schools!.id);
    // Video is off: no token, and the client says so.
    expect(people[0]!.assignments.at(-1)!.media).toBeNull();
  }, 60_000);
});

describe("self-chosen, manual moves, calls, close-all", () => {
  it("topic: people pick a table until it is full; facilitators move people; calls reach facilitators", async () => {
    const { w, lead } = await world(3);
    const facilitator = await live(w.facilitator, w.sessionId);
    const people = await Promise.all(w.participants.map((p) => live(p, w.sessionId)));
    const opened = await command(lead, {
      type: "open",
      sessionId: w.sessionId,
      by: { count: 2 },
      strategy: "topic",
      tables: [
        { topic: "Parks", seats: 1 },
        { topic: "Housing", seats: 5 },
      ],
    });
    expect(opened.status).toBe(200);
    const state = (await lead.get(`/api/sessions/${w.sessionId}/breakouts`)).body as {
      state: { tables: { id: string; topic: string }[] };
    };
    const [parks, housing] = state.state.tables;
    const choose = (p: Live, tableId: string): Promise<BreakoutAck> =>
      p.socket
        .timeout(20_000)
        .emitWithAck("breakout:command", { type: "choose", sessionId: w.sessionId, tableId });
    expect(await choose(people[0]!, parks!.id)).toEqual({ ok: true });
    expect(await choose(people[1]!, parks!.id)).toEqual({ ok: false, code: "table_full" });
    expect(await choose(people[1]!, housing!.id)).toEqual({ ok: true });
    await eventually(() => expect(seatOf(people[0]!)?.topic).toBe("Parks"));
    expect(seatOf(people[2]!)).toBeNull();

    // Manual move, by a facilitator only; null is back to the plenary.
    const move = {
      type: "move" as const,
      sessionId: w.sessionId,
      userId: people[2]!.person.userId,
      tableId: housing!.id,
    };
    const attendee = server.client();
    attendee.cookie = people[0]!.person.cookie;
    expect((await command(attendee, move)).status).toBe(403);
    expect((await command(lead, move)).status).toBe(200);
    await eventually(() => expect(seatOf(people[2]!)?.id).toBe(housing!.id));
    expect(people[2]!.assignments.at(-1)!.reason).toBe("moved");

    // Table access (table chat): seat holders and facilitators, nobody else.
    const access = server.breakouts.tableAccess;
    expect(await access(w.sessionId, housing!.id, people[2]!.person.userId)).toBe(true);
    expect(await access(w.sessionId, parks!.id, people[2]!.person.userId)).toBe(false);
    expect(await access(w.sessionId, parks!.id, w.facilitator.userId)).toBe(true);
    expect(await access(w.sessionId, parks!.id, w.outsider.userId)).toBe(false);

    // Calling the facilitator: facilitators see who called from which table; calling twice is one call.
    const call = { type: "call" as const, sessionId: w.sessionId, message: "We are stuck" };
    expect(await people[0]!.socket.timeout(20_000).emitWithAck("breakout:command", call)).toEqual({
      ok: true,
    });
    expect(await people[0]!.socket.timeout(20_000).emitWithAck("breakout:command", call)).toEqual({
      ok: true,
    });
    await eventually(() =>
      expect(facilitator.calls.at(-1)).toEqual([
        expect.objectContaining({ name: people[0]!.person.name, tableNumber: 1, message: "We are stuck" }),
      ]),
    );
    expect(people[1]!.calls).toHaveLength(0);
    const callId = facilitator.calls.at(-1)![0]!.id;
    expect((await command(lead, { type: "resolveCall", sessionId: w.sessionId, callId })).status).toBe(200);
    await eventually(() => expect(facilitator.calls.at(-1)).toEqual([]));

    // A message to all tables.
    expect(
      (await command(lead, { type: "broadcast", sessionId: w.sessionId, message: "Five minutes!" })).status,
    ).toBe(200);
    await eventually(() => {
      for (const p of people)
        expect(p.notices).toContainEqual(
          expect.objectContaining({ kind: "broadcast", message: "Five minutes!" }),
        );
    });

    // Opening twice is refused while tables are open.
    expect(
      (await command(lead, { type: "open", sessionId: w.sessionId, by: { count: 2 }, strategy: "random" }))
        .status,
    ).toBe(409);

    // Close all: a countdown everyone sees, then everyone is back.
    expect(
      (await command(lead, { type: "closeAll", sessionId: w.sessionId, countdownMs: 1_000 })).status,
    ).toBe(200);
    await eventually(() => {
      for (const p of people) expect(p.notices.some((n) => n.kind === "closing")).toBe(true);
    });
    await eventually(() => {
      for (const p of people) expect(seatOf(p)).toBeNull();
    }, 20_000);
    expect(await access(w.sessionId, housing!.id, people[2]!.person.userId)).toBe(false);
    const after = (await lead.get(`/api/sessions/${w.sessionId}/breakouts`)).body as {
      state: { state: null };
    };
    expect(after.state.state).toBeNull();
  }, 60_000);
});

describe("World-Café rounds", () => {
  it("the timer rotates the travellers (hosts stay, nobody meets anyone twice, each table keeps its board and ideas), extend moves the end", async () => {
    const { w, lead } = await world(16);
    const people = await Promise.all(w.participants.map((p) => live(p, w.sessionId)));
    const hosts = w.participants.slice(0, 4).map((p) => p.userId);
    const opened = await command(lead, {
      type: "open",
      sessionId: w.sessionId,
      by: { count: 4 },
      strategy: "random",
      tables: hosts.map((hostId, i) => ({ topic: `Topic ${i + 1}`, hostId })),
      rounds: 3,
      seed: 7,
    });
    expect(opened.status).toBe(200);
    await everyoneSeated(people);
    const runId = (opened.body as { runId: string }).runId;
    // Round 1: each table's board, and one idea on it from a traveller sitting there.
    const boardOf = new Map<string, string>();
    for (const p of people) boardOf.set(seatOf(p)!.id, seatOf(p)!.boardId!);
    expect(new Set(boardOf.values()).size).toBe(4);
    const ideaAt = new Map<string, string>();
    for (const [tableId, boardId] of boardOf) {
      const traveller = people.find((p) => seatOf(p)!.id === tableId && !hosts.includes(p.person.userId))!;
      const text = `Round 1 idea at ${tableId}`;
      expect(
        await traveller.socket.timeout(20_000).emitWithAck("board:command", {
          type: "proposeIdea",
          boardId,
          columnId: "ideas",
          text,
          clientOpId: crypto.randomUUID(),
        }),
      ).toMatchObject({ ok: true });
      ideaAt.set(tableId, text);
    }
    const roundOne = new Map(people.map((p) => [p.person.userId, seatOf(p)!.id]));
    // A long round first, extended: the end moves and everyone hears of it.
    expect((await command(lead, { type: "start", sessionId: w.sessionId, durationMs: 600_000 })).status).toBe(
      200,
    );
    const before = (await lead.get(`/api/sessions/${w.sessionId}/breakouts`)).body as {
      state: { endsAt: string };
    };
    expect((await command(lead, { type: "extend", sessionId: w.sessionId, byMs: 60_000 })).status).toBe(200);
    const extended = (await lead.get(`/api/sessions/${w.sessionId}/breakouts`)).body as {
      state: { endsAt: string };
    };
    expect(Date.parse(extended.state.endsAt) - Date.parse(before.state.endsAt)).toBe(60_000);
    await eventually(() => expect(people[5]!.notices.some((n) => n.kind === "extended")).toBe(true));
    // Next round by hand, then short rounds run out by themselves: round 3, then back to the plenary.
    expect((await command(lead, { type: "nextRound", sessionId: w.sessionId })).status).toBe(200);
    await eventually(() => {
      for (const p of people) expect(p.assignments.at(-1)!.reason).toBe("rotated");
    });
    // Round 2: a table is the same table with the same board, and its round-1 idea is still there,
    // now in front of travellers who were elsewhere.
    let newcomers = 0;
    for (const p of people) {
      const seat = seatOf(p)!;
      expect(seat.boardId).toBe(boardOf.get(seat.id));
      if (roundOne.get(p.person.userId) !== seat.id) newcomers++;
    }
    expect(newcomers).toBe(12);
    for (const [tableId, boardId] of boardOf) {
      const loaded = await server.boards.store.load(boardId);
      expect(Object.values(loaded!.state.ideas).map((i) => i.text)).toEqual([ideaAt.get(tableId)]);
    }
    const tableBoards = await server.database.db
      .select({ id: boards.id })
      .from(boards)
      .where(inArray(boards.tableId, [...boardOf.keys()]));
    expect(tableBoards.map((b) => b.id).sort()).toEqual([...boardOf.values()].sort());
    expect((await command(lead, { type: "start", sessionId: w.sessionId, durationMs: 1_500 })).status).toBe(
      200,
    );
    await eventually(() => expect(people[5]!.assignments.at(-1)!.round).toBe(3), 20_000);
    // A round shorter than two minutes is warned halfway, and the warning says what is really left.
    await eventually(() => expect(people[5]!.notices.some((n) => n.kind === "warning")).toBe(true), 20_000);
    const warning = people[5]!.notices.find((n) => n.kind === "warning");
    expect(warning).toMatchObject({ kind: "warning", leftMs: expect.any(Number) });
    expect((warning as { leftMs: number }).leftMs).toBeLessThanOrEqual(750);
    await eventually(() => {
      for (const p of people) expect(seatOf(p)).toBeNull();
    }, 20_000);

    const rows = await server.database.db
      .select()
      .from(breakoutAssignments)
      .where(eq(breakoutAssignments.runId, runId));
    const rounds: Seating[] = [{}, {}, {}];
    for (const row of rows) rounds[row.round - 1]![row.userId] = row.tableId;
    for (const round of rounds) expect(Object.keys(round)).toHaveLength(16);
    for (const hostId of hosts) expect(new Set(rounds.map((r) => r[hostId])).size).toBe(1);
    // The round-3 seats on the same four tables (and so the same four boards).
    expect(new Set(Object.values(rounds[2]!))).toEqual(new Set(boardOf.keys()));
    expect(scoreRotation(rounds, new Set(hosts)).repeatedPairs).toBe(0);
  }, 90_000);
});

describe("bad input", () => {
  it("is refused with a clear code and changes nothing; nothing crashes", async () => {
    const { w, lead } = await world(1);
    const p = await live(w.participants[0]!, w.sessionId);
    const ack = (payload: unknown) => p.socket.timeout(20_000).emitWithAck("breakout:command", payload);
    expect(await ack({ type: "open", sessionId: w.sessionId, by: { count: 0 }, strategy: "random" })).toEqual(
      {
        ok: false,
        code: "validation_failed",
      },
    );
    expect(await ack("nonsense")).toEqual({ ok: false, code: "validation_failed" });
    expect(await ack({ type: "broadcast", sessionId: w.sessionId, message: "x".repeat(501) })).toEqual({
      ok: false,
      code: "validation_failed",
    });
    expect(await ack({ type: "extend", sessionId: w.sessionId, byMs: 1_000 })).toEqual({
      ok: false,
      code: "forbidden",
    });
    expect(await ack({ type: "call", sessionId: w.sessionId })).toEqual({ ok: false, code: "conflict" });
    p.socket.emit("breakout:join", 42);
    p.socket.emit("breakout:command");
    expect(await p.socket.timeout(20_000).emitWithAck("breakout:join", { sessionId: "no" })).toEqual({
      ok: false,
      code: "validation_failed",
    });
    const outsider = await (async () => {
      const c = server.client();
      c.cookie = w.outsider.cookie;
      return c;
    })();
    expect((await outsider.get(`/api/sessions/${w.sessionId}/breakouts`)).status).toBe(403);
    const wrong = await command(lead, { type: "extend", sessionId: w.sessionId, byMs: 1_000 });
    expect(wrong.status).toBe(409);
    const mismatch = await lead.post(`/api/sessions/${w.sessionId}/breakouts/commands`, {
      type: "broadcast",
      sessionId: w.boardId,
      message: "hi",
    });
    expect(mismatch.status).toBe(400);
    expect((await lead.get(`/api/sessions/${w.sessionId}/breakouts`)).status).toBe(200);
  }, 60_000);

  it("a socket that keeps sending refused breakout messages is cut off; the others carry on", async () => {
    const { w } = await world(2);
    const [flooder, neighbour] = await Promise.all(w.participants.map((p) => live(p, w.sessionId)));
    const cutOff = new Promise<string>((resolve) =>
      flooder!.socket.once("disconnect", (reason) => resolve(reason)),
    );
    // Invalid payloads (with and without an ack, on every breakout event) and then valid ones past
    // the rate limit: each refusal is a strike, as on the board and session sockets.
    for (let i = 0; i < 60; i++) flooder!.socket.emit("breakout:command", { nonsense: i }, () => undefined);
    for (let i = 0; i < 20; i++) flooder!.socket.emit("breakout:join", { sessionId: i });
    for (let i = 0; i < 20; i++) flooder!.socket.emit("breakout:leave", "nonsense");
    for (let i = 0; i < 60; i++)
      flooder!.socket.emit("breakout:command", { type: "call", sessionId: w.sessionId }, () => undefined);
    expect(await cutOff).toBe("io server disconnect");
    // The neighbour's connection and commands are untouched.
    expect(neighbour!.socket.connected).toBe(true);
    expect(
      await neighbour!.socket
        .timeout(20_000)
        .emitWithAck("breakout:command", { type: "call", sessionId: w.sessionId }),
    ).toEqual({ ok: false, code: "conflict" });
  }, 60_000);
});
