// Cancelling (deleting) a session keeps its seats' history, on PGlite and PostgreSQL: each seat
// holder gets a "cancelled" row saying who and when, earlier rows stay with the session's title,
// and the session-cancelled message is owed to each of them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { asc, eq, registrationHistory, registrationMessages } from "@convivio/db";
import type { RegistrationDetail } from "@convivio/protocol";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import {
  HOUR_MS,
  createEvent,
  localIn,
  register,
  signUpOrganizer,
  unique,
  withToken,
} from "../test/events.js";

describe.each(testDatabases())("deleting a session on $driver", ({ open }) => {
  let database: TestDatabase;
  let server: TestServer;
  let organizer: TestClient;

  beforeAll(async () => {
    database = await open();
    server = await startTestServer({ database, env: { AUTH_RATE_LIMIT: "1000" } });
    organizer = await signUpOrganizer(server, "Olga Organizer");
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it("records a cancelled seat for each holder, keeps the history and tells them", async () => {
    const event = await createEvent(organizer);
    const start = Date.parse(event.startsAt) + HOUR_MS;
    const created = await organizer.post(`/api/events/${event.slug}/sessions`, {
      title: "Tavolo mobilità",
      kind: "workshop",
      startsAt: localIn("Europe/Rome", start),
      endsAt: localIn("Europe/Rome", start + HOUR_MS),
      capacity: 1,
      registrationEnabled: true,
    });
    const sessionId = (created.body as { session: { id: string } }).session.id;
    const people = [];
    for (const name of ["Ada", "Bea"]) {
      const r = await register(server.client(), event.slug, {
        name,
        email: `${name.toLowerCase()}-${unique()}@example.it`,
      });
      const seat = await withToken(
        server.client(),
        "POST",
        `/api/registrations/${r.receipt!.id}/sessions/${sessionId}`,
        r.token!,
      );
      expect(seat.status).toBe(200);
      people.push(r);
    }
    const [ada, bea] = people as [(typeof people)[0], (typeof people)[0]];

    const before = Date.now();
    expect((await organizer.delete(`/api/events/${event.slug}/sessions/${sessionId}`)).status).toBe(204);

    const historyOf = (registrationId: string) =>
      database.db
        .select()
        .from(registrationHistory)
        .where(eq(registrationHistory.registrationId, registrationId))
        .orderBy(asc(registrationHistory.createdAt));
    const seatRows = async (registrationId: string) =>
      (await historyOf(registrationId))
        .filter((h) => h.sessionTitle !== null)
        .map((h) => ({
          sessionId: h.sessionId,
          title: h.sessionTitle,
          from: h.fromStatus,
          to: h.toStatus,
          actor: h.actor,
          byOrganizer: h.actorUserId !== null && h.actor === "organizer",
          reason: h.reason,
        }));
    // The seat history is still there, no longer pointing at the session but naming it.
    expect(await seatRows(ada.receipt!.id)).toEqual([
      {
        sessionId: null,
        title: "Tavolo mobilità",
        from: null,
        to: "confirmed",
        actor: "attendee",
        byOrganizer: false,
        reason: null,
      },
      {
        sessionId: null,
        title: "Tavolo mobilità",
        from: "confirmed",
        to: "cancelled",
        actor: "organizer",
        byOrganizer: true,
        reason: "session cancelled",
      },
    ]);
    expect(await seatRows(bea.receipt!.id)).toEqual([
      {
        sessionId: null,
        title: "Tavolo mobilità",
        from: null,
        to: "waitlisted",
        actor: "attendee",
        byOrganizer: false,
        reason: null,
      },
      {
        sessionId: null,
        title: "Tavolo mobilità",
        from: "waitlisted",
        to: "cancelled",
        actor: "organizer",
        byOrganizer: true,
        reason: "session cancelled",
      },
    ]);
    const cancelledAt = (await historyOf(ada.receipt!.id)).at(-1)!.createdAt.getTime();
    expect(cancelledAt).toBeGreaterThanOrEqual(before - 1000);

    for (const r of [ada, bea]) {
      const messages = await database.db
        .select({ kind: registrationMessages.kind, data: registrationMessages.data })
        .from(registrationMessages)
        .where(eq(registrationMessages.registrationId, r.receipt!.id));
      expect(messages.filter((m) => m.kind === "session_cancelled")).toEqual([
        { kind: "session_cancelled", data: expect.objectContaining({ sessionId, title: "Tavolo mobilità" }) },
      ]);
    }

    // The organizer reads who did it; the registrant reads the session's title, not the organizer's name.
    const asOrganizer = (await organizer.get(`/api/registrations/${ada.receipt!.id}`))
      .body as RegistrationDetail;
    expect(asOrganizer.history.at(-1)).toMatchObject({
      sessionId: null,
      sessionTitle: "Tavolo mobilità",
      from: "confirmed",
      to: "cancelled",
      by: "organizer",
      actorName: "Olga Organizer",
    });
    const asOwner = (
      await withToken(server.client(), "GET", `/api/registrations/${ada.receipt!.id}`, ada.token!)
    ).body as RegistrationDetail;
    expect(asOwner.history.at(-1)).toMatchObject({ sessionTitle: "Tavolo mobilità", actorName: null });
    // The event registration itself is untouched.
    expect(asOwner.registration.status).toBe("confirmed");
  });
});
