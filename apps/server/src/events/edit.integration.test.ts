// Editing events on PGlite and PostgreSQL: wall-clock times in the event's zone stored in UTC,
// publishing, spaces, sessions with schedule warnings, the team by email, and the cover image.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { eq, events } from "@convivio/db";
import type { EventDetail, SessionSaved } from "@convivio/protocol";
import { lastMailTo, startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import { signUpOrganizer, unique } from "../test/events.js";

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

describe.each(testDatabases())("editing events on $driver", ({ open }) => {
  let database: TestDatabase;
  let server: TestServer;
  let organizer: TestClient;

  beforeAll(async () => {
    database = await open();
    server = await startTestServer({ database, env: { AUTH_RATE_LIMIT: "1000" } });
    organizer = await signUpOrganizer(server);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  const newEvent = async (overrides: Record<string, unknown> = {}) => {
    const slug = `ev-${unique()}`;
    const res = await organizer.post("/api/events", {
      slug,
      title: "Giornata della partecipazione",
      description: "**Benvenuti** <script>alert(1)</script> [link](javascript:alert(1))",
      timeZone: "Europe/Rome",
      startsAt: "2026-07-10T09:00",
      endsAt: "2026-07-11T18:00",
      languages: ["it", "en"],
      ...overrides,
    });
    expect(res.status, res.text).toBe(201);
    return (res.body as { event: EventDetail }).event;
  };

  it("creates a draft from wall-clock times in its zone, stores UTC, renders safe Markdown, and publishes", async () => {
    const event = await newEvent();
    expect(event).toMatchObject({
      visibility: "draft",
      roles: ["organizer"],
      startsAt: "2026-07-10T07:00:00.000Z",
      endsAt: "2026-07-11T16:00:00.000Z",
      timeZone: "Europe/Rome",
    });
    expect(event.descriptionHtml).toContain("<strong>Benvenuti</strong>");
    expect(event.descriptionHtml).not.toMatch(/script|javascript/);
    // A draft is invisible outside its team.
    expect((await server.client().get(`/api/events/${event.slug}`)).status).toBe(404);
    const published = await organizer.post(`/api/events/${event.slug}/visibility`, { visibility: "public" });
    expect(published.body).toMatchObject({ event: { visibility: "public" } });
    expect((await server.client().get(`/api/events/${event.slug}`)).status).toBe(200);

    // New times in a new zone; the slug can change too.
    const moved = await organizer.patch(`/api/events/${event.slug}`, {
      slug: `${event.slug}-ny`,
      timeZone: "America/New_York",
      startsAt: "2026-11-01T09:00",
      endsAt: "2026-11-01T17:00",
    });
    expect(moved.status).toBe(200);
    const [row] = await database.db.select().from(events).where(eq(events.id, event.id));
    expect(row!.startsAt.toISOString()).toBe("2026-11-01T14:00:00.000Z");
    expect(row!.slug).toBe(`${event.slug}-ny`);
    // Only an end after the start, whatever is changed.
    const backwards = await organizer.patch(`/api/events/${event.slug}-ny`, { endsAt: "2026-11-01T08:00" });
    expect(backwards.status).toBe(400);
    expect(backwards.body).toMatchObject({ code: "validation_failed", issues: [{ path: "endsAt" }] });
  });

  it("manages spaces and sessions, and warns about overlaps in a space and people booked twice", async () => {
    const event = await newEvent();
    const hall = (await organizer.post(`/api/events/${event.slug}/spaces`, { name: "Sala grande" })).body as {
      space: { id: string };
    };
    const room = (await organizer.post(`/api/events/${event.slug}/spaces`, { name: "Saletta" })).body as {
      space: { id: string };
    };
    expect((await organizer.post(`/api/events/${event.slug}/spaces`, { name: "Sala grande" })).status).toBe(
      409,
    );
    const renamed = await organizer.patch(`/api/events/${event.slug}/spaces/${room.space.id}`, {
      name: "Sala B",
      position: 5,
    });
    expect(renamed.body).toMatchObject({ space: { name: "Sala B", position: 5 } });

    const speaker = await organizer.post(`/api/events/${event.slug}/team`, {
      email: `speaker-${unique()}@example.it`,
      name: "Sandro Speaker",
      role: "speaker",
      locale: "en",
    });
    expect(speaker.status).toBe(201);
    const speakerId = (speaker.body as { member: { userId: string } }).member.userId;

    const session = (body: Record<string, unknown>) =>
      organizer.post(`/api/events/${event.slug}/sessions`, { kind: "talk", ...body });
    const a = await session({
      title: "Apertura",
      spaceId: hall.space.id,
      startsAt: "2026-07-10T09:00",
      endsAt: "2026-07-10T10:00",
      speakerIds: [speakerId],
    });
    expect(a.status).toBe(201);
    const first = a.body as SessionSaved;
    expect(first.session).toMatchObject({
      startsAt: "2026-07-10T07:00:00.000Z",
      localStartsAt: "2026-07-10T09:00",
      timeZone: "Europe/Rome",
      speakers: [{ userId: speakerId, name: "Sandro Speaker" }],
    });
    expect(first.warnings).toEqual([]);
    const b = (
      await session({
        title: "Parallela",
        spaceId: hall.space.id,
        startsAt: "2026-07-10T09:30",
        endsAt: "2026-07-10T11:00",
      })
    ).body as SessionSaved;
    expect(b.warnings).toEqual([
      { type: "space_overlap", spaceId: hall.space.id, sessionIds: [first.session.id, b.session.id] },
    ]);
    const c = (
      await session({
        title: "Altrove",
        spaceId: room.space.id,
        startsAt: "2026-07-10T09:45",
        endsAt: "2026-07-10T10:30",
        facilitatorIds: [],
        speakerIds: [speakerId],
      })
    ).body as SessionSaved;
    expect(c.warnings).toEqual([
      { type: "person_double_booked", userId: speakerId, sessionIds: [first.session.id, c.session.id] },
    ]);
    const outside = (
      await session({ title: "Dopo", startsAt: "2026-07-12T09:00", endsAt: "2026-07-12T10:00" })
    ).body as SessionSaved;
    expect(outside.warnings).toEqual([{ type: "outside_event", sessionId: outside.session.id }]);
    const all = await organizer.get(`/api/events/${event.slug}/schedule-warnings`);
    expect((all.body as { warnings: unknown[] }).warnings).toHaveLength(3);

    // Someone not on the team cannot be booked.
    const stranger = await session({
      title: "X",
      startsAt: "2026-07-10T12:00",
      endsAt: "2026-07-10T13:00",
      speakerIds: ["6f1c2d5e-8a4b-4c3d-9e2f-1a2b3c4d5e6f"],
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body).toMatchObject({ issues: [{ path: "speakerIds.0" }] });

    // Moving the second session out of the way clears its warning; the public sees the session page.
    const fixed = await organizer.patch(`/api/events/${event.slug}/sessions/${b.session.id}`, {
      startsAt: "2026-07-10T10:00",
      endsAt: "2026-07-10T11:00",
    });
    expect((fixed.body as SessionSaved).warnings).toEqual([]);
    await organizer.post(`/api/events/${event.slug}/visibility`, { visibility: "unlisted" });
    const page = await server.client().get(`/api/events/${event.slug}/sessions/${first.session.id}`);
    expect(page.body).toMatchObject({ session: { title: "Apertura", seatsTaken: null } });

    // Deleting a space keeps its sessions, without a space.
    expect((await organizer.delete(`/api/events/${event.slug}/spaces/${hall.space.id}`)).status).toBe(204);
    const detail = (await organizer.get(`/api/events/${event.slug}`)).body as EventDetail;
    expect(detail.sessions.find((s) => s.id === first.session.id)?.spaceId).toBeNull();
    expect((await organizer.delete(`/api/events/${event.slug}/sessions/${c.session.id}`)).status).toBe(204);
    expect((await server.client().get(`/api/events/${event.slug}/sessions/${c.session.id}`)).status).toBe(
      404,
    );
  });

  it("invites co-organizers by email with a sign-in link, and keeps the last organizer", async () => {
    const event = await newEvent();
    const email = `co-${unique()}@example.it`;
    const invited = await organizer.post(`/api/events/${event.slug}/team`, {
      email,
      name: "Cora",
      role: "organizer",
    });
    expect(invited.body).toMatchObject({ member: { email, roles: ["organizer"] } });
    await expect
      .poll(() =>
        lastMailTo(server.client(), email)
          .then((m) => m.link)
          .catch(() => undefined),
      )
      .toBeDefined();
    const { message, token } = await lastMailTo(server.client(), email);
    expect(message.subject).toContain(event.title);
    const co = server.client();
    expect((await co.post("/api/auth/magic-link/consume", { token })).status).toBe(200);
    const mine = (await co.get("/api/me/events")).body as { events: { slug: string; roles: string[] }[] };
    expect(mine.events).toEqual([expect.objectContaining({ slug: event.slug, roles: ["organizer"] })]);

    const team = (await organizer.get(`/api/events/${event.slug}/team`)).body as {
      members: { userId: string }[];
    };
    const me = (await organizer.get("/api/me")).body as { user: { id: string } };
    const coId = team.members.find((m) => m.userId !== me.user.id)!.userId;
    expect((await co.delete(`/api/events/${event.slug}/team/${me.user.id}?role=organizer`)).status).toBe(204);
    const last = await co.delete(`/api/events/${event.slug}/team/${coId}?role=organizer`);
    expect(last.status).toBe(409);
    // The removed organizer has lost the event.
    expect((await organizer.patch(`/api/events/${event.slug}`, { title: "Mine again" })).status).toBe(404);
  });

  it("takes a cover image of a checked type and size, and serves it", async () => {
    const event = await newEvent();
    const put = (body: Buffer | string, type: string) =>
      fetch(`${server.url}/api/events/${event.slug}/cover`, {
        method: "PUT",
        headers: { "content-type": type, cookie: organizer.cookie! },
        body,
      });
    expect((await put(PNG, "image/png")).status).toBe(204);
    const detail = (await organizer.get(`/api/events/${event.slug}`)).body as EventDetail;
    expect(detail.coverUrl).toMatch(new RegExp(`^/api/events/${event.slug}/cover\\?v=\\d+$`));
    const served = await fetch(`${server.url}/api/events/${event.slug}/cover`, {
      headers: { cookie: organizer.cookie! },
    });
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);

    expect((await put(PNG, "image/jpeg")).status).toBe(400);
    expect((await put("not an image", "text/plain")).status).toBe(415);
    expect((await put(Buffer.alloc(2 * 1024 * 1024 + 1, 0xff), "image/jpeg")).status).toBe(413);
    expect((await organizer.delete(`/api/events/${event.slug}/cover`)).status).toBe(204);
    expect((await organizer.get(`/api/events/${event.slug}/cover`)).status).toBe(404);
  });
});
