// A seat that frees up after the event (or the session) has ended is no use to anyone: nobody is
// promoted and nobody is told "a seat is yours" for something already over, whether the seat frees
// by a cancellation, a seat given back or an organizer's rejection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, registrationMessages, registrations, sessionRegistrations } from "@convivio/db";
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

describe("after the event has ended", () => {
  let server: TestServer;
  let organizer: TestClient;

  beforeAll(async () => {
    server = await startTestServer({ env: { AUTH_RATE_LIMIT: "1000" } });
    organizer = await signUpOrganizer(server);
  });
  afterAll(() => server.close());

  it("a cancellation, a seat given back or a rejection promotes nobody", async () => {
    const startsAt = Math.ceil((Date.now() + HOUR_MS) / 60_000) * 60_000;
    const event = await createEvent(organizer, {
      startsAt,
      durationMs: 2 * HOUR_MS,
      settings: { capacity: 2 },
    });
    const created = await organizer.post(`/api/events/${event.slug}/sessions`, {
      title: "Laboratorio",
      kind: "workshop",
      startsAt: localIn("Europe/Rome", startsAt),
      endsAt: localIn("Europe/Rome", startsAt + HOUR_MS),
      capacity: 1,
      registrationEnabled: true,
    });
    const sessionId = (created.body as { session: { id: string } }).session.id;
    const people: Awaited<ReturnType<typeof register>>[] = [];
    for (const name of ["Ada", "Dino", "Bea", "Ciro"]) {
      people.push(
        await register(server.client(), event.slug, {
          name,
          email: `${name.toLowerCase()}-${unique()}@example.it`,
        }),
      );
    }
    const [ada, dino, bea, ciro] = people as [
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
    ];
    expect(people.map((p) => p.receipt!.status)).toEqual([
      "confirmed",
      "confirmed",
      "waitlisted",
      "waitlisted",
    ]);
    for (const p of [ada, dino]) {
      await withToken(
        server.client(),
        "POST",
        `/api/registrations/${p.receipt!.id}/sessions/${sessionId}`,
        p.token!,
      );
    }

    // Four hours later: the session and the event are over.
    server.clock.advance(4 * HOUR_MS);
    const leave = await withToken(
      server.client(),
      "DELETE",
      `/api/registrations/${ada.receipt!.id}/sessions/${sessionId}`,
      ada.token!,
    );
    expect(leave.status).toBe(200);
    const cancel = await withToken(
      server.client(),
      "POST",
      `/api/registrations/${ada.receipt!.id}/cancel`,
      ada.token!,
    );
    expect(cancel.body).toMatchObject({ registration: { status: "cancelled" } });
    const rejected = await organizer.post(`/api/events/${event.slug}/registrations/decisions`, {
      action: "reject",
      registrationIds: [dino.receipt!.id],
    });
    expect(rejected.body).toMatchObject({ results: [{ changed: true, status: "rejected" }] });

    const ids = people.map((p) => p.receipt!.id);
    const statuses = Object.fromEntries(
      (await server.database.db.select().from(registrations).where(inArray(registrations.id, ids))).map(
        (r) => [r.id, r.status],
      ),
    );
    expect(statuses).toEqual({
      [ada.receipt!.id]: "cancelled",
      [dino.receipt!.id]: "rejected",
      [bea.receipt!.id]: "waitlisted",
      [ciro.receipt!.id]: "waitlisted",
    });
    const seats = await server.database.db
      .select({ registrationId: sessionRegistrations.registrationId, status: sessionRegistrations.status })
      .from(sessionRegistrations)
      .where(eq(sessionRegistrations.sessionId, sessionId));
    // Dino was waiting for Ada's seat; the rejection then gave his place in line back.
    expect(seats.find((s) => s.registrationId === dino.receipt!.id)?.status).toBe("cancelled");
    const kinds = (
      await server.database.db
        .select({ kind: registrationMessages.kind })
        .from(registrationMessages)
        .where(inArray(registrationMessages.registrationId, ids))
    ).map((m) => m.kind);
    expect(kinds).not.toContain("promoted");
    expect(kinds).not.toContain("session_promoted");
  });
});
