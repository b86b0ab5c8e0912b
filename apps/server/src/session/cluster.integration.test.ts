// A live session on two nodes (one PostgreSQL, one Redis): people connected to different nodes see
// each other in the participant list (presence asks every node through the Redis adapter), and
// chat, hands and the session's end reach everyone whichever node they are on.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { startTestServer, type TestServer } from "../test/harness.js";
import { eventually } from "../test/boards.js";
import { SessionClient, createSessionWorld, restAs } from "../test/sessions.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

describe("a live session on two nodes (PostgreSQL + Redis)", () => {
  let database: TestDatabase;
  let secondPool: Database;
  let nodes: TestServer[];
  const clients: SessionClient[] = [];

  beforeAll(async () => {
    database = await testDatabases()
      .find((factory) => factory.driver === "postgres")!
      .open();
    secondPool = await createDb({ url: database.url!, poolSize: 5 });
    const options = { env: { REDIS_URL }, overrides: { redisPrefix: `convivio-test-${randomUUID()}` } };
    nodes = [
      await startTestServer({ ...options, database }),
      await startTestServer({ ...options, database: secondPool }),
    ];
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const node of nodes ?? []) await node.close();
    await secondPool?.close();
    await database?.close();
  });

  it("shows everyone to everyone and delivers chat, hands and the end across nodes", async () => {
    const [one, two] = nodes as [TestServer, TestServer];
    const w = await createSessionWorld({ db: database.db, auth: one.auth }, { attendees: 2 });
    expect((await restAs(one.url, w.facilitator).post(`/api/sessions/${w.sessionId}/start`)).status).toBe(
      200,
    );
    const facilitator = new SessionClient(one.url, w.facilitator, w.sessionId);
    const first = new SessionClient(two.url, w.attendees[0]!, w.sessionId);
    const second = new SessionClient(one.url, w.attendees[1]!, w.sessionId);
    clients.push(facilitator, first, second);
    for (const client of [facilitator, first, second]) {
      await client.ready();
      expect(await client.join()).toMatchObject({ ok: true });
    }
    const names = (client: SessionClient) => client.participants?.map((p) => p.name);
    for (const client of [facilitator, first, second]) {
      await eventually(() =>
        expect(names(client)).toEqual(["Fabia Facilitator", "Attendee 0", "Attendee 1"]),
      );
    }

    expect(await first.say("Ciao dal nodo due")).toMatchObject({ ok: true });
    expect(await first.raise()).toEqual({ ok: true });
    for (const client of [facilitator, second]) {
      await eventually(() => {
        expect(client.messages.map((m) => m.text)).toEqual(["Ciao dal nodo due"]);
        expect(client.hands?.map((h) => h.name)).toEqual(["Attendee 0"]);
      });
    }
    expect(await facilitator.stage(w.attendees[0]!.userId, true)).toEqual({ ok: true });
    await eventually(() => expect(first.stages).toEqual([{ sessionId: w.sessionId, onStage: true }]));

    first.close();
    await eventually(() => expect(names(facilitator)).toEqual(["Fabia Facilitator", "Attendee 1"]));
    expect((await restAs(two.url, w.organizer).post(`/api/sessions/${w.sessionId}/end`)).status).toBe(200);
    for (const client of [facilitator, second]) {
      await eventually(() => expect(client.states.at(-1)).toMatchObject({ status: "ended" }));
    }
  });
});
