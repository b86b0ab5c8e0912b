// The stage and the media room, against a LiveKit STAND-IN (test/liveKitStandIn.ts: LiveKit's
// Twirp room API with its grant checks, since no LiveKit server can run here): bringing a raised
// hand on stage updates that participant's permissions in the plenary room and their next token;
// taking it back revokes both; ending the session closes the room and stops attendees' tokens.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenVerifier } from "livekit-server-sdk";
import type { Database } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { startTestServer, type TestServer } from "../test/harness.js";
import { startLiveKitStandIn, type LiveKitStandIn } from "../test/liveKitStandIn.js";
import { eventually } from "../test/boards.js";
import { SessionClient, createSessionWorld, restAs, type SessionPerson } from "../test/sessions.js";
import { plenaryRoom } from "../media/roomNames.js";

const API_KEY = "devkey";
const API_SECRET = "a-secret-of-at-least-32-characters!!";

describe.each(testDatabases())("the stage against a LiveKit stand-in on $driver", ({ open }) => {
  let database: TestDatabase;
  let server: TestServer;
  let standIn: LiveKitStandIn;
  const clients: SessionClient[] = [];

  beforeAll(async () => {
    standIn = await startLiveKitStandIn(API_KEY, API_SECRET);
    database = await open();
    server = await startTestServer({
      database: database as Database,
      env: { LIVEKIT_URL: standIn.url, LIVEKIT_API_KEY: API_KEY, LIVEKIT_API_SECRET: API_SECRET },
    });
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
    await database?.close();
    await standIn?.close();
  });

  async function token(person: SessionPerson, sessionId: string) {
    const res = await restAs(server.url, person).post(`/api/sessions/${sessionId}/media-token`, {});
    if (res.status !== 200) return { status: res.status, canPublish: null };
    const body = res.body as { token: string; canPublish: boolean };
    const claims = await new TokenVerifier(API_KEY, API_SECRET).verify(body.token);
    expect(claims.video?.canPublish).toBe(body.canPublish);
    return { status: res.status, canPublish: body.canPublish };
  }

  it("brings a raised hand on stage and back, in the room and in the next token (stand-in)", async () => {
    const w = await createSessionWorld({ db: server.database.db, auth: server.auth }, { attendees: 2 });
    const [speakerToBe, notConnected] = w.attendees as [SessionPerson, SessionPerson];
    const room = plenaryRoom(w.sessionId);
    expect((await token(speakerToBe, w.sessionId)).status).toBe(409);
    expect((await restAs(server.url, w.facilitator).post(`/api/sessions/${w.sessionId}/start`)).status).toBe(
      200,
    );

    expect(await token(speakerToBe, w.sessionId)).toEqual({ status: 200, canPublish: false });
    expect(standIn.rooms.has(room)).toBe(true);
    standIn.addParticipant(room, speakerToBe.userId);

    const facilitator = new SessionClient(server.url, w.facilitator, w.sessionId);
    const attendee = new SessionClient(server.url, speakerToBe, w.sessionId);
    const other = new SessionClient(server.url, notConnected, w.sessionId);
    clients.push(facilitator, attendee, other);
    for (const client of [facilitator, attendee, other]) {
      await client.ready();
      expect(await client.join()).toMatchObject({ ok: true });
    }
    expect(await attendee.raise()).toEqual({ ok: true });
    expect(await other.raise()).toEqual({ ok: true });

    expect(await facilitator.stage(speakerToBe.userId, true)).toEqual({ ok: true });
    const permission = () => standIn.rooms.get(room)?.participants.get(speakerToBe.userId)?.permission;
    expect(permission()).toMatchObject({ canPublish: true, canSubscribe: true });
    expect(standIn.calls.filter((c) => c.method === "UpdateParticipant").at(-1)?.body).toMatchObject({
      room,
      identity: speakerToBe.userId,
    });
    await eventually(() => expect(attendee.stages.at(-1)).toEqual({ sessionId: w.sessionId, onStage: true }));
    expect(await token(speakerToBe, w.sessionId)).toEqual({ status: 200, canPublish: true });
    expect(await token(notConnected, w.sessionId)).toEqual({ status: 200, canPublish: false });

    // Someone not in the media room yet: the stage still works, and their first token publishes.
    expect(await facilitator.stage(notConnected.userId, true)).toEqual({ ok: true });
    expect(await token(notConnected, w.sessionId)).toEqual({ status: 200, canPublish: true });

    expect(await facilitator.stage(speakerToBe.userId, false)).toEqual({ ok: true });
    expect(permission()).toMatchObject({ canPublish: false });
    expect(await token(speakerToBe, w.sessionId)).toEqual({ status: 200, canPublish: false });
    // Lowering one's own hand while on stage also leaves the stage.
    expect(await other.lower()).toEqual({ ok: true });
    expect(await token(notConnected, w.sessionId)).toEqual({ status: 200, canPublish: false });

    // Ending the session closes its room; attendees get no more tokens, the team still does.
    expect((await restAs(server.url, w.organizer).post(`/api/sessions/${w.sessionId}/end`)).status).toBe(200);
    expect(standIn.rooms.has(room)).toBe(false);
    expect(standIn.calls.some((c) => c.method === "DeleteRoom" && c.body.room === room)).toBe(true);
    expect((await token(speakerToBe, w.sessionId)).status).toBe(409);
    expect((await token(w.facilitator, w.sessionId)).status).toBe(200);
  });
});
