// What a facilitator relies on (real sockets, PGlite, video off): the overview says who is connected
// now, since when they sit at a table and when its board last changed; calls for a facilitator
// survive a reload on both sides and the caller hears when theirs is answered or lapses, and a call
// answered twice keeps its first answer; nobody moves or picks a table while the tables count down
// to close; a table's host must be someone who may be in the session (on a draft event, an
// organizer), and the host picker lists exactly those people.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { breakoutCalls, eq, eventMembers, events, registrations, users } from "@convivio/db";
import type { BreakoutPublicState, HostCandidatesResponse, PlannedTablesResponse } from "@convivio/protocol";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import { eventually, type Person } from "../test/boards.js";
import { BreakoutTab, breakoutWorld, clientOf, command, overview } from "../test/breakouts.js";

let server: TestServer;
const tabs: BreakoutTab[] = [];

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  for (const tab of tabs) tab.close();
  await server.close();
});

async function tab(person: Person, sessionId: string): Promise<BreakoutTab> {
  const t = new BreakoutTab(server.url, person);
  tabs.push(t);
  expect(await t.join(sessionId)).toMatchObject({ ok: true });
  return t;
}

async function tablesOf(lead: TestClient, sessionId: string) {
  return ((await lead.get(`/api/sessions/${sessionId}/breakouts`)).body as { state: BreakoutPublicState })
    .state.tables;
}

describe("the overview", () => {
  it("marks who is connected now, since when each sits there, and when the table's board last changed", async () => {
    const { w, lead } = await breakoutWorld(server, 2);
    const { sessionId } = w;
    const [sara, luca] = await Promise.all(w.participants.map((p) => tab(p, sessionId)));
    const before = Date.now();
    expect(
      (await command(lead, { type: "open", sessionId, by: { count: 1 }, strategy: "random" })).status,
    ).toBe(200);
    await eventually(() => expect(luca!.seat).not.toBeNull());
    let table = (await overview(lead, sessionId)).tables[0]!;
    expect(table.people).toHaveLength(2);
    for (const p of table.people) {
      expect(p.connected).toBe(true);
      expect(Date.parse(p.since)).toBeGreaterThanOrEqual(before - 1_000);
    }
    expect(table.lastActivityAt).toBeNull();

    // An idea: the table's board shows activity from then.
    expect(
      await sara!.board({
        type: "proposeIdea",
        boardId: sara!.seat!.boardId,
        columnId: "ideas",
        text: "Benches",
      }),
    ).toMatchObject({ ok: true });
    table = (await overview(lead, sessionId)).tables[0]!;
    expect(table.ideas).toBe(1);
    const afterIdea = Date.parse(table.lastActivityAt!);
    expect(afterIdea).toBeGreaterThanOrEqual(before - 1_000);

    // Luca closes his tab: still seated (a facilitator may bring him back), but not connected.
    luca!.close();
    await eventually(async () => {
      const people = (await overview(lead, sessionId)).tables[0]!.people;
      expect(people.find((p) => p.userId === luca!.person.userId)).toMatchObject({ connected: false });
      expect(people.find((p) => p.userId === sara!.person.userId)).toMatchObject({ connected: true });
    });
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);
  }, 60_000);
});

