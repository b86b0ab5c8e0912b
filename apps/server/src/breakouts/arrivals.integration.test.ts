// Who follows a session's tables and where latecomers sit (real sockets, PGlite, video off): a
// participant on the waiting screen does not follow the tables (so is neither present nor seated)
// until the session is live; leaving stops being present; a latecomer who signed up for a table sits
// there while it has a seat ("from sign-ups" and "topic"), as the opening would have seated them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlannedTablesResponse } from "@convivio/protocol";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import { eventually, type Person } from "../test/boards.js";
import { BreakoutTab, breakoutWorld, clientOf, command, overview, startSession } from "../test/breakouts.js";

let server: TestServer;
const tabs: BreakoutTab[] = [];

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  for (const tab of tabs) tab.close();
  await server.close();
});

function tab(person: Person): BreakoutTab {
  const t = new BreakoutTab(server.url, person);
  tabs.push(t);
  return t;
}

async function plan(lead: TestClient, sessionId: string, tables: { topic: string; seats: number }[]) {
  const res = await lead.put(`/api/sessions/${sessionId}/breakout-tables`, { tables });
  expect(res.status).toBe(200);
  return (res.body as PlannedTablesResponse).tables;
}

async function signUp(person: Person, sessionId: string, tableId: string) {
  const res = await clientOf(server, person).put(
    `/api/sessions/${sessionId}/breakout-tables/${tableId}/signup`,
  );
  expect(res.status).toBe(200);
}

describe("following the tables", () => {
  it("only while the session is live: someone waiting for the start is not present and not seated", async () => {
    const { w, lead } = await breakoutWorld(server, 1, { start: false });
    const { sessionId } = w;
    const sara = tab(w.participants[0]!);
    expect(await sara.join(sessionId)).toEqual({ ok: false, code: "session_not_live" });
    // Facilitators prepare before the start.
    const facilitator = tab(w.facilitator);
    expect(await facilitator.join(sessionId)).toMatchObject({ ok: true, calls: [] });
    expect((await overview(lead, sessionId)).unseated).toEqual([]);
    // Tables opened before the start seat nobody who is waiting.
    expect(
      (await command(lead, { type: "open", sessionId, by: { count: 1 }, strategy: "random" })).status,
    ).toBe(200);
    expect(sara.assignments).toEqual([]);
    expect((await overview(lead, sessionId)).tables[0]!.people).toEqual([]);

    await startSession(lead, sessionId);
    const joined = await sara.join(sessionId);
    expect(joined).toMatchObject({ ok: true, breakout: { assignment: { reason: "latecomer" } } });
    expect((await overview(lead, sessionId)).tables[0]!.people).toEqual([
      expect.objectContaining({ userId: sara.person.userId, connected: true }),
    ]);

    // Leaving (the page closed) stops following: no longer connected, though the seat stays.
    sara.leave(sessionId);
    await eventually(async () =>
      expect((await overview(lead, sessionId)).tables[0]!.people).toEqual([
        expect.objectContaining({ userId: sara.person.userId, connected: false }),
      ]),
    );
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);
    // With no tables open, a person who left is not among the people present either.
    expect((await overview(lead, sessionId)).unseated).toEqual([]);
  }, 60_000);
});

describe("latecomers and their sign-up", () => {
  it("from sign-ups: a latecomer sits at the table they signed up for while it has a seat", async () => {
    const { w, lead } = await breakoutWorld(server, 5, { start: false });
    const { sessionId } = w;
    const [a, b] = await plan(lead, sessionId, [
      { topic: "Mobility", seats: 3 },
      { topic: "Schools", seats: 3 },
    ]);
    const [p0, p1, p2, late1, late2] = w.participants;
    // Both latecomers signed up for Mobility before the session started.
    await signUp(late1!, sessionId, a!.id);
    await signUp(late2!, sessionId, a!.id);
    await startSession(lead, sessionId);
    const early = [tab(p0!), tab(p1!), tab(p2!)];
    for (const t of early) expect(await t.join(sessionId)).toMatchObject({ ok: true });
    expect(
      (await command(lead, { type: "open", sessionId, by: { count: 2 }, strategy: "registrations" })).status,
    ).toBe(200);
    await eventually(() => {
      for (const t of early) expect(t.seat).not.toBeNull();
    });
    // No sign-ups among the early ones: dealt round, so Mobility has 2 of 3 and Schools 1 of 3.
    expect(early.filter((t) => t.seat!.id === a!.id)).toHaveLength(2);

    // The least-full table is Schools, but the first latecomer signed up for Mobility: there.
    const first = await tab(late1!).join(sessionId);
    expect(first).toMatchObject({
      ok: true,
      breakout: { assignment: { reason: "latecomer", table: { id: a!.id, topic: "Mobility" } } },
    });
    // Mobility is full now: the second goes to the least-full table instead.
    const second = await tab(late2!).join(sessionId);
    expect(second).toMatchObject({
      ok: true,
      breakout: { assignment: { reason: "latecomer", table: { id: b!.id } } },
    });
  }, 60_000);

  it("topic: a latecomer who signed up sits at their table; one who did not chooses live", async () => {
    const { w, lead } = await breakoutWorld(server, 3);
    const { sessionId } = w;
    const [, housing] = await plan(lead, sessionId, [
      { topic: "Parks", seats: 2 },
      { topic: "Housing", seats: 4 },
    ]);
    const [early, signed, unsigned] = w.participants;
    await signUp(signed!, sessionId, housing!.id);
    const first = tab(early!);
    expect(await first.join(sessionId)).toMatchObject({ ok: true });
    expect(
      (await command(lead, { type: "open", sessionId, by: { count: 2 }, strategy: "topic" })).status,
    ).toBe(200);
    // Without a sign-up, people choose: the early one is not seated by the opening.
    expect(first.assignments.at(-1)!.table).toBeNull();
    // Parks is the least-full (and first) table; the latecomer signed up for Housing sits there.
    expect(await tab(signed!).join(sessionId)).toMatchObject({
      ok: true,
      breakout: { assignment: { reason: "latecomer", table: { id: housing!.id, topic: "Housing" } } },
    });
    expect(await tab(unsigned!).join(sessionId)).toMatchObject({
      ok: true,
      breakout: { assignment: { reason: "current", table: null } },
    });
  }, 60_000);
});
