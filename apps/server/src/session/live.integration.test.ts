// Live sessions over real HTTP and sockets, on both database drivers: who may start and end a
// session, who may join it and when, presence, state changes reaching everyone, chat (idempotent
// sends acknowledged after the commit, history on join, moderation by facilitators only, table
// chat behind the tables' access check), raised hands in order, and hostile input.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatMessages, eq, type Database } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { SESSION_LIMITS, type ChatMessage } from "@convivio/protocol";
import { startTestServer, type TestServer } from "../test/harness.js";
import { eventually } from "../test/boards.js";
import {
  SessionClient,
  createSessionWorld,
  restAs,
  type SessionPerson,
  type SessionWorld,
} from "../test/sessions.js";

describe.each(testDatabases())("live sessions on $driver", ({ open }) => {
  let database: TestDatabase;
  let server: TestServer;
  const clients: SessionClient[] = [];

  beforeAll(async () => {
    database = await open();
    server = await startTestServer({ database: database as Database });
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
    await database?.close();
  });

  const world = (options: Parameters<typeof createSessionWorld>[1] = {}) =>
    createSessionWorld({ db: server.database.db, auth: server.auth }, options);

  async function connected(w: SessionWorld, person: SessionPerson): Promise<SessionClient> {
    const client = new SessionClient(server.url, person, w.sessionId);
    clients.push(client);
    await client.ready();
    return client;
  }

  async function joined(w: SessionWorld, person: SessionPerson): Promise<SessionClient> {
    const client = await connected(w, person);
    expect(await client.join()).toMatchObject({ ok: true });
    return client;
  }

  const start = (w: SessionWorld, who: SessionPerson = w.facilitator) =>
    restAs(server.url, who).post(`/api/sessions/${w.sessionId}/start`);
  const end = (w: SessionWorld, who: SessionPerson = w.facilitator) =>
    restAs(server.url, who).post(`/api/sessions/${w.sessionId}/end`);

  it("lets organizers and facilitators start and end a session, and nobody else", async () => {
    const w = await world();
    for (const who of [w.speaker, w.attendees[0]!, w.outsider]) {
      expect((await start(w, who)).status).toBe(403);
    }
    expect((await server.client().post(`/api/sessions/${w.sessionId}/start`)).status).toBe(401);
    const notLive = await end(w);
    expect(notLive.status).toBe(409);
    expect(notLive.body).toMatchObject({ code: "session_not_live" });

    const started = await start(w, w.facilitator);
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ live: { sessionId: w.sessionId, status: "live", endedAt: null } });
    // Starting a live session again changes nothing.
    const again = await start(w, w.organizer);
    expect((again.body as { live: unknown }).live).toEqual((started.body as { live: unknown }).live);

    const lobby = await server.client().get(`/api/events/${w.slug}/live`);
    expect(lobby.body).toEqual({
      sessions: [expect.objectContaining({ sessionId: w.sessionId, status: "live" })],
    });

    expect((await end(w, w.attendees[0]!)).status).toBe(403);
    const ended = await end(w, w.organizer);
    expect(ended.body).toMatchObject({ live: { status: "ended", endedAt: expect.any(String) } });
    expect((await server.client().get(`/api/sessions/${w.sessionId}/live`)).body).toMatchObject({
      live: { status: "ended" },
    });
    // A session can be started again after it ended.
    expect((await start(w)).body).toMatchObject({ live: { status: "live", endedAt: null } });

    expect((await server.client().get(`/api/sessions/not-a-uuid/live`)).status).toBe(400);
    expect((await start({ ...w, sessionId: randomUUID() })).status).toBe(404);
  });

  it("hides a draft event's sessions from everyone but its organizers", async () => {
    const w = await world({ visibility: "draft" });
    expect((await restAs(server.url, w.outsider).get(`/api/events/${w.slug}/live`)).status).toBe(404);
    // Drafts are for their organizers only (issue 3): a facilitator waits for publication too.
    for (const who of [w.outsider, w.facilitator]) {
      expect((await start(w, who)).status).toBe(404);
      const client = await connected(w, who);
      expect(await client.join()).toEqual({ ok: false, code: "not_found" });
    }
    expect((await start(w, w.organizer)).status).toBe(200);
  });

  it("lets attendees in only while the session is live, and never outsiders", async () => {
    const w = await world();
    const attendee = await connected(w, w.attendees[0]!);
    expect(await attendee.join()).toEqual({ ok: false, code: "session_not_live" });
    // The team may be there before it starts, and hears it start.
    const facilitator = await joined(w, w.facilitator);
    expect((await start(w)).status).toBe(200);
    await eventually(() => expect(facilitator.states.at(-1)).toMatchObject({ status: "live" }));

    const ack = await attendee.join();
    expect(ack).toMatchObject({ ok: true, role: "participant", state: { status: "live" } });
    const outsider = await connected(w, w.outsider);
    expect(await outsider.join()).toEqual({ ok: false, code: "forbidden" });
    expect(await outsider.rawWithAck("session:join", { sessionId: randomUUID() })).toEqual({
      ok: false,
      code: "not_found",
    });
    expect(await outsider.rawWithAck("session:join", { sessionId: "nope" })).toEqual({
      ok: false,
      code: "validation_failed",
    });

    // Ending tells everyone, and lowers every hand.
    expect(await attendee.raise()).toEqual({ ok: true });
    expect((await end(w)).status).toBe(200);
    for (const client of [attendee, facilitator]) {
      await eventually(() => {
        expect(client.states.at(-1)).toMatchObject({ status: "ended" });
        expect(client.hands).toEqual([]);
      });
    }
    const late = await connected(w, w.attendees[1]!);
    expect(await late.join()).toEqual({ ok: false, code: "session_not_live" });
    expect(await attendee.say("still here?")).toEqual({ ok: false, code: "session_not_live" });
    expect(await attendee.raise()).toEqual({ ok: false, code: "session_not_live" });
  });

  it("shows who is in the session, each person once, and updates when they leave", async () => {
    const w = await world();
    await start(w);
    const facilitator = await joined(w, w.facilitator);
    const first = await joined(w, w.attendees[0]!);
    const secondTab = await joined(w, w.attendees[0]!);
    const second = await joined(w, w.attendees[1]!);
    const names = (client: SessionClient) => client.participants?.map((p) => `${p.role}:${p.name}`);
    const everyone = ["facilitator:Fabia Facilitator", "participant:Attendee 0", "participant:Attendee 1"];
    for (const client of [facilitator, first, second])
      await eventually(() => expect(names(client)).toEqual(everyone));

    second.close();
    secondTab.leave();
    await eventually(() =>
      expect(names(facilitator)).toEqual(["facilitator:Fabia Facilitator", "participant:Attendee 0"]),
    );
    first.leave();
    await eventually(() => expect(names(facilitator)).toEqual(["facilitator:Fabia Facilitator"]));
  });

  it("delivers chat to everyone, acknowledges after the commit, and stores a retried message once", async () => {
    const w = await world();
    await start(w);
    const facilitator = await joined(w, w.facilitator);
    const sender = await joined(w, w.attendees[0]!);
    const reader = await joined(w, w.attendees[1]!);

    const clientOpId = randomUUID();
    const ack = await sender.say("  Buongiorno a tutti!  ", { clientOpId });
    expect(ack).toMatchObject({
      ok: true,
      message: { text: "Buongiorno a tutti!", tableId: null, authorId: w.attendees[0]!.userId },
    });
    const message = (ack as { message: ChatMessage }).message;
    // Acknowledged means committed: the row is there the moment the ack arrives.
    const [row] = await server.database.db.select().from(chatMessages).where(eq(chatMessages.id, message.id));
    expect(row).toMatchObject({ body: "Buongiorno a tutti!", clientOpId });

    for (const client of [facilitator, sender, reader]) {
      await eventually(() => expect(client.messages.map((m) => m.id)).toEqual([message.id]));
    }
    // A retry (the ack was lost, say) gets the first answer and is not announced again.
    const retry = await sender.say("Buongiorno a tutti!", { clientOpId });
    expect(retry).toEqual({ ok: true, message });
    const rows = await server.database.db
      .select()
      .from(chatMessages)
      .where(eq(chatMessages.sessionId, w.sessionId));
    expect(rows).toHaveLength(1);
    await sender.say("second");
    await eventually(() => expect(reader.messages).toHaveLength(2));
    expect(reader.messages[0]!.id).toBe(message.id);

    // The same op id for another room is a conflict, not a silent reuse.
    server.sessions.useTableAccess(async () => true);
    expect(await sender.joinChat("table-1")).toMatchObject({ ok: true });
    expect(await sender.say("other room", { clientOpId, tableId: "table-1" })).toEqual({
      ok: false,
      code: "conflict",
    });
  });

  it("refuses bad chat payloads without changing anything", async () => {
    const w = await world();
    await start(w);
    const sender = await joined(w, w.attendees[0]!);
    const bad: unknown[] = [
      { sessionId: w.sessionId, tableId: null, clientOpId: randomUUID(), text: "" },
      { sessionId: w.sessionId, tableId: null, clientOpId: randomUUID(), text: "   " },
      {
        sessionId: w.sessionId,
        tableId: null,
        clientOpId: randomUUID(),
        text: "x".repeat(SESSION_LIMITS.chatMessageMaxLength + 1),
      },
      { sessionId: w.sessionId, tableId: null, clientOpId: randomUUID(), text: "nul \u0000 here" },
      { sessionId: w.sessionId, clientOpId: randomUUID(), text: "no table id" },
      { sessionId: w.sessionId, tableId: "../etc", clientOpId: randomUUID(), text: "bad table" },
      { sessionId: w.sessionId, tableId: null, clientOpId: "not-a-uuid", text: "bad op" },
      { sessionId: w.sessionId, tableId: null, clientOpId: randomUUID(), text: "x", extra: 1 },
      "a string",
      null,
    ];
    for (const payload of bad) {
      expect(await sender.rawWithAck("chat:send", payload)).toEqual({ ok: false, code: "validation_failed" });
    }
    // Messages without an ack function, or with no payload at all, are dropped without a crash.
    sender.raw("chat:send", { sessionId: w.sessionId, text: "no ack" });
    sender.raw("chat:send");
    sender.raw("hand:raise", 42);
    // Not in the session: refused.
    const stranger = await connected(w, w.attendees[1]!);
    expect(await stranger.say("hello?")).toEqual({ ok: false, code: "not_joined" });
    expect(await sender.say("x".repeat(SESSION_LIMITS.chatMessageMaxLength))).toMatchObject({ ok: true });
    const rows = await server.database.db
      .select()
      .from(chatMessages)
      .where(eq(chatMessages.sessionId, w.sessionId));
    expect(rows).toHaveLength(1);
  });

  it("sends the last messages on join, and lets only facilitators delete one, for everyone", async () => {
    const w = await world();
    await start(w);
    const base = Date.now() - 60_000;
    await server.database.db.insert(chatMessages).values(
      Array.from({ length: SESSION_LIMITS.chatHistoryLength + 5 }, (_, i) => ({
        id: randomUUID(),
        sessionId: w.sessionId,
        authorId: w.attendees[0]!.userId,
        clientOpId: randomUUID(),
        body: `message ${i}`,
        createdAt: new Date(base + i * 10),
      })),
    );
    const facilitator = await joined(w, w.facilitator);
    const attendee = await connected(w, w.attendees[1]!);
    const ack = await attendee.join();
    if (!ack.ok) throw new Error(ack.code);
    expect(ack.chat).toHaveLength(SESSION_LIMITS.chatHistoryLength);
    expect(ack.chat[0]!.text).toBe("message 5");
    expect(ack.chat.at(-1)!.text).toBe(`message ${SESSION_LIMITS.chatHistoryLength + 4}`);
    expect(ack.chat[0]).toMatchObject({ authorName: "Attendee 0", deletedAt: null });

    const target = ack.chat.at(-1)!;
    expect(await attendee.deleteMessage(target.id)).toEqual({ ok: false, code: "forbidden" });
    expect(await facilitator.deleteMessage(randomUUID())).toEqual({ ok: false, code: "not_found" });
    // A message of the plenary is not found in a table's room.
    expect(await facilitator.deleteMessage(target.id, "table-9")).toEqual({ ok: false, code: "not_found" });
    expect(await facilitator.deleteMessage(target.id)).toEqual({ ok: true });
    for (const client of [facilitator, attendee]) {
      await eventually(() =>
        expect(client.deletions).toEqual([
          expect.objectContaining({ messageId: target.id, deletedBy: w.facilitator.userId, tableId: null }),
        ]),
      );
    }
    // Deleting again is answered the same and announced once.
    expect(await facilitator.deleteMessage(target.id)).toEqual({ ok: true });
    const [row] = await server.database.db.select().from(chatMessages).where(eq(chatMessages.id, target.id));
    expect(row).toMatchObject({ deletedBy: w.facilitator.userId, deletedAt: expect.any(Date) });
    const rejoined = await connected(w, w.attendees[0]!);
    const history = await rejoined.join();
    if (!history.ok) throw new Error(history.code);
    expect(history.chat.at(-1)).toMatchObject({ id: target.id, text: "", deletedBy: w.facilitator.userId });
    expect(facilitator.deletions).toHaveLength(1);
  });

  it("keeps table chat to the people at that table, and refuses it while tables are unavailable", async () => {
    const w = await world({ attendees: 3 });
    await start(w);
    const facilitator = await joined(w, w.facilitator);
    const atTable = await joined(w, w.attendees[0]!);
    const elsewhere = await joined(w, w.attendees[1]!);
    server.sessions.useTableAccess(undefined);
    expect(await atTable.joinChat("t1")).toEqual({ ok: false, code: "table_chat_unavailable" });
    expect(await facilitator.joinChat("t1")).toEqual({ ok: false, code: "table_chat_unavailable" });

    const seats = new Map([[w.attendees[0]!.userId, "t1"]]);
    server.sessions.useTableAccess(async (sessionId, tableId, userId) =>
      sessionId === w.sessionId ? seats.get(userId) === tableId : false,
    );
    expect(await atTable.joinChat("t1")).toEqual({ ok: true, messages: [] });
    expect(await elsewhere.joinChat("t1")).toEqual({ ok: false, code: "forbidden" });
    expect(await elsewhere.say("sneaking in", { tableId: "t1" })).toEqual({ ok: false, code: "not_joined" });
    // Facilitators may join any table.
    expect(await facilitator.joinChat("t1")).toMatchObject({ ok: true });

    const sent = await atTable.say("Al tavolo uno", { tableId: "t1" });
    expect(sent).toMatchObject({ ok: true, message: { tableId: "t1" } });
    await eventually(() => expect(facilitator.messages.map((m) => m.text)).toEqual(["Al tavolo uno"]));
    expect(elsewhere.messages).toEqual([]);
    // Moved away from the table: the next message there is refused.
    seats.delete(w.attendees[0]!.userId);
    expect(await atTable.say("still here", { tableId: "t1" })).toEqual({ ok: false, code: "forbidden" });
    // The plenary history does not include table messages.
    const late = await connected(w, w.attendees[2]!);
    const ack = await late.join();
    expect(ack.ok && ack.chat).toEqual([]);
    server.sessions.useTableAccess(undefined);
  });

  it("keeps raised hands in order; facilitators bring one on stage and take it back", async () => {
    const w = await world({ attendees: 3 });
    await start(w);
    const facilitator = await joined(w, w.facilitator);
    const [a, b, c] = await Promise.all(w.attendees.map((p) => joined(w, p)));
    expect(await a!.raise()).toEqual({ ok: true });
    expect(await b!.raise()).toEqual({ ok: true });
    expect(await c!.raise()).toEqual({ ok: true });
    // Raising again keeps one's place.
    expect(await a!.raise()).toEqual({ ok: true });
    const order = (client: SessionClient) => client.hands?.map((h) => `${h.name}${h.onStage ? "*" : ""}`);
    await eventually(() => expect(order(facilitator)).toEqual(["Attendee 0", "Attendee 1", "Attendee 2"]));

    expect(await c!.lower(w.attendees[0]!.userId)).toEqual({ ok: false, code: "forbidden" });
    expect(await c!.lower()).toEqual({ ok: true });
    expect(await a!.stage(w.attendees[1]!.userId, true)).toEqual({ ok: false, code: "forbidden" });
    expect(await facilitator.stage(w.attendees[2]!.userId, true)).toEqual({ ok: false, code: "not_found" });

    expect(await facilitator.stage(w.attendees[1]!.userId, true)).toEqual({ ok: true });
    for (const client of [facilitator, a!, b!]) {
      await eventually(() => expect(order(client)).toEqual(["Attendee 0", "Attendee 1*"]));
    }
    await eventually(() => expect(b!.stages).toEqual([{ sessionId: w.sessionId, onStage: true }]));
    expect(a!.stages).toEqual([]);

    expect(await facilitator.stage(w.attendees[1]!.userId, false)).toEqual({ ok: true });
    await eventually(() => expect(order(a!)).toEqual(["Attendee 0"]));
    await eventually(() => expect(b!.stages.at(-1)).toEqual({ sessionId: w.sessionId, onStage: false }));
    // A facilitator may lower anyone's hand.
    expect(await facilitator.lower(w.attendees[0]!.userId)).toEqual({ ok: true });
    await eventually(() => expect(order(b!)).toEqual([]));
  });

  it("rate-limits a chat flood and cuts off a socket that keeps sending garbage", async () => {
    const w = await world();
    await start(w);
    const flooder = await joined(w, w.attendees[0]!);
    const acks = await Promise.all(Array.from({ length: 30 }, (_, i) => flooder.say(`flood ${i}`)));
    const refused = acks.filter((ack) => !ack.ok);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((ack) => !ack.ok && ack.code === "rate_limited")).toBe(true);

    const vandal = await joined(w, w.attendees[1]!);
    const disconnected = new Promise<void>((resolve) => vandal.socket.once("disconnect", () => resolve()));
    for (let i = 0; i < 150; i++) vandal.raw("hand:raise", { sessionId: "garbage" }, () => {});
    await disconnected;
    // The server is fine.
    const fine = await joined(w, w.facilitator);
    expect(await fine.say("still up")).toMatchObject({ ok: true });
  });
});
