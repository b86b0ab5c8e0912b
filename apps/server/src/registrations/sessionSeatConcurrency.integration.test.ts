// Invariants 1 and 2 for a workshop's own seats: many confirmed registrants taking the seats of one
// session at once give exactly its capacity confirmed and the rest waitlisted in arrival order;
// a seat given back promotes exactly the first waiting, and seats freed together (given back, or
// freed by cancelling the event registration) promote exactly as many, in order. On PGlite with one
// server, and on PostgreSQL with two servers (separate connection pools) sharing one database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  and,
  asc,
  createDb,
  eq,
  inArray,
  registrationMessages,
  sessionRegistrations,
  type Database,
} from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import type { Mailer } from "../email/mailer.js";
import { startTestServer, type TestServer } from "../test/harness.js";
import {
  DAY_MS,
  HOUR_MS,
  createEvent,
  localIn,
  register,
  signUpOrganizer,
  unique,
  withToken,
} from "../test/events.js";

const SEATS = 40;
const PEOPLE = 150;

const quietMailer: Mailer = { async send() {}, async close() {} };

interface SeatView {
  seat: { sessionId: string; status: string; waitlistPosition: number | null };
}

const [pglite, postgres] = testDatabases();

describe.each([
  { name: "PGlite, one server", factory: pglite!, servers: 1 },
  { name: "PostgreSQL, two servers", factory: postgres!, servers: 2 },
])(`${PEOPLE} people taking ${SEATS} seats of one session at once: $name`, ({ factory, servers: count }) => {
  let database: TestDatabase;
  const pools: Database[] = [];
  const servers: TestServer[] = [];

  beforeAll(async () => {
    database = await factory.open();
    for (let i = 0; i < count; i++) {
      // Each PostgreSQL server gets its own pool, as separate processes would.
      const own = i === 0 || !database.url ? database : await createDb({ url: database.url, poolSize: 10 });
      if (own !== database) pools.push(own);
      servers.push(
        await startTestServer({
          database: own,
          env: { AUTH_RATE_LIMIT: "1000" },
          overrides: { mailer: quietMailer },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const pool of pools) await pool.close();
    await database.close();
  });

  const client = (i: number) => servers[i % servers.length]!.client();

  it(
    "confirms exactly the session's capacity, waitlists the rest in arrival order, and freed seats promote the first waiting",
    { timeout: 240_000 },
    async () => {
      const organizer = await signUpOrganizer(servers[0]!);
      const startsAt = Math.ceil((Date.now() + 20 * DAY_MS) / HOUR_MS) * HOUR_MS;
      // No limit on the event itself: only the workshop's seats are scarce.
      const event = await createEvent(organizer, { startsAt, durationMs: 8 * HOUR_MS });
      const created = await organizer.post(`/api/events/${event.slug}/sessions`, {
        title: "Laboratorio affollato",
        kind: "workshop",
        startsAt: localIn("Europe/Rome", startsAt + HOUR_MS),
        endsAt: localIn("Europe/Rome", startsAt + 3 * HOUR_MS),
        capacity: SEATS,
        registrationEnabled: true,
      });
      expect(created.status).toBe(201);
      const sessionId = (created.body as { session: { id: string } }).session.id;

      const people = await Promise.all(
        Array.from({ length: PEOPLE }, (_, i) =>
          register(client(i), event.slug, { name: `P ${i}`, email: `s${i}-${unique()}@example.it` }),
        ),
      );
      expect(people.every((p) => p.receipt?.status === "confirmed")).toBe(true);
      const seatPath = (p: (typeof people)[number]) =>
        `/api/registrations/${p.receipt!.id}/sessions/${sessionId}`;

      const started = performance.now();
      const joins = await Promise.all(
        people.map((p, i) => withToken(client(i), "POST", seatPath(p), p.token!)),
      );
      console.log(
        `${PEOPLE} seat requests over ${servers.length} server(s): ${Math.round(performance.now() - started)} ms`,
      );
      expect(joins.map((j) => j.status)).toEqual(people.map(() => 200));
      const views = joins.map((j) => (j.body as SeatView).seat);
      expect(views.filter((v) => v.status === "confirmed")).toHaveLength(SEATS);
      expect(views.filter((v) => v.status === "waitlisted")).toHaveLength(PEOPLE - SEATS);
      // Every waiting person was told a distinct place, 1..110.
      const places = views.flatMap((v) => (v.waitlistPosition === null ? [] : [v.waitlistPosition]));
      expect([...places].sort((a, b) => a - b)).toEqual(
        Array.from({ length: PEOPLE - SEATS }, (_, i) => i + 1),
      );

      const seatsOf = () =>
        database.db
          .select()
          .from(sessionRegistrations)
          .where(eq(sessionRegistrations.sessionId, sessionId))
          .orderBy(asc(sessionRegistrations.arrival));
      const rows = await seatsOf();
      expect(rows).toHaveLength(PEOPLE);
      // Arrival order decides: the first 40 to arrive hold the seats, the rest wait in the same order.
      expect(rows.slice(0, SEATS).every((r) => r.status === "confirmed")).toBe(true);
      const waiting = rows.slice(SEATS);
      expect(waiting.every((r) => r.status === "waitlisted")).toBe(true);
      const byWaitlistOrder = [...waiting].sort((a, b) => a.waitlistOrder! - b.waitlistOrder!);
      expect(byWaitlistOrder.map((r) => r.id)).toEqual(waiting.map((r) => r.id));
      // The place each person was told matches the database's order.
      const toldPlace = new Map(people.map((p, i) => [p.receipt!.id, views[i]!.waitlistPosition]));
      expect(byWaitlistOrder.map((r) => toldPlace.get(r.registrationId))).toEqual(
        waiting.map((_, i) => i + 1),
      );

      const byRegistration = new Map(people.map((p) => [p.receipt!.id, p]));
      const holders = rows.slice(0, SEATS).map((r) => byRegistration.get(r.registrationId)!);
      const promotions = async () =>
        (
          await database.db
            .select({ registrationId: registrationMessages.registrationId })
            .from(registrationMessages)
            .where(
              and(
                eq(registrationMessages.kind, "session_promoted"),
                inArray(
                  registrationMessages.registrationId,
                  people.map((p) => p.receipt!.id),
                ),
              ),
            )
        ).map((m) => m.registrationId);

      // One seat given back promotes exactly the first waiting person, who is told so once.
      const leave = await withToken(
        client(servers.length - 1),
        "DELETE",
        seatPath(holders[0]!),
        holders[0]!.token!,
      );
      expect(leave.status).toBe(200);
      const afterOne = new Map((await seatsOf()).map((r) => [r.registrationId, r.status]));
      expect(afterOne.get(holders[0]!.receipt!.id)).toBe("cancelled");
      expect(afterOne.get(byWaitlistOrder[0]!.registrationId)).toBe("confirmed");
      expect([...afterOne.values()].filter((s) => s === "confirmed")).toHaveLength(SEATS);
      expect(byWaitlistOrder.slice(1).every((r) => afterOne.get(r.registrationId) === "waitlisted")).toBe(
        true,
      );
      expect(await promotions()).toEqual([byWaitlistOrder[0]!.registrationId]);

      // Ten seats freed at once on every server (five given back, five by cancelling the event
      // registration, which gives its seats back) promote exactly the next ten, in order.
      const freeing = holders.slice(1, 11);
      const freed = await Promise.all(
        freeing.map((p, i) =>
          i % 2 === 0
            ? withToken(client(i), "DELETE", seatPath(p), p.token!)
            : withToken(client(i), "POST", `/api/registrations/${p.receipt!.id}/cancel`, p.token!),
        ),
      );
      expect(freed.map((f) => f.status)).toEqual(freeing.map(() => 200));
      const final = new Map((await seatsOf()).map((r) => [r.registrationId, r.status]));
      expect([...final.values()].filter((s) => s === "confirmed")).toHaveLength(SEATS);
      expect(freeing.every((p) => final.get(p.receipt!.id) === "cancelled")).toBe(true);
      expect(byWaitlistOrder.slice(0, 11).every((r) => final.get(r.registrationId) === "confirmed")).toBe(
        true,
      );
      expect(byWaitlistOrder.slice(11).every((r) => final.get(r.registrationId) === "waitlisted")).toBe(true);
      expect((await promotions()).sort()).toEqual(
        byWaitlistOrder
          .slice(0, 11)
          .map((r) => r.registrationId)
          .sort(),
      );
    },
  );
});