describe("calls for a facilitator", () => {
  it("come back on join, and the caller hears when theirs is answered or lapses with the round", async () => {
    const { w, lead } = await breakoutWorld(server, 3);
    const { sessionId } = w;
    const facilitator = await tab(w.facilitator, sessionId);
    const people = await Promise.all(w.participants.map((p) => tab(p, sessionId)));
    expect(
      (
        await command(lead, {
          type: "open",
          sessionId,
          by: { count: 2 },
          strategy: "random",
          rounds: 2,
        })
      ).status,
    ).toBe(200);
    await eventually(() => {
      for (const p of people) expect(p.seat).not.toBeNull();
    });
    const [caller, other] = people;
    expect(await caller!.command({ type: "call", sessionId, message: "Help" })).toEqual({ ok: true });
    await eventually(() =>
      expect(caller!.myCalls.at(-1)).toMatchObject({ sessionId, call: { userId: caller!.person.userId } }),
    );
    await eventually(() => expect(facilitator.calls.at(-1)).toHaveLength(1));
    const callId = facilitator.calls.at(-1)![0]!.id;

    // A reload: the facilitator's new tab gets every open call, the caller's their own, others none.
    const reloaded = new BreakoutTab(server.url, w.facilitator);
    tabs.push(reloaded);
    const ack = await reloaded.join(sessionId);
    expect(ack).toMatchObject({ ok: true, calls: [{ id: callId, message: "Help" }], myCall: null });
    const callerAgain = new BreakoutTab(server.url, caller!.person);
    tabs.push(callerAgain);
    expect(await callerAgain.join(sessionId)).toMatchObject({ ok: true, calls: [], myCall: { id: callId } });
    const otherAgain = new BreakoutTab(server.url, other!.person);
    tabs.push(otherAgain);
    expect(await otherAgain.join(sessionId)).toMatchObject({ ok: true, calls: [], myCall: null });

    // Answered: gone from the facilitators' list, and the caller (every tab) is told.
    expect((await command(lead, { type: "resolveCall", sessionId, callId })).status).toBe(200);
    await eventually(() => {
      expect(caller!.myCalls.at(-1)).toEqual({ sessionId, call: null });
      expect(callerAgain.myCalls.at(-1)).toEqual({ sessionId, call: null });
      expect(facilitator.calls.at(-1)).toEqual([]);
    });

    // A call made at a table lapses when the round moves on: that table is no longer the caller's.
    expect(await other!.command({ type: "call", sessionId })).toEqual({ ok: true });
    await eventually(() => expect(other!.myCalls.at(-1)?.call).not.toBeNull());
    expect((await command(lead, { type: "nextRound", sessionId })).status).toBe(200);
    await eventually(() => {
      expect(other!.myCalls.at(-1)).toEqual({ sessionId, call: null });
      expect(facilitator.calls.at(-1)).toEqual([]);
    });
    expect(await reloaded.join(sessionId)).toMatchObject({ ok: true, calls: [] });
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);
  }, 60_000);
});

describe("table hosts of a draft event", () => {
  it("are its organizers only: the picker lists no facilitator, attendee or registration, and opening refuses them", async () => {
    const { w, lead } = await breakoutWorld(server, 1);
    const { sessionId } = w;
    const db = server.database.db;
    const [facilitator, registered] = await db
      .insert(users)
      .values([
        { email: `fac-${sessionId}@example.it`, name: "Fabio Facilitator" },
        { email: `reg-${sessionId}@example.it`, name: "Rita Registered" },
      ])
      .returning({ id: users.id });
    await db
      .insert(eventMembers)
      .values({ eventId: w.eventId, userId: facilitator!.id, role: "facilitator" });
    await db.insert(registrations).values({
      eventId: w.eventId,
      userId: registered!.id,
      email: `reg-${sessionId}@example.it`,
      name: "Rita Registered",
      status: "confirmed",
      arrival: 1,
    });
    const picked = async () =>
      new Set(
        (
          (await lead.get(`/api/sessions/${sessionId}/breakouts/hosts`)).body as HostCandidatesResponse
        ).people.map((p) => p.userId),
      );
    // Published, all of them may host.
    expect(await picked()).toEqual(
      new Set([w.facilitator.userId, w.participants[0]!.userId, facilitator!.id, registered!.id]),
    );

    // Back to draft: only the organizer, in the picker and when opening (and planning) tables.
    await db.update(events).set({ visibility: "draft" }).where(eq(events.id, w.eventId));
    expect(await picked()).toEqual(new Set([w.facilitator.userId]));
    const open = (hostId: string) =>
      command(lead, {
        type: "open",
        sessionId,
        by: { count: 1 },
        strategy: "random",
        tables: [{ topic: "Parks", hostId }],
      });
    for (const hostId of [facilitator!.id, w.participants[0]!.userId, registered!.id]) {
      const res = await open(hostId);
      expect(res.status, hostId).toBe(400);
      expect(res.body).toMatchObject({ code: "table_host_invalid" });
      const planned = await lead.put(`/api/sessions/${sessionId}/breakout-tables`, {
        tables: [{ topic: "Parks", hostId }],
      });
      expect(planned.body).toMatchObject({ code: "table_host_invalid" });
    }
    expect((await open(w.facilitator.userId)).status).toBe(200);
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);
  }, 60_000);
});

