// Table rooms against the LiveKit STAND-IN (test/liveKitStandIn.ts: LiveKit's Twirp room API with
// its grant checks, driven by the real server SDK; no LiveKit server can be installed here): each
// table's room is sized for its seats plus room for facilitators, ending the session closes its
// tables and deletes their rooms, and whoever is moved away from a table (a move, a World-Café
// round) is taken out of its room before being told where to go; the stand-in's RemoveParticipant
// wants the roomAdmin grant for that room, as LiveKit does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessToken } from "livekit-server-sdk";
import { breakoutTables, eq } from "@convivio/db";
import { BREAKOUT_LIMITS, type BreakoutPublicState } from "@convivio/protocol";
import { startTestServer, type TestServer } from "../test/harness.js";
import { startLiveKitStandIn, type LiveKitStandIn } from "../test/liveKitStandIn.js";
import { eventually } from "../test/boards.js";
import { BreakoutTab, breakoutWorld, command } from "../test/breakouts.js";
import { tableRoom } from "../media/roomNames.js";
import { FACILITATOR_PLACES } from "./tableMedia.js";
import { createLiveKitRooms } from "../media/rooms.js";

const API_KEY = "stand-in-key";
const API_SECRET = "stand-in-secret-that-is-long-enough-for-hs256";

let standIn: LiveKitStandIn;
let server: TestServer;
const tabs: BreakoutTab[] = [];

beforeAll(async () => {
  standIn = await startLiveKitStandIn(API_KEY, API_SECRET);
  server = await startTestServer({
    env: { LIVEKIT_URL: standIn.url, LIVEKIT_API_KEY: API_KEY, LIVEKIT_API_SECRET: API_SECRET },
  });
}, 120_000);
afterAll(async () => {
  for (const tab of tabs) tab.close();
  await server?.close();
  await standIn?.close();
});

describe("table rooms (LiveKit stand-in)", () => {
  it("are sized by the table's seats, and ending the session closes the tables and deletes their rooms", async () => {
    const { w, lead } = await breakoutWorld(server, 3);
    const { sessionId } = w;
    const people = w.participants.map((p) => new BreakoutTab(server.url, p));
    tabs.push(...people);
    for (const p of people) expect(await p.join(sessionId)).toMatchObject({ ok: true });
    const opened = await command(lead, {
      type: "open",
      sessionId,
      by: { count: 3 },
      strategy: "random",
      tables: [{ topic: "Small", seats: 2 }, { topic: "Big", seats: 120 }, { topic: "Open" }],
    });
    expect(opened.status).toBe(200);
    const state = (
      (await lead.get(`/api/sessions/${sessionId}/breakouts`)).body as { state: BreakoutPublicState }
    ).state;
    const rooms = state.tables.map((t) => tableRoom(sessionId, t.id));
    expect(rooms.map((room) => standIn.rooms.get(room)?.max_participants)).toEqual([
      2 + FACILITATOR_PLACES,
      120 + FACILITATOR_PLACES,
      // No seat limit: room for the largest table there can be.
      BREAKOUT_LIMITS.maxSeats + FACILITATOR_PLACES,
    ]);
    await eventually(() => {
      for (const p of people) expect(p.seat).not.toBeNull();
    });

    expect((await lead.post(`/api/sessions/${sessionId}/end`)).status).toBe(200);
    await eventually(() => {
      for (const room of rooms) expect(standIn.rooms.has(room)).toBe(false);
    });
    const deleted = standIn.calls.filter((c) => c.method === "DeleteRoom").map((c) => c.body.room);
    expect(deleted).toEqual(expect.arrayContaining(rooms));
    const rows = await server.database.db
      .select({ status: breakoutTables.status, closedAt: breakoutTables.closedAt })
      .from(breakoutTables)
      .where(eq(breakoutTables.sessionId, sessionId));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatchObject({ status: "closed", closedAt: expect.any(Date) });
    // Everyone is told they are back in the plenary.
    await eventually(() => {
      for (const p of people) expect(p.assignments.at(-1)).toMatchObject({ table: null, reason: "returned" });
    });
    expect((await lead.get(`/api/sessions/${sessionId}/breakouts`)).body).toMatchObject({
      state: { runId: null, tables: [] },
    });
  }, 60_000);
});

