// Registration emails through a real SMTP server: the recipient's language, text and HTML, the
// links, and a calendar attachment that a third-party parser (node-ical) reads with the right
// times and time zone; then the cancel link, the promotion, change emails, a session seat given
// back, a cancellation or a rejection that takes the entries off the attendee's calendar, and an
// announcement.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParsedMail } from "mailparser";
import ical, { type VEvent } from "node-ical";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { startSmtpCatcher, type SmtpCatcher } from "../test/smtp.js";
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

describe("registration emails over SMTP", () => {
  let smtp: SmtpCatcher;
  const received = (): ParsedMail[] => smtp.received;
  let server: TestServer;
  let organizer: TestClient;
  let database: TestDatabase;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    // The database does not matter here; PostgreSQL opens faster than PGlite.
    database = await testDatabases()[1]!.open();
    server = await startTestServer({
      database,
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: "Convivio <hello@convivio.test>",
        AUTH_RATE_LIMIT: "1000",
      },
    });
    organizer = await signUpOrganizer(server);
  });
  afterAll(async () => {
    await server.close();
    await database.close();
    await smtp.close();
  });

  const mailsTo = (address: string) =>
    received().filter((m) => m.to && "text" in m.to && m.to.text === address);
  const waitForMail = async (address: string, subject: RegExp) => {
    await expect
      .poll(() => mailsTo(address).some((m) => subject.test(m.subject ?? "")), { timeout: 10_000 })
      .toBe(true);
    return mailsTo(address).find((m) => subject.test(m.subject ?? ""))!;
  };
  const calendarOf = (mail: ParsedMail) => {
    const attachment = mail.attachments.find((a) => a.contentType.startsWith("text/calendar"));
    expect(attachment, `calendar in "${mail.subject}"`).toBeDefined();
    const events = Object.values(ical.sync.parseICS(attachment!.content.toString("utf8"))).filter(
      (c): c is VEvent => c?.type === "VEVENT",
    );
    return { attachment: attachment!, events };
  };
  const tokenIn = (url: string) => new URL(url).hash.replace("#token=", "");

  it("confirms in Italian with a calendar in the event's zone; the cancel link promotes the waiting person, in English", async () => {
    // 08:00 UTC, 60 days ahead, one seat.
    const startsAt = Math.ceil((Date.now() + 60 * DAY_MS) / DAY_MS) * DAY_MS + 8 * HOUR_MS;
    const event = await createEvent(organizer, {
      title: "Laboratorio di quartiere",
      startsAt,
      durationMs: 6 * HOUR_MS,
      settings: { capacity: 1 },
    });
    const giulia = `giulia-${unique()}@example.it`;
    const john = `john-${unique()}@example.org`;
    const first = await register(server.client(), event.slug, {
      name: "Giulia",
      email: giulia,
      locale: "it",
    });
    const second = await register(server.client(), event.slug, { name: "John", email: john, locale: "en" });
    expect([first.receipt!.status, second.receipt!.status]).toEqual(["confirmed", "waitlisted"]);

    const confirmation = await waitForMail(giulia, /^Iscrizione confermata: Laboratorio di quartiere$/);
    expect(confirmation.from?.text).toContain("hello@convivio.test");
    expect(confirmation.text).toContain("Ciao Giulia,");
    // The times in the text are Rome's wall clock (09:00 in winter, 10:00 in summer).
    const from = localIn("Europe/Rome", startsAt).slice(11, 16);
    const to = localIn("Europe/Rome", startsAt + 6 * HOUR_MS).slice(11, 16);
    expect(confirmation.text).toContain(`${from}–${to} (Europe/Rome)`);
    expect(confirmation.html).toContain("Gestisci la tua iscrizione");
    // A sign-in link, a manage link and a cancel link, the last two carrying a token in the fragment.
    const signIn = /https?:\/\/\S+\/auth\/magic\?token=[\w-]{43}/.exec(confirmation.text ?? "")?.[0];
    expect(signIn).toBeDefined();
    const cancelUrl = /https?:\/\/\S+\/registrations\/[\w-]+\/cancel#token=[\w-]{43}/.exec(
      confirmation.text ?? "",
    )?.[0];
    expect(cancelUrl).toBeDefined();
    expect(confirmation.html).toContain(cancelUrl!.replace(/&/g, "&amp;"));

    const { attachment, events } = calendarOf(confirmation);
    expect(attachment.filename).toBe(`${event.slug}.ics`);
    // Calendar entries get shared: they link the public page, never a tokened link.
    expect(attachment.content.toString("utf8")).not.toContain("token=");
    expect(events[0]!.url).toMatch(new RegExp(`/e/${event.slug}$`));
    expect(events).toHaveLength(1);
    expect(events[0]!.start.toISOString()).toBe(new Date(startsAt).toISOString());
    expect(events[0]!.end!.toISOString()).toBe(new Date(startsAt + 6 * HOUR_MS).toISOString());
    expect(events[0]!.start.tz).toBe("Europe/Rome");
    expect(events[0]!.summary).toBe("Laboratorio di quartiere");

    const waitlisted = await waitForMail(john, /^You're on the waitlist: Laboratorio di quartiere$/);
    expect(waitlisted.text).toContain("(position 1)");
    expect(calendarOf(waitlisted).events[0]!.status).toBe("TENTATIVE");

    // The magic link in the confirmation signs Giulia in to her registration.
    const browser = server.client();
    const consumed = await browser.post("/api/auth/magic-link/consume", {
      token: new URL(signIn!).searchParams.get("token"),
    });
    expect(consumed.body).toMatchObject({ next: `/registrations/${first.receipt!.id}` });

    // Giulia cancels from the link in the email: John gets her seat and an email saying so.
    const cancelled = await withToken(
      server.client(),
      "POST",
      `/api/registrations/${first.receipt!.id}/cancel`,
      tokenIn(cancelUrl!),
    );
    expect(cancelled.status).toBe(200);
    const promoted = await waitForMail(john, /^A seat is yours: Laboratorio di quartiere$/);
    expect(promoted.text).toContain("Hi John,");
    expect(promoted.text).toContain(`${from}–${to} (Europe/Rome)`);
    expect(calendarOf(promoted).events[0]!.status).toBe("CONFIRMED");
    // Giulia's cancellation carries a calendar that cancels the entry her confirmation added:
    // the same UID, CANCELLED, with a higher SEQUENCE so her calendar takes it over.
    const cancellation = await waitForMail(giulia, /^Iscrizione annullata: Laboratorio di quartiere$/);
    expect(cancellation.text).toContain("Il file di calendario allegato lo toglie dal tuo calendario.");
    const withdrawn = calendarOf(cancellation);
    expect(withdrawn.attachment.filename).toBe(`${event.slug}.ics`);
    expect(withdrawn.events).toHaveLength(1);
    expect(withdrawn.events[0]!.uid).toBe(events[0]!.uid);
    expect(withdrawn.events[0]!.status).toBe("CANCELLED");
    expect(Number(withdrawn.events[0]!.sequence)).toBeGreaterThan(Number(events[0]!.sequence));
    expect(withdrawn.events[0]!.start.toISOString()).toBe(new Date(startsAt).toISOString());
    // Registering again with the same email is idempotent for John: nothing more is sent.
    const before = mailsTo(john).length;
    expect((await register(server.client(), event.slug, { name: "John", email: john })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailsTo(john)).toHaveLength(before);
  });

  it("tells seat holders when a session moves or is cancelled, with an updated calendar", async () => {
    const startsAt = Math.ceil((Date.now() + 40 * DAY_MS) / HOUR_MS) * HOUR_MS;
    const event = await createEvent(organizer, { title: "Festival", startsAt, durationMs: 10 * HOUR_MS });
    const session = await organizer.post(`/api/events/${event.slug}/sessions`, {
      title: "Tavolo energia",
      kind: "workshop",
      startsAt: localIn("Europe/Rome", startsAt + HOUR_MS),
      endsAt: localIn("Europe/Rome", startsAt + 2 * HOUR_MS),
      capacity: 10,
      registrationEnabled: true,
    });
    const sessionId = (session.body as { session: { id: string } }).session.id;
    const anna = `anna-${unique()}@example.org`;
    const reg = await register(server.client(), event.slug, { name: "Anna", email: anna, locale: "en" });
    await withToken(
      server.client(),
      "POST",
      `/api/registrations/${reg.receipt!.id}/sessions/${sessionId}`,
      reg.token!,
    );
    const seat = await waitForMail(anna, /^Seat confirmed: Tavolo energia$/);
    expect(
      calendarOf(seat)
        .events.map((e) => e.summary)
        .sort(),
    ).toEqual(["Festival", "Tavolo energia · Festival"]);

    const moved = await organizer.patch(`/api/events/${event.slug}/sessions/${sessionId}`, {
      startsAt: localIn("Europe/Rome", startsAt + 3 * HOUR_MS),
      endsAt: localIn("Europe/Rome", startsAt + 4 * HOUR_MS),
    });
    expect(moved.status).toBe(200);
    const change = await waitForMail(anna, /^Time changed: Tavolo energia$/);
    expect(change.text).toContain("It was:");
    const sessionEntry = calendarOf(change).events.find((e) => e.summary === "Tavolo energia · Festival")!;
    expect(sessionEntry.start.toISOString()).toBe(new Date(startsAt + 3 * HOUR_MS).toISOString());
    expect(sessionEntry.start.tz).toBe("Europe/Rome");

    expect((await organizer.delete(`/api/events/${event.slug}/sessions/${sessionId}`)).status).toBe(204);
    const gone = await waitForMail(anna, /^Cancelled: Tavolo energia$/);
    const cancelledEntry = calendarOf(gone).events.find((e) => e.summary === "Tavolo energia · Festival")!;
    expect(cancelledEntry.status).toBe("CANCELLED");
    expect(gone.text).toContain("Your registration for the event stays as it is.");
  });

  it("takes a session seat the attendee gave back off their calendar with the next calendar update", async () => {
    const startsAt = Math.ceil((Date.now() + 30 * DAY_MS) / HOUR_MS) * HOUR_MS;
    const event = await createEvent(organizer, { title: "Fiera", startsAt, durationMs: 8 * HOUR_MS });
    const sessionIdOf = async (title: string, offsetHours: number) => {
      const created = await organizer.post(`/api/events/${event.slug}/sessions`, {
        title,
        kind: "workshop",
        startsAt: localIn("Europe/Rome", startsAt + offsetHours * HOUR_MS),
        endsAt: localIn("Europe/Rome", startsAt + (offsetHours + 1) * HOUR_MS),
        capacity: 10,
        registrationEnabled: true,
      });
      return (created.body as { session: { id: string } }).session.id;
    };
    const water = await sessionIdOf("Tavolo acqua", 1);
    const schools = await sessionIdOf("Tavolo scuole", 3);
    const rita = `rita-${unique()}@example.org`;
    const reg = await register(server.client(), event.slug, { name: "Rita", email: rita, locale: "en" });
    const seatPath = (sessionId: string) => `/api/registrations/${reg.receipt!.id}/sessions/${sessionId}`;
    await withToken(server.client(), "POST", seatPath(water), reg.token!);
    const seated = calendarOf(await waitForMail(rita, /^Seat confirmed: Tavolo acqua$/)).events;
    const waterEntry = seated.find((e) => e.summary === "Tavolo acqua · Fiera")!;
    expect(waterEntry.status).toBe("CONFIRMED");

    // Giving the seat back sends no email; the next one with a calendar must carry it, cancelled.
    const left = await withToken(server.client(), "DELETE", seatPath(water), reg.token!);
    expect(left.body).toMatchObject({ seat: { status: "cancelled" } });
    await withToken(server.client(), "POST", seatPath(schools), reg.token!);
    const next = calendarOf(await waitForMail(rita, /^Seat confirmed: Tavolo scuole$/)).events;
    const gone = next.find((e) => e.uid === waterEntry.uid);
    expect(gone, "the given-back seat's entry, by UID").toBeDefined();
    expect(gone!.status).toBe("CANCELLED");
    expect(Number(gone!.sequence)).toBeGreaterThan(Number(waterEntry.sequence));
    expect(
      next
        .filter((e) => e.uid !== waterEntry.uid)
        .map((e) => [e.summary, e.status])
        .sort(),
    ).toEqual([
      ["Fiera", "CONFIRMED"],
      ["Tavolo scuole · Fiera", "CONFIRMED"],
    ]);
  });

  it("takes a rejected registration and a cancelled one with its session seat off the attendee's calendar", async () => {
    const startsAt = Math.ceil((Date.now() + 20 * DAY_MS) / HOUR_MS) * HOUR_MS;
    const moderated = await createEvent(organizer, {
      title: "Assemblea moderata",
      startsAt,
      settings: { approvalRequired: true },
    });
    const piero = `piero-${unique()}@example.it`;
    const asked = await register(server.client(), moderated.slug, {
      name: "Piero",
      email: piero,
      locale: "it",
    });
    expect(asked.receipt!.status).toBe("pending");
    const pending = calendarOf(await waitForMail(piero, /^Iscrizione ricevuta: Assemblea moderata$/));
    expect(pending.events.map((e) => e.status)).toEqual(["TENTATIVE"]);
    const decided = await organizer.post(`/api/events/${moderated.slug}/registrations/decisions`, {
      action: "reject",
      registrationIds: [asked.receipt!.id],
    });
    expect(decided.status).toBe(200);
    const rejection = await waitForMail(piero, /^Iscrizione non accettata: Assemblea moderata$/);
    const rejected = calendarOf(rejection);
    expect(rejected.events).toHaveLength(1);
    expect(rejected.events[0]!.uid).toBe(pending.events[0]!.uid);
    expect(rejected.events[0]!.status).toBe("CANCELLED");
    expect(Number(rejected.events[0]!.sequence)).toBeGreaterThan(Number(pending.events[0]!.sequence));

    const event = await createEvent(organizer, { title: "Forum", startsAt, durationMs: 8 * HOUR_MS });
    const session = await organizer.post(`/api/events/${event.slug}/sessions`, {
      title: "Tavolo mobilità",
      kind: "workshop",
      startsAt: localIn("Europe/Rome", startsAt + HOUR_MS),
      endsAt: localIn("Europe/Rome", startsAt + 2 * HOUR_MS),
      capacity: 5,
      registrationEnabled: true,
    });
    const sessionId = (session.body as { session: { id: string } }).session.id;
    const olga = `olga-${unique()}@example.org`;
    const reg = await register(server.client(), event.slug, { name: "Olga", email: olga, locale: "en" });
    await withToken(
      server.client(),
      "POST",
      `/api/registrations/${reg.receipt!.id}/sessions/${sessionId}`,
      reg.token!,
    );
    const seated = calendarOf(await waitForMail(olga, /^Seat confirmed: Tavolo mobilità$/)).events;
    expect(seated.map((e) => e.status)).toEqual(["CONFIRMED", "CONFIRMED"]);
    const cancel = await withToken(
      server.client(),
      "POST",
      `/api/registrations/${reg.receipt!.id}/cancel`,
      reg.token!,
    );
    expect(cancel.status).toBe(200);
    const cancellation = await waitForMail(olga, /^Registration cancelled: Forum$/);
    expect(cancellation.text).toContain("The attached calendar file takes it off your calendar.");
    const gone = calendarOf(cancellation).events;
    // Both entries the seat email added, by UID: the event and the session, each cancelled.
    expect(gone.map((e) => e.uid).sort()).toEqual(seated.map((e) => e.uid).sort());
    for (const entry of gone) {
      const before = seated.find((e) => e.uid === entry.uid)!;
      expect(entry.status).toBe("CANCELLED");
      expect(Number(entry.sequence)).toBeGreaterThan(Number(before.sequence));
    }
  });

  it("sends an announcement to the chosen group only", async () => {
    const event = await createEvent(organizer, { title: "Assemblea", settings: { capacity: 1 } });
    const inside = `in-${unique()}@example.org`;
    const waiting = `wait-${unique()}@example.org`;
    await register(server.client(), event.slug, { name: "In", email: inside, locale: "en" });
    await register(server.client(), event.slug, { name: "Wait", email: waiting, locale: "en" });
    const sent = await organizer.post(`/api/events/${event.slug}/announcements`, {
      subject: "Room change",
      body: "We meet in room B.\n\nBring a laptop.",
      statuses: ["confirmed"],
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ recipients: 1 });
    const mail = await waitForMail(inside, /^Assemblea: Room change$/);
    expect(mail.text).toContain("We meet in room B.");
    expect(mail.text).toContain("Bring a laptop.");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailsTo(waiting).some((m) => /Room change/.test(m.subject ?? ""))).toBe(false);
  });
});