describe("calls for a facilitator, answered twice", () => {
  it("keep the first answer: who answered and when", async () => {
    const { w, lead } = await breakoutWorld(server, 1);
    const { sessionId } = w;
    // A second facilitator of the event, answering the same call a moment later.
    const db = server.database.db;
    const [coLead] = await db
      .insert(users)
      .values({ email: `co-lead-${sessionId}@example.it`, name: "Cora Co-lead" })
      .returning({ id: users.id });
    await db.insert(eventMembers).values({ eventId: w.eventId, userId: coLead!.id, role: "facilitator" });
    const coLeadClient = server.client();
    coLeadClient.cookie = `convivio_session=${(await server.auth.createSession(coLead!.id)).token}`;
    const [caller] = await Promise.all(w.participants.map((p) => tab(p, sessionId)));
    expect(
      (await command(lead, { type: "open", sessionId, by: { count: 1 }, strategy: "random" })).status,
    ).toBe(200);
    await eventually(() => expect(caller!.seat).not.toBeNull());
    expect(await caller!.command({ type: "call", sessionId })).toEqual({ ok: true });
    const [call] = await db
      .select({ id: breakoutCalls.id })
      .from(breakoutCalls)
      .where(eq(breakoutCalls.userId, caller!.person.userId));
    const callId = call!.id;
    const answer = async () =>
      (
        await db
          .select({ at: breakoutCalls.resolvedAt, by: breakoutCalls.resolvedBy })
          .from(breakoutCalls)
          .where(eq(breakoutCalls.id, callId))
      )[0];

    expect((await command(lead, { type: "resolveCall", sessionId, callId })).status).toBe(200);
    const first = await answer();
    expect(first).toEqual({ at: expect.any(Date), by: w.facilitator.userId });
    server.clock.advance(1_000);
    expect((await command(coLeadClient, { type: "resolveCall", sessionId, callId })).status).toBe(200);
    expect(await answer()).toEqual(first);
    // A call that never was is still not found.
    expect(
      (
        await command(lead, {
          type: "resolveCall",
          sessionId,
          callId: "00000000-0000-4000-8000-000000000000",
        })
      ).status,
    ).toBe(404);
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);
  }, 60_000);
});

describe("while the tables count down to close", () => {
  it("nobody moves or picks a table any more, and the round stays as it is", async () => {
    const { w, lead } = await breakoutWorld(server, 2);
    const { sessionId } = w;
    const [sara, luca] = await Promise.all(w.participants.map((p) => tab(p, sessionId)));
    expect(
      (
        await command(lead, {
          type: "open",
          sessionId,
          by: { count: 2 },
          strategy: "topic",
          rounds: 2,
          tables: [{ topic: "Parks" }, { topic: "Housing" }],
        })
      ).status,
    ).toBe(200);
    const [parks, housing] = await tablesOf(lead, sessionId);
    expect(await sara!.command({ type: "choose", sessionId, tableId: parks!.id })).toEqual({ ok: true });
    // A move to a table that does not exist is refused and changes nothing.
    const nowhere = await command(lead, {
      type: "move",
      sessionId,
      userId: sara!.person.userId,
      tableId: "00000000-0000-4000-8000-000000000000",
    });
    expect(nowhere.status).toBe(404);

    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 120_000 })).status).toBe(200);
    expect(await luca!.command({ type: "choose", sessionId, tableId: housing!.id })).toEqual({
      ok: false,
      code: "tables_closing",
    });
    const move = await command(lead, {
      type: "move",
      sessionId,
      userId: sara!.person.userId,
      tableId: housing!.id,
    });
    expect(move.status).toBe(409);
    expect(move.body).toMatchObject({ code: "tables_closing" });
    expect((await command(lead, { type: "nextRound", sessionId })).body).toMatchObject({
      code: "tables_closing",
    });
    expect((await command(lead, { type: "start", sessionId, durationMs: 60_000 })).body).toMatchObject({
      code: "tables_closing",
    });
    const tables = await tablesOf(lead, sessionId);
    expect(tables.map((t) => t.count)).toEqual([1, 0]);
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);
    await eventually(() => expect(sara!.seat).toBeNull());
  }, 60_000);
});

