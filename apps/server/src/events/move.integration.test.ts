// Moving an event (issue 3): everyone still registered hears of the new date once, in their own
// language, with the times in the event's zone; the reminders move with it, so the 1 h reminder
// goes out once before the new start and the 24 h one, already past, never does.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobName, reminderJobId } from "@convivio/protocol";
import type { Mailer, MailMessage } from "../email/mailer.js";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
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

const ZONE = "Europe/Rome";
/** Seconds from the move to the new 1 h reminder: room for the checks in between. */
const LEAD_S = 30;

describe("moving an event", () => {
  const sent: MailMessage[] = [];
  const mailer: Mailer = {
    async send(message) {
      sent.push(message);
    },
    async close() {},
  };
  let server: TestServer;
  let organizer: TestClient;

  beforeAll(async () => {
    server = await startTestServer({ env: { AUTH_RATE_LIMIT: "1000" }, overrides: { mailer } });
    organizer = await signUpOrganizer(server);
  });
  afterAll(() => server.close());

  const subjectsTo = (to: string) => sent.filter((m) => m.to === to).map((m) => m.subject);
  const count = (to: string, subject: string) => subjectsTo(to).filter((s) => s === subject).length;

  it(
    "tells each registrant once, in their language, and moves their reminders",
    { timeout: 120_000 },
    async () => {
      const title = `Assemblea ${unique()}`;
      const oldStart = Math.ceil((Date.now() + 30 * DAY_MS) / HOUR_MS) * HOUR_MS;
      const event = await createEvent(organizer, {
        title,
        startsAt: oldStart,
        durationMs: 3 * HOUR_MS,
        timeZone: ZONE,
        settings: { capacity: 2 },
      });
      const email = (name: string) => `${name}-${unique()}@example.org`;
      const people = {
        giulia: email("giulia"),
        john: email("john"),
        wanda: email("wanda"),
        carlo: email("carlo"),
      };
      const giulia = await register(server.client(), event.slug, {
        name: "Giulia",
        email: people.giulia,
        locale: "it",
      });
      const john = await register(server.client(), event.slug, {
        name: "John",
        email: people.john,
        locale: "en",
      });
      const wanda = await register(server.client(), event.slug, {
        name: "Wanda",
        email: people.wanda,
        locale: "en",
      });
      const carlo = await register(server.client(), event.slug, {
        name: "Carlo",
        email: people.carlo,
        locale: "it",
      });
      expect([giulia, john, wanda, carlo].map((r) => r.receipt!.status)).toEqual([
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
      ]);
      await withToken(
        server.client(),
        "POST",
        `/api/registrations/${carlo.receipt!.id}/cancel`,
        carlo.token!,
      );
      const reminders = () => server.jobs.pending(JobName.reminder);
      expect(await reminders()).toEqual(
        expect.arrayContaining([
          reminderJobId(giulia.receipt!.id, null, "24h"),
          reminderJobId(john.receipt!.id, null, "1h"),
        ]),
      );

      // Move it to start in an hour and LEAD_S seconds.
      const newStart = Math.ceil(Date.now() / 1000) * 1000 + HOUR_MS + LEAD_S * 1000;
      const moved = await organizer.patch(`/api/events/${event.slug}`, {
        startsAt: localIn(ZONE, newStart),
        endsAt: localIn(ZONE, newStart + 3 * HOUR_MS),
      });
      expect(moved.status, moved.text).toBe(200);
      // A change that is not a move tells nobody anything.
      expect(
        (await organizer.patch(`/api/events/${event.slug}`, { description: "Ordine del giorno" })).status,
      ).toBe(200);

      const newDate = { en: `New date: ${title}`, it: `Nuova data: ${title}` };
      await expect
        .poll(
          () =>
            count(people.giulia, newDate.it) +
            count(people.john, newDate.en) +
            count(people.wanda, newDate.en),
          { timeout: 10_000 },
        )
        .toBe(3);
      const wall = (ms: number) => localIn(ZONE, ms).slice(11, 16);
      const italian = sent.find((m) => m.to === people.giulia && m.subject === newDate.it)!;
      expect(italian.text).toContain("Ciao Giulia,");
      // The times in the event's zone. Run late in the day, the three hours cross midnight and the
      // end carries its own date ("22:19 – martedì 8 dicembre 2026 alle ore 01:19"), so only the
      // times and the zone are compared, not the separator between them.
      const when = (label: string, start: number) =>
        new RegExp(`${label}[^\\n]*${wall(start)}[^\\n]*${wall(start + 3 * HOUR_MS)} \\(Europe/Rome\\)`);
      expect(italian.text).toMatch(when("Nuovo orario:", newStart));
      expect(italian.text).toMatch(when("Prima era:", oldStart));
      const english = sent.find((m) => m.to === people.john && m.subject === newDate.en)!;
      expect(english.text).toContain("It was:");
      expect(subjectsTo(people.carlo).some((s) => s.includes(title) && /New date|Nuova data/.test(s))).toBe(
        false,
      );

      // The 24 h reminder is already past, so it is gone; the 1 h one waits for the new start.
      const pending = await reminders();
      expect(pending).toContain(reminderJobId(giulia.receipt!.id, null, "1h"));
      expect(pending).toContain(reminderJobId(john.receipt!.id, null, "1h"));
      expect(pending).not.toContain(reminderJobId(giulia.receipt!.id, null, "24h"));
      expect(pending).not.toContain(reminderJobId(wanda.receipt!.id, null, "1h"));

      const inOneHour = { en: `In one hour: ${title}`, it: `Tra un'ora: ${title}` };
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, newStart - HOUR_MS - Date.now() + 2000)),
      );
      await expect
        .poll(() => count(people.giulia, inOneHour.it) + count(people.john, inOneHour.en), {
          timeout: 15_000,
        })
        .toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(count(people.giulia, inOneHour.it)).toBe(1);
      expect(count(people.john, inOneHour.en)).toBe(1);
      for (const who of [people.wanda, people.carlo]) {
        expect(
          subjectsTo(who).filter((s) => s.startsWith("In one hour") || s.startsWith("Tra un'ora")),
        ).toEqual([]);
      }
      expect(sent.filter((m) => /^(Tomorrow|Domani): /.test(m.subject))).toEqual([]);
      // Still once each: the second change sent nothing more.
      expect(count(people.giulia, newDate.it)).toBe(1);
      expect(count(people.john, newDate.en)).toBe(1);
      expect(count(people.wanda, newDate.en)).toBe(1);
    },
  );
});
