import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { AccessToken, TokenVerifier } from "livekit-server-sdk";
import { agendaSessions, attendance, eq, eventMembers, events, users, type Db } from "@convivio/db";
import type { EventRole } from "@convivio/protocol";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import { startLiveKitStandIn, type LiveKitStandIn } from "../test/liveKitStandIn.js";
import { plenaryRoom } from "./roomNames.js";

const API_KEY = "devkey";
const API_SECRET = "a-secret-of-at-least-32-characters!!";
const PASSWORD = "correct horse battery";

async function person(server: TestServer, name: string): Promise<{ client: TestClient; id: string }> {
  const client = server.client();
  const res = await client.post("/api/auth/sign-up", {
    name,
    email: `${randomUUID()}@example.it`,
    password: PASSWORD,
  });
  return { client, id: (res.body as { user: { id: string } }).user.id };
}

async function seedSession(db: Db, members: [string, EventRole][]) {
  const [event] = await db
    .insert(events)
    .values({
      slug: `media-${randomUUID().slice(0, 8)}`,
      title: "Media",
      timeZone: "Europe/Rome",
      startsAt: new Date("2027-03-01T09:00:00Z"),
      endsAt: new Date("2027-03-01T17:00:00Z"),
      visibility: "public",
    })
    .returning();
  const [session] = await db
    .insert(agendaSessions)
    .values({
      eventId: event!.id,
      title: "Plenaria",
      kind: "plenary",
      startsAt: new Date("2027-03-01T09:00:00Z"),
      endsAt: new Date("2027-03-01T10:00:00Z"),
    })
    .returning();
  if (members.length)
    await db
      .insert(eventMembers)
      .values(members.map(([userId, role]) => ({ eventId: event!.id, userId, role })));
  return session!.id;
}

async function signedWebhook(body: object, secret = API_SECRET) {
  const raw = JSON.stringify(body);
  const token = new AccessToken(API_KEY, secret);
  token.sha256 = createHash("sha256").update(raw).digest("base64");
  return { raw, authorization: await token.toJwt() };
}

describe("video with LiveKit unset", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("says plainly that video is not configured, and everything else answers", async () => {
    expect((await server.client().get("/api/media")).body).toEqual({ configured: false, url: null });
    const organizer = await person(server, "Org");
    const sessionId = await seedSession(server.database.db, [[organizer.id, "organizer"]]);
    const token = await organizer.client.post(`/api/sessions/${sessionId}/media-token`, {});
    expect(token.status).toBe(503);
    expect(token.body).toMatchObject({ code: "media_not_configured" });
    expect((await organizer.client.get(`/api/sessions/${sessionId}/attendance`)).status).toBe(200);
  });
});

describe("video with LiveKit's room API unreachable", () => {
  let server: TestServer;
  beforeAll(async () => {
    // A port nothing listens on: the room API refuses every call.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    server = await startTestServer({
      env: {
        LIVEKIT_URL: `ws://127.0.0.1:${port}`,
        LIVEKIT_API_KEY: API_KEY,
        LIVEKIT_API_SECRET: API_SECRET,
      },
    });
  });
  afterAll(() => server.close());

  it("still gives a plenary token (LiveKit creates the room on first join)", async () => {
    const organizer = await person(server, "Org");
    const sessionId = await seedSession(server.database.db, [[organizer.id, "organizer"]]);
    const res = await organizer.client.post(`/api/sessions/${sessionId}/media-token`, {});
    expect(res.status).toBe(200);
    const claims = await new TokenVerifier(API_KEY, API_SECRET).verify((res.body as { token: string }).token);
    expect(claims.video).toMatchObject({ room: plenaryRoom(sessionId), roomJoin: true, canPublish: true });
  });
});

