// The 24 h reminder, delivered: an event (and a workshop) starting 24 hours and LEAD_S seconds from
// now, two attendees (Italian and English) with a seat each. With BullMQ and two servers' workers on
// one Redis, each gets exactly one "tomorrow" email per target over a real SMTP server, in their
// language, with the times in the event's zone (New York: neither the process's zone nor Rome);
// a third server joining afterwards (its start-up re-arm catches up owed reminders) sends none again.
import { randomUUID } from "node:crypto";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { JobName, reminderJobId } from "@convivio/protocol";
import { TEST_REDIS_URL, deleteRedisKeys } from "../test/jobs.js";
import { startSmtpCatcher, type SmtpCatcher } from "../test/smtp.js";
import { startTestServer, type TestServer } from "../test/harness.js";
import {
  HOUR_MS,
  createEvent,
  localIn,
  register,
  signUpOrganizer,
  unique,
  withToken,
} from "../test/events.js";

const ZONE = "America/New_York";
/** Seconds from the start of the scenario to the reminders: time to set everything up first. */
// Generous: on a loaded 2-core CI machine the set-up of reminders.integration.test.ts took over 12 s.
const LEAD_S = 40;
const DAY_MS = 24 * HOUR_MS;

describe("the 24 h reminder with BullMQ: two servers, one Redis, one PostgreSQL, real SMTP", () => {
  const prefix = `convivio-test-reminder24h-${randomUUID().slice(0, 8)}`;
  let smtp: SmtpCatcher;
  let database: TestDatabase;
  const pools: Database[] = [];
  const servers: TestServer[] = [];

  const start = async () => {
    const pool = await createDb({ url: database.url!, poolSize: 5 });
    pools.push(pool);
    const server = await startTestServer({
      database: pool,
      env: { REDIS_URL: TEST_REDIS_URL, SMTP_URL: smtp.url, AUTH_RATE_LIMIT: "1000" },
      overrides: { redisPrefix: prefix },
    });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    database = await testDatabases()[1]!.open();
    await start();
    await start();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const pool of pools) await pool.close();
    await database.close();
    await smtp.close();
    // The 1 h reminders are still pending (a day ahead): leave nothing of this run in Redis.
    await deleteRedisKeys(prefix);
  });

  const mailsTo = (address: string): ParsedMail[] =>
    smtp.received.filter((m) => m.to && "text" in m.to && m.to.text === address);
  const remindersTo = (address: string) =>
    mailsTo(address).filter((m) => /^(Tomorrow|Domani): /.test(m.subject ?? ""));
  /** `HH:mm–HH:mm (zone)`: how the emails write a span in the event's zone. */
  const span = (fromMs: number, toMs: number) =>
    `${localIn(ZONE, fromMs).slice(11, 16)}–${localIn(ZONE, toMs).slice(11, 16)} (${ZONE})`;

  it(
    "delivers each 24 h reminder once, in the attendee's language, with times in the event's zone",
    { timeout: 180_000 },
    async () => {
      expect(servers[0]!.jobs.driver).toBe("bullmq");
      const t0 = Math.ceil(Date.now() / 1000) * 1000;
      const startsAt = t0 + DAY_MS + LEAD_S * 1000;
      const endsAt = startsAt + 3 * HOUR_MS;
      const organizer = await signUpOrganizer(servers[0]!);
      const event = await createEvent(organizer, {
        title: `Assemblea ${unique()}`,
        timeZone: ZONE,
        startsAt,
        durationMs: endsAt - startsAt,
      });
      const created = await organizer.post(`/api/events/${event.slug}/sessions`, {
        title: "Tavolo verde",
        kind: "workshop",
        startsAt: localIn(ZONE, startsAt),
        endsAt: localIn(ZONE, startsAt + HOUR_MS),
        registrationEnabled: true,
      });
      expect(created.status).toBe(201);
      const sessionId = (created.body as { session: { id: string } }).session.id;

      const giulia = `giulia-${unique()}@example.it`;
      const john = `john-${unique()}@example.org`;
      const regs: { email: string; id: string }[] = [];
      for (const [i, person] of [
        { name: "Giulia", email: giulia, locale: "it" },
        { name: "John", email: john, locale: "en" },
      ].entries()) {
        const reg = await register(servers[i]!.client(), event.slug, person);
        expect(reg.receipt!.status).toBe("confirmed");
        const seat = await withToken(
          servers[1 - i]!.client(),
          "POST",
          `/api/registrations/${reg.receipt!.id}/sessions/${sessionId}`,
          reg.token!,
        );
        expect(seat.status).toBe(200);
        regs.push({ email: person.email, id: reg.receipt!.id });
      }
      if (Date.now() > startsAt - DAY_MS) throw new Error("set-up took longer than LEAD_S; raise it");
      const pending = await servers[0]!.jobs.pending(JobName.reminder);
      for (const { id } of regs) {
        expect(pending).toEqual(
          expect.arrayContaining([reminderJobId(id, null, "24h"), reminderJobId(id, sessionId, "24h")]),
        );
      }
      // Nothing of it before it is due.
      expect(remindersTo(giulia)).toEqual([]);

      await expect
        .poll(() => remindersTo(giulia).length + remindersTo(john).length, {
          timeout: LEAD_S * 1000 + 30_000,
          interval: 500,
        })
        .toBe(4);
      // Not early: the first one arrived once the 24 h mark had passed.
      expect(Date.now()).toBeGreaterThanOrEqual(startsAt - DAY_MS);

      // A third server joins: its start-up re-arm finds these reminders owed (catch-up) and arms
      // them again; the delivery records keep them from going out twice.
      await start();
      await new Promise((resolve) => setTimeout(resolve, 4000));

      const italian = remindersTo(giulia);
      expect(italian.map((m) => m.subject).sort()).toEqual([
        `Domani: ${event.title}`,
        "Domani: Tavolo verde",
      ]);
      const itEvent = italian.find((m) => m.subject === `Domani: ${event.title}`)!;
      expect(itEvent.text).toContain("Ciao Giulia,");
      expect(itEvent.text).toContain(`Un promemoria: "${event.title}" inizia tra 24 ore.`);
      expect(itEvent.text).toContain(`Quando: `);
      expect(itEvent.text).toContain(span(startsAt, endsAt));
      // The day is the event's, named in Italian.
      const weekdayIt = new Intl.DateTimeFormat("it-IT", { timeZone: ZONE, weekday: "long" }).format(
        startsAt,
      );
      expect(itEvent.text).toContain(weekdayIt);
      expect(itEvent.html).toContain("inizia tra 24 ore");
      expect(itEvent.text).toMatch(/Annulla l'iscrizione: https?:\/\/\S+\/cancel#token=/);
      const itSession = italian.find((m) => m.subject === "Domani: Tavolo verde")!;
      expect(itSession.text).toContain(`Un promemoria: "Tavolo verde" inizia tra 24 ore.`);
      expect(itSession.text).toContain(span(startsAt, startsAt + HOUR_MS));

      const english = remindersTo(john);
      expect(english.map((m) => m.subject).sort()).toEqual([
        `Tomorrow: ${event.title}`,
        "Tomorrow: Tavolo verde",
      ]);
      const enEvent = english.find((m) => m.subject === `Tomorrow: ${event.title}`)!;
      expect(enEvent.text).toContain("Hi John,");
      expect(enEvent.text).toContain(`A reminder: "${event.title}" starts in 24 hours.`);
      expect(enEvent.text).toContain(span(startsAt, endsAt));
      const weekdayEn = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, weekday: "long" }).format(
        startsAt,
      );
      expect(enEvent.text).toContain(weekdayEn);
      const enSession = english.find((m) => m.subject === "Tomorrow: Tavolo verde")!;
      expect(enSession.text).toContain(span(startsAt, startsAt + HOUR_MS));
      // No 1 h reminder yet: that one is 23 hours away.
      expect(mailsTo(giulia).some((m) => /^Tra un'ora/.test(m.subject ?? ""))).toBe(false);
      expect(mailsTo(john).some((m) => /^In one hour/.test(m.subject ?? ""))).toBe(false);
    },
  );
});
