// A live session on two nodes (one PostgreSQL, one Redis): people connected to different nodes see
// each other in the participant list (presence asks every node through the Redis adapter), and
// chat, hands and the session's end reach everyone whichever node they are on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwoNodes, type TestServer, type TwoNodes } from "../test/harness.js";
import { eventually } from "../test/boards.js";
import { SessionClient, createSessionWorld, restAs } from "../test/sessions.js";

describe("a live session on two nodes (PostgreSQL + Redis)", () => {
  let cluster: TwoNodes;
  let database: TwoNodes["database"];
  let nodes: TestServer[];
  const clients: SessionClient[] = [];

  beforeAll(async () => {
    cluster = await startTwoNodes();
    ({ database, nodes } = cluster);
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    await cluster?.close();
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