describe("video with a LiveKit stand-in (Twirp room API and signed webhooks)", () => {
  let standIn: LiveKitStandIn;
  let server: TestServer;
  let sessionId: string;
  let organizer: { client: TestClient; id: string };
  let attendee: { client: TestClient; id: string };
  let facilitator: { client: TestClient; id: string };
  let outsider: { client: TestClient; id: string };

  beforeAll(async () => {
    standIn = await startLiveKitStandIn(API_KEY, API_SECRET);
    server = await startTestServer({
      env: { LIVEKIT_URL: standIn.url, LIVEKIT_API_KEY: API_KEY, LIVEKIT_API_SECRET: API_SECRET },
    });
    organizer = await person(server, "Giulia");
    attendee = await person(server, "Sara");
    facilitator = await person(server, "Marco");
    outsider = await person(server, "Otto");
    sessionId = await seedSession(server.database.db, [
      [organizer.id, "organizer"],
      [attendee.id, "attendee"],
      [facilitator.id, "facilitator"],
    ]);
    // Attendees get a plenary token only while the session is live.
    expect((await attendee.client.post(`/api/sessions/${sessionId}/media-token`, {})).status).toBe(409);
    expect((await organizer.client.post(`/api/sessions/${sessionId}/start`)).status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    await standIn.close();
  });

  it("reports video as configured", async () => {
    expect((await server.client().get("/api/media")).body).toEqual({ configured: true, url: standIn.url });
  });

  it("gives an attendee a watch-only token for the plenary room and creates the room", async () => {
    const res = await attendee.client.post(`/api/sessions/${sessionId}/media-token`, {});
    expect(res.status).toBe(200);
    const body = res.body as { token: string; room: string; canPublish: boolean };
    expect(body.room).toBe(plenaryRoom(sessionId));
    expect(body.canPublish).toBe(false);
    const claims = await new TokenVerifier(API_KEY, API_SECRET).verify(body.token);
    expect(claims.sub).toBe(attendee.id);
    expect(claims.video).toMatchObject({ room: plenaryRoom(sessionId), roomJoin: true, canPublish: false });
    expect(standIn.rooms.has(plenaryRoom(sessionId))).toBe(true);
  });

  it("lets the organizer publish and a facilitator listen in hidden, but not an attendee", async () => {
    const organizerToken = (await organizer.client.post(`/api/sessions/${sessionId}/media-token`, {}))
      .body as {
      canPublish: boolean;
    };
    expect(organizerToken.canPublish).toBe(true);
    const hidden = await facilitator.client.post(`/api/sessions/${sessionId}/media-token`, { hidden: true });
    const claims = await new TokenVerifier(API_KEY, API_SECRET).verify(
      (hidden.body as { token: string }).token,
    );
    expect(claims.video).toMatchObject({ hidden: true, canPublish: false });
    expect(
      (await attendee.client.post(`/api/sessions/${sessionId}/media-token`, { hidden: true })).status,
    ).toBe(403);
  });

  it("refuses a token to someone outside the event, to a stranger and for bad input", async () => {
    expect((await outsider.client.post(`/api/sessions/${sessionId}/media-token`, {})).status).toBe(403);
    expect((await server.client().post(`/api/sessions/${sessionId}/media-token`, {})).status).toBe(401);
    expect((await attendee.client.post(`/api/sessions/not-a-uuid/media-token`, {})).status).toBe(400);
    expect((await attendee.client.post(`/api/sessions/${randomUUID()}/media-token`, {})).status).toBe(404);
    expect(
      (await attendee.client.post(`/api/sessions/${sessionId}/media-token`, { room: "other" })).status,
    ).toBe(400);
  });

  it("records attendance from signed webhooks, once per event id, and reports minutes per person", async () => {
    const joinedAt = 1_900_000_000;
    const room = { name: plenaryRoom(sessionId) };
    const participant = { identity: attendee.id, sid: "PA_visit1" };
    const join = await signedWebhook({
      id: "EV_join_1",
      event: "participant_joined",
      createdAt: joinedAt,
      room,
      participant,
    });
    const leave = await signedWebhook({
      id: "EV_left_1",
      event: "participant_left",
      createdAt: joinedAt + 600,
      room,
      participant,
    });
    const post = (hook: { raw: string; authorization: string }) =>
      fetch(`${server.url}/api/livekit/webhook`, {
        method: "POST",
        headers: { "content-type": "application/webhook+json", authorization: hook.authorization },
        body: hook.raw,
      });
    // Leave before join, and the join delivered twice (LiveKit retries): still one 10-minute visit.
    expect((await post(leave)).status).toBe(200);
    expect((await post(join)).status).toBe(200);
    expect((await post(join)).status).toBe(200);

    const report = await organizer.client.get(`/api/sessions/${sessionId}/attendance`);
    expect(report.body).toMatchObject({
      people: [
        { userId: attendee.id, name: "Sara", visits: 1, minutesPresent: 10, minutesByRoom: { plenary: 10 } },
      ],
    });
    const csv = await organizer.client.get(`/api/sessions/${sessionId}/attendance.csv`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    // fetch's text() drops a byte-order mark, so read the bytes.
    const bytes = new Uint8Array(
      await (
        await fetch(`${server.url}/api/sessions/${sessionId}/attendance.csv`, {
          headers: { cookie: organizer.client.cookie! },
        })
      ).arrayBuffer(),
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // Headers in the reader's language (Italian unless they chose otherwise), like the registrations export.
    expect(csv.text.startsWith("Nome,Email,Accessi,Minuti di presenza,Plenaria (min)")).toBe(true);
    expect(csv.text).toContain("Sara,");
    expect((await attendee.client.get(`/api/sessions/${sessionId}/attendance`)).status).toBe(403);
  });

  it("rejects a webhook with a bad signature or a tampered body, and stores nothing", async () => {
    const before = await server.database.db
      .select()
      .from(attendance)
      .where(eq(attendance.sessionId, sessionId));
    const body = {
      id: "EV_forged",
      event: "participant_joined",
      createdAt: 1_900_000_000,
      room: { name: plenaryRoom(sessionId) },
      participant: { identity: outsider.id, sid: "PA_forged" },
    };
    const forged = await signedWebhook(body, "another-secret-of-32-characters!!!!");
    const honest = await signedWebhook(body);
    for (const [raw, authorization] of [
      [forged.raw, forged.authorization],
      [honest.raw.replace("PA_forged", "PA_tamper"), honest.authorization],
      [honest.raw, ""],
    ] as const) {
      const res = await fetch(`${server.url}/api/livekit/webhook`, {
        method: "POST",
        headers: { "content-type": "application/webhook+json", authorization },
        body: raw,
      });
      expect(res.status).toBe(401);
    }
    const after = await server.database.db
      .select()
      .from(attendance)
      .where(eq(attendance.sessionId, sessionId));
    expect(after).toHaveLength(before.length);
    const [row] = await server.database.db.select().from(users).where(eq(users.id, outsider.id));
    expect(row).toBeDefined();
  });
});
