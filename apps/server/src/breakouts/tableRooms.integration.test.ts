// Table rooms against the LiveKit STAND-IN (test/liveKitStandIn.ts: LiveKit's Twirp room API with
// its grant checks, driven by the real server SDK; no LiveKit server can be installed here): each
// table's room is sized for its seats plus room for facilitators, and ending the session closes its
// tables and deletes their rooms.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { breakoutTables, eq } from "@convivio/db";
import { BREAKOUT_LIMITS, type BreakoutPublicState } from "@convivio/protocol";
import { startTestServer, type TestServer } from "../test/harness.js";
import { startLiveKitStandIn, type LiveKitStandIn } from "../test/liveKitStandIn.js";
import { eventually } from "../test/boards.js";
import { BreakoutTab, breakoutWorld, command } from "../test/breakouts.js";
import { tableRoom } from "../media/roomNames.js";
import { FACILITATOR_PLACES } from "./tableMedia.js";

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