describe("table hosts", () => {
  it("must be someone who may be in the session, one table each; the picker lists exactly them", async () => {
    const { w, lead } = await breakoutWorld(server, 2);
    const { sessionId } = w;
    // Someone registered (confirmed) but not on the team, and someone whose registration was cancelled.
    const [registered, cancelled] = await server.database.db
      .insert(users)
      .values([
        { email: `reg-${sessionId}@example.it`, name: "Rita Registered" },
        { email: `gone-${sessionId}@example.it`, name: "Gino Gone" },
      ])
      .returning({ id: users.id });
    await server.database.db.insert(registrations).values([
      {
        eventId: w.eventId,
        userId: registered!.id,
        email: `reg-${sessionId}@example.it`,
        name: "Rita Registered",
        status: "confirmed",
        arrival: 1,
      },
      {
        eventId: w.eventId,
        userId: cancelled!.id,
        email: `gone-${sessionId}@example.it`,
        name: "Gino Gone",
        status: "cancelled",
        arrival: 2,
      },
    ]);
    const present = await tab(w.participants[0]!, sessionId);
    const open = (hostIds: (string | null)[]) =>
      command(lead, {
        type: "open",
        sessionId,
        by: { count: hostIds.length },
        strategy: "random",
        rounds: 2,
        tables: hostIds.map((hostId, i) => ({ topic: `T${i + 1}`, hostId })),
      });
    for (const bad of [
      ["3b1f2c1e-7c55-4c61-9d54-1f7a1c2e0a11", null], // nobody
      [w.outsider.userId, null], // signed in, nothing to do with the event
      [cancelled!.id, null], // registration cancelled
      [registered!.id, registered!.id], // two tables
    ]) {
      const res = await open(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body).toMatchObject({ code: "table_host_invalid" });
    }
    // Nothing was opened by the refusals.
    expect(await tablesOf(lead, sessionId)).toEqual([]);
    const planned = await lead.put(`/api/sessions/${sessionId}/breakout-tables`, {
      tables: [{ topic: "Parks", hostId: w.outsider.userId }],
    });
    expect(planned.body).toMatchObject({ code: "table_host_invalid" });

    // The picker: the team, attendees and confirmed registrations; present people first.
    const picker = await lead.get(`/api/sessions/${sessionId}/breakouts/hosts`);
    expect(picker.status).toBe(200);
    const people = (picker.body as HostCandidatesResponse).people;
    expect(people[0]).toEqual({ userId: present.person.userId, name: present.person.name, present: true });
    expect(new Set(people.map((p) => p.userId))).toEqual(
      new Set([w.facilitator.userId, ...w.participants.map((p) => p.userId), registered!.id]),
    );
    expect(
      (await clientOf(server, w.participants[1]!).get(`/api/sessions/${sessionId}/breakouts/hosts`)).status,
    ).toBe(403);
    // Everyone the picker offers may host: the registered person (not here) and a team member.
    const ok = await open([registered!.id, w.participants[1]!.userId]);
    expect(ok.status).toBe(200);
    const tables = await tablesOf(lead, sessionId);
    expect(tables.map((t) => t.hostId)).toEqual([registered!.id, w.participants[1]!.userId]);
    const board = await overview(lead, sessionId);
    expect(board.tables[0]!.people).toContainEqual(
      expect.objectContaining({ userId: registered!.id, host: true, connected: false }),
    );
    expect((await command(lead, { type: "closeAll", sessionId, countdownMs: 0 })).status).toBe(200);

    const plannedOk = await lead.put(`/api/sessions/${sessionId}/breakout-tables`, {
      tables: [{ topic: "Parks", hostId: registered!.id }],
    });
    expect((plannedOk.body as PlannedTablesResponse).tables[0]).toMatchObject({ hostId: registered!.id });
  }, 60_000);
});
