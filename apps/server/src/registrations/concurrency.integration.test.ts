// Invariants 1 and 2 under load: 500 simultaneous registrations for 100 seats give exactly 100
// confirmed and 400 waitlisted in arrival order, and each freed seat promotes exactly the first
// person waiting. On PGlite with one server, and on PostgreSQL with two servers (separate
// connection pools) sharing one database, requests spread across both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, createDb, eq, registrations, type Database } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import type { Mailer, MailMessage } from "../email/mailer.js";
import { startTestServer, type TestServer } from "../test/harness.js";
import { createEvent, register, signUpOrganizer, unique, withToken, type Receipt } from "../test/events.js";

const SEATS = 100;
const PEOPLE = 500;

function recordingMailer(sent: MailMessage[]): Mailer {
  return {
    async send(message) {
      sent.push(message);
    },
    async close() {},
  };
}

const [pglite, postgres] = testDatabases();

describe.each([
  { name: "PGlite, one server", factory: pglite!, servers: 1 },
  { name: "PostgreSQL, two servers", factory: postgres!, servers: 2 },
])("500 registrations for 100 seats: $name", ({ factory, servers: serverCount }) => {
  let database: TestDatabase;
  const extraDatabases: Database[] = [];
  const servers: TestServer[] = [];
  const sent: MailMessage[] = [];

  beforeAll(async () => {
    database = await factory.open();
    for (let i = 0; i < serverCount; i++) {
      // Each PostgreSQL server gets its own pool, as separate processes would.
      const own = i === 0 || !database.url ? database : await createDb({ url: database.url, poolSize: 10 });
      if (own !== database) extraDatabases.push(own);
      servers.push(
        await startTestServer({
          database: own,
          env: { AUTH_RATE_LIMIT: "1000" },
          overrides: { mailer: recordingMailer(sent) },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const extra of extraDatabases) await extra.close();
    await database.close();
  });

  it(
    "confirms exactly 100, waitlists 400 in arrival order, and a cancellation promotes exactly the first waiting",
    { timeout: 240_000 },
    async () => {
      const organizer = await signUpOrganizer(servers[0]!);
      const event = await createEvent(organizer, { settings: { capacity: SEATS } });
      const emails = Array.from({ length: PEOPLE }, (_, i) => `p${i}-${unique()}@example.it`);

      const started = performance.now();
      const responses = await Promise.all(
        emails.map((email, i) =>
          register(servers[i % servers.length]!.client(), event.slug, {
            name: `P ${i}`,
            email,
            locale: "en",
          }),
        ),
      );
      const elapsedMs = Math.round(performance.now() - started);
      console.log(`${PEOPLE} registrations over ${servers.length} server(s): ${elapsedMs} ms`);

      expect(responses.map((r) => r.status)).toEqual(emails.map(() => 201));
      const receipts = responses.map((r) => r.receipt!);
      expect(receipts.filter((r) => r.status === "confirmed")).toHaveLength(SEATS);
      expect(receipts.filter((r) => r.status === "waitlisted")).toHaveLength(PEOPLE - SEATS);
      // Every waiting person was told a distinct place, 1..400.
      const places = receipts.flatMap((r) => (r.waitlistPosition === null ? [] : [r.waitlistPosition]));
      expect([...places].sort((a, b) => a - b)).toEqual(
        Array.from({ length: PEOPLE - SEATS }, (_, i) => i + 1),
      );

      const rows = await database.db
        .select()
        .from(registrations)
        .where(eq(registrations.eventId, event.id))
        .orderBy(asc(registrations.arrival));
      expect(rows).toHaveLength(PEOPLE);
      // Arrival order decides: the first 100 to arrive hold the seats, the rest wait in the same order.
      expect(rows.slice(0, SEATS).every((r) => r.status === "confirmed" && !r.overCapacity)).toBe(true);
      const waiting = rows.slice(SEATS);
      expect(waiting.every((r) => r.status === "waitlisted")).toBe(true);
      const byWaitlistOrder = [...waiting].sort((a, b) => a.waitlistOrder! - b.waitlistOrder!);
      expect(byWaitlistOrder.map((r) => r.id)).toEqual(waiting.map((r) => r.id));
      // The place each person was told matches the database's order.
      const toldPlace = new Map(receipts.map((r: Receipt) => [r.id, r.waitlistPosition]));
      expect(byWaitlistOrder.map((r) => toldPlace.get(r.id))).toEqual(waiting.map((_, i) => i + 1));

      // Everyone's first email goes out before anyone cancels (it may wait for the rush to pass, and
      // a confirmation not sent before its registration is cancelled is no longer news).
      await expect
        .poll(() => sent.filter((m) => m.subject.includes(event.title)).length, {
          timeout: 60_000,
          interval: 200,
        })
        .toBe(PEOPLE);

      // One cancellation promotes exactly the first waiting person.
      const leaver = responses.find((r) => r.receipt!.status === "confirmed")!;
      const cancel = await withToken(
        servers[servers.length - 1]!.client(),
        "POST",
        `/api/registrations/${leaver.receipt!.id}/cancel`,
        leaver.token!,
      );
      expect(cancel.status).toBe(200);
      const after = await database.db.select().from(registrations).where(eq(registrations.eventId, event.id));
      const status = new Map(after.map((r) => [r.id, r.status]));
      expect(status.get(leaver.receipt!.id)).toBe("cancelled");
      expect(status.get(byWaitlistOrder[0]!.id)).toBe("confirmed");
      expect(after.filter((r) => r.status === "confirmed")).toHaveLength(SEATS);
      expect(
        after
          .filter((r) => r.status === "waitlisted")
          .map((r) => r.id)
          .sort(),
      ).toEqual(
        byWaitlistOrder
          .slice(1)
          .map((r) => r.id)
          .sort(),
      );

      // Twenty simultaneous cancellations on every server promote exactly the next twenty.
      // (Among those who held a seat from the start, so none of them is a promoted person.)
      const firstSeats = new Set(rows.slice(0, SEATS).map((r) => r.id));
      const confirmedNow = responses
        .filter((r) => firstSeats.has(r.receipt!.id) && r.receipt!.id !== leaver.receipt!.id)
        .slice(0, 20);
      const cancels = await Promise.all(
        confirmedNow.map((r, i) =>
          withToken(
            servers[i % servers.length]!.client(),
            "POST",
            `/api/registrations/${r.receipt!.id}/cancel`,
            r.token!,
          ),
        ),
      );
      expect(cancels.map((c) => c.status)).toEqual(confirmedNow.map(() => 200));
      const final = await database.db.select().from(registrations).where(eq(registrations.eventId, event.id));
      const finalStatus = new Map(final.map((r) => [r.id, r.status]));
      expect(final.filter((r) => r.status === "confirmed")).toHaveLength(SEATS);
      expect(byWaitlistOrder.slice(0, 21).every((r) => finalStatus.get(r.id) === "confirmed")).toBe(true);
      expect(byWaitlistOrder.slice(21).every((r) => finalStatus.get(r.id) === "waitlisted")).toBe(true);

      // Each person got exactly one first email (confirmed or waitlisted); the 21 promoted got one more.
      const expectedMails = PEOPLE + 21 + 21;
      await expect
        .poll(() => sent.filter((m) => m.subject.includes(event.title)).length, {
          timeout: 60_000,
          interval: 200,
        })
        .toBe(expectedMails);
      const perPerson = new Map<string, string[]>();
      for (const m of sent.filter((x) => x.subject.includes(event.title))) {
        perPerson.set(m.to, [...(perPerson.get(m.to) ?? []), m.subject.split(":")[0]!]);
      }
      expect(perPerson.size).toBe(PEOPLE);
      const promotedEmail = byWaitlistOrder[0]!.email;
      expect(perPerson.get(promotedEmail)!.sort()).toEqual(
        ["A seat is yours", "You're on the waitlist"].sort(),
      );
    },
  );
});