describe("leaving a table's room (LiveKit stand-in)", () => {
  const removals = () =>
    standIn.calls
      .filter((c) => c.method === "RemoveParticipant")
      .map((c) => `${String(c.body.identity)} ${String(c.body.room)}`);

  it("a person moved to another table or back to the plenary is taken out of the old table's room first", async () => {
    const { w, lead } = await breakoutWorld(server, 2);
    const { sessionId } = w;
    const [anna, bruno] = w.participants.map((p) => new BreakoutTab(server.url, p));
    tabs.push(anna!, bruno!);
    for (const p of [anna!, bruno!]) expect(await p.join(sessionId)).toMatchObject({ ok: true });
    expect(
      (await command(lead, { type: "open", sessionId, by: { count: 2 }, strategy: "manual" })).status,
    ).toBe(200);
    const state = (
      (await lead.get(`/api/sessions/${sessionId}/breakouts`)).body as { state: BreakoutPublicState }
    ).state;
    const [one, two] = state.tables.map((t) => ({ id: t.id, room: tableRoom(sessionId, t.id) }));
    const move = (who: BreakoutTab, tableId: string | null) =>
      command(lead, { type: "move", sessionId, userId: who.person.userId, tableId });
    const annaId = anna!.person.userId;
    const before = removals().length;

    // Sitting down from the plenary leaves no table room.
    expect((await move(anna!, one!.id)).status).toBe(200);
    expect((await move(bruno!, one!.id)).status).toBe(200);
    await eventually(() => expect(anna!.seat?.id).toBe(one!.id));
    expect(removals().slice(before)).toEqual([]);
    // Anna is connected at table one (with Bruno); a facilitator moves her to table two.
    standIn.addParticipant(one!.room, annaId);
    standIn.addParticipant(one!.room, bruno!.person.userId);
    const told = anna!.assignments.length;
    // Whether she was still in table one's room when she heard where to go.
    const stillThere: boolean[] = [];
    anna!.socket.once("breakout:assigned", () =>
      stillThere.push(standIn.rooms.get(one!.room)!.participants.has(annaId)),
    );
    expect((await move(anna!, two!.id)).status).toBe(200);
    await eventually(() => expect(anna!.seat?.id).toBe(two!.id));
    expect(removals().slice(before)).toEqual([`${annaId} ${one!.room}`]);
    expect([...standIn.rooms.get(one!.room)!.participants.keys()]).toEqual([bruno!.person.userId]);
    // Her tokens issued before now stop working in that room (on LiveKit servers that revoke).
    const call = standIn.calls.findLast((c) => c.method === "RemoveParticipant")!;
    expect(Math.abs(Number(call.body.revokeTokenTs) - Date.now() / 1000)).toBeLessThan(60);
    // She was told where to go (table two) only once she was out of table one's room.
    expect(anna!.assignments.slice(told).map((a) => a.table?.id)).toEqual([two!.id]);
    expect(stillThere).toEqual([false]);

    // Back to the plenary: out of table two's room (not connected there: no error, nothing else).
    expect((await move(anna!, null)).status).toBe(200);
    await eventually(() => expect(anna!.seat).toBeNull());
    expect(removals().slice(before)).toEqual([`${annaId} ${one!.room}`, `${annaId} ${two!.room}`]);
    // Moving someone to the table they sit at leaves them where they are.
    expect((await move(bruno!, one!.id)).status).toBe(200);
    expect(removals().slice(before)).toHaveLength(2);
    expect(standIn.rooms.get(one!.room)!.participants.has(bruno!.person.userId)).toBe(true);
  }, 60_000);

  it("a World-Café round takes the travellers out of their old rooms, never the hosts", async () => {
    const { w, lead } = await breakoutWorld(server, 4);
    const { sessionId } = w;
    const people = w.participants.map((p) => new BreakoutTab(server.url, p));
    tabs.push(...people);
    for (const p of people) expect(await p.join(sessionId)).toMatchObject({ ok: true });
    const hosts = w.participants.slice(0, 2).map((p) => p.userId);
    expect(
      (
        await command(lead, {
          type: "open",
          sessionId,
          by: { count: 2 },
          strategy: "random",
          tables: hosts.map((hostId, i) => ({ topic: `Topic ${i + 1}`, hostId })),
          rounds: 2,
          seed: 3,
        })
      ).status,
    ).toBe(200);
    await eventually(() => {
      for (const p of people) expect(p.seat).not.toBeNull();
    });
    const first = new Map(people.map((p) => [p.person.userId, p.seat!.id]));
    const before = removals().length;
    expect((await command(lead, { type: "nextRound", sessionId })).status).toBe(200);
    await eventually(() => {
      for (const p of people) expect(p.assignments.at(-1)!.reason).toBe("rotated");
    });
    const moved = people.filter((p) => p.seat!.id !== first.get(p.person.userId));
    expect(moved.length).toBeGreaterThan(0);
    expect(removals().slice(before).sort()).toEqual(
      moved.map((p) => `${p.person.userId} ${tableRoom(sessionId, first.get(p.person.userId)!)}`).sort(),
    );
    for (const hostId of hosts) expect(removals().some((r) => r.startsWith(hostId))).toBe(false);
  }, 60_000);

  it("the stand-in's RemoveParticipant wants roomAdmin for that very room, and the adapter treats an absent participant as done", async () => {
    await createLiveKitRooms({ url: standIn.url, apiKey: API_KEY, apiSecret: API_SECRET }).ensureRoom(
      "grants-room",
      "table",
    );
    standIn.addParticipant("grants-room", "someone");
    const call = async (grant: Record<string, unknown>) => {
      const token = new AccessToken(API_KEY, API_SECRET);
      token.addGrant(grant);
      const res = await fetch(
        `${standIn.url.replace(/^ws/, "http")}/twirp/livekit.RoomService/RemoveParticipant`,
        {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${await token.toJwt()}` },
          body: JSON.stringify({ room: "grants-room", identity: "someone" }),
        },
      );
      return { status: res.status, body: (await res.json()) as unknown };
    };
    const denied = { status: 401, body: { code: "unauthenticated", msg: "permissions denied" } };
    expect(await call({ roomCreate: true, roomList: true })).toEqual(denied);
    expect(await call({ roomAdmin: true, room: "another-room" })).toEqual(denied);
    expect(standIn.rooms.get("grants-room")!.participants.has("someone")).toBe(true);
    expect(await call({ roomAdmin: true, room: "grants-room" })).toEqual({ status: 200, body: {} });
    expect(standIn.rooms.get("grants-room")!.participants.has("someone")).toBe(false);
    // Through the SDK: the participant is gone already, which is what a removal wants.
    const rooms = createLiveKitRooms({ url: standIn.url, apiKey: API_KEY, apiSecret: API_SECRET });
    await expect(rooms.removeParticipant("grants-room", "someone")).resolves.toBeUndefined();
    standIn.addParticipant("grants-room", "someone");
    await rooms.removeParticipant("grants-room", "someone");
    expect(standIn.rooms.get("grants-room")!.participants.size).toBe(0);
    // A wrong secret is still an error (not mistaken for "already gone").
    const forged = createLiveKitRooms({
      url: standIn.url,
      apiKey: API_KEY,
      apiSecret: "wrong-secret-wrong-secret-wrong!!!",
    });
    await expect(forged.removeParticipant("grants-room", "someone")).rejects.toThrow();
  });
});
