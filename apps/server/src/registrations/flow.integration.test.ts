// The attendee's and organizer's paths through registration, on PGlite and PostgreSQL: idempotency,
// approval, invite codes, the waitlist and its promotions, session seats, self-service, and the
// organizer's table (search, filter, adding by hand, counts, history, CSV export).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import {
  asc,
  count,
  eq,
  eventMembers,
  registrationHistory,
  registrationMessages,
  registrations,
  sql,
} from "@convivio/db";
import type { RegistrationListResponse } from "@convivio/protocol";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import { createEvent, localIn, register, signUpOrganizer, unique, withToken } from "../test/events.js";

const person = (name = "Ada") => ({ name, email: `${name.toLowerCase()}-${unique()}@example.it` });

describe.each(testDatabases())("registration flows on $driver", ({ open }) => {
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

  const messagesOf = async (registrationId: string) =>
    (
      await database.db
        .select({ kind: registrationMessages.kind })
        .from(registrationMessages)
        .where(eq(registrationMessages.registrationId, registrationId))
        .orderBy(asc(registrationMessages.createdAt))
    ).map((m) => m.kind);

  it("registering twice with the same email (any case) changes and sends nothing, and tells a stranger nothing of it", async () => {
    const event = await createEvent(organizer, { settings: { capacity: 10 } });
    const who = person("Bice");
    const first = await register(server.client(), event.slug, who);
    expect(first.status).toBe(201);
    expect(first.receipt).toMatchObject({ status: "confirmed", waitlistPosition: null });
    expect(first.token).toHaveLength(43);

    const again = await register(server.client(), event.slug, {
      ...who,
      email: who.email.toUpperCase(),
      name: "Other",
    });
    // Whoever typed the email learns only that it is known: not the id, the status or a place in line.
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ created: false, registration: null });
    expect(again.text).not.toContain(first.receipt!.id);
    expect(again.token).toBeUndefined();

    const rows = await database.db.select().from(registrations).where(eq(registrations.eventId, event.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe("Bice");
    expect(await messagesOf(first.receipt!.id)).toEqual(["confirmed"]);

    // Signed in as someone else (an organizer, say): still nothing.
    const asOther = await organizer.post(`/api/events/${event.slug}/register`, who);
    expect(asOther.body).toEqual({ created: false, registration: null });
    // The registrant, signed in with their own session, sees their registration.
    const session = await server.auth.createSession(rows[0]!.userId!);
    const owner = server.client();
    owner.cookie = `convivio_session=${session.token}`;
    const own = await register(owner, event.slug, who);
    expect(own.status).toBe(200);
    expect(own.body).toEqual({
      created: false,
      registration: { id: first.receipt!.id, eventId: event.id, status: "confirmed", waitlistPosition: null },
    });
    expect(await messagesOf(first.receipt!.id)).toEqual(["confirmed"]);
    // The confirmed person is an attendee of the event.
    const [member] = await database.db
      .select({ n: count() })
      .from(eventMembers)
      .where(sql`${eventMembers.eventId} = ${event.id} AND ${eventMembers.role} = 'attendee'`);
    expect(member!.n).toBe(1);
  });

  it("the same email many times at once, in any case, among others: one registration, one seat, one email", async () => {
    const event = await createEvent(organizer, { settings: { capacity: 3 } });
    const who = person("Ciro");
    const others = [person("Dora"), person("Elio"), person("Fede")];
    // Sent together, so they share batches: the read-ahead of existing emails must see the batch's own.
    const answers = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) =>
        register(server.client(), event.slug, { ...who, email: i % 2 ? who.email.toUpperCase() : who.email }),
      ),
      ...others.map((other) => register(server.client(), event.slug, other)),
    ]);
    const mine = answers.slice(0, 6);
    expect(mine.filter((a) => a.status === 201)).toHaveLength(1);
    expect(mine.filter((a) => a.status === 200)).toHaveLength(5);
    const rows = await database.db.select().from(registrations).where(eq(registrations.eventId, event.id));
    expect(rows).toHaveLength(4);
    expect(rows.filter((r) => r.email.toLowerCase() === who.email)).toHaveLength(1);
    // Three seats: the first three people confirmed, the fourth waiting; nobody twice.
    expect(rows.filter((r) => r.status === "confirmed")).toHaveLength(3);
    expect(rows.filter((r) => r.status === "waitlisted")).toHaveLength(1);
    const ciro = rows.find((r) => r.email.toLowerCase() === who.email)!;
    expect((await messagesOf(ciro.id)).length).toBe(1);
  });

  it("registering again after registration has closed gets the same idempotent answer, not a refusal", async () => {
    const closesAt = Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000;
    const event = await createEvent(organizer, {
      settings: { capacity: 1, closesAt: localIn("Europe/Rome", closesAt) },
    });
    const seated = person("Ines");
    const waiting = person("Luca");
    const leaving = person("Mara");
    const first = await register(server.client(), event.slug, seated);
    const second = await register(server.client(), event.slug, waiting);
    const third = await register(server.client(), event.slug, leaving);
    expect([first, second, third].map((r) => r.receipt!.status)).toEqual([
      "confirmed",
      "waitlisted",
      "waitlisted",
    ]);
    await withToken(server.client(), "POST", `/api/registrations/${third.receipt!.id}/cancel`, third.token!);

    const pastCloseMs = closesAt - Date.now() + 60_000;
    server.clock.advance(pastCloseMs);
    try {
      const form = await server.client().get(`/api/events/${event.slug}/registration`);
      expect(form.body).toMatchObject({ state: "closed" });
      // Whether confirmed or waiting, the same email gets the same answer as before the close.
      for (const who of [seated, waiting]) {
        const again = await register(server.client(), event.slug, { ...who, email: who.email.toUpperCase() });
        expect(again.status).toBe(200);
        expect(again.body).toEqual({ created: false, registration: null });
      }
      // A new email, or one whose registration was cancelled, is refused: registration is closed.
      const stranger = await register(server.client(), event.slug, person("Nico"));
      expect(stranger.status).toBe(409);
      expect(stranger.body).toMatchObject({ code: "registration_closed" });
      const back = await register(server.client(), event.slug, leaving);
      expect(back.status).toBe(409);
      expect(back.body).toMatchObject({ code: "registration_closed" });
    } finally {
      server.clock.advance(-pastCloseMs);
    }
    const rows = await database.db.select().from(registrations).where(eq(registrations.eventId, event.id));
    expect(rows.map((r) => r.status).sort()).toEqual(["cancelled", "confirmed", "waitlisted"]);
    expect(await messagesOf(first.receipt!.id)).toEqual(["confirmed"]);
    expect(await messagesOf(second.receipt!.id)).toEqual(["waitlisted"]);
  });

  it("a full event waitlists first come first served; a cancellation promotes exactly the first waiting", async () => {
    const event = await createEvent(organizer, { settings: { capacity: 2 } });
    const results = [];
    for (const name of ["Ada", "Bea", "Cai", "Dan"])
      results.push(await register(server.client(), event.slug, person(name)));
    expect(results.map((r) => r.receipt!.status)).toEqual([
      "confirmed",
      "confirmed",
      "waitlisted",
      "waitlisted",
    ]);
    expect(results.map((r) => r.receipt!.waitlistPosition)).toEqual([null, null, 1, 2]);

    const cancel = await withToken(
      server.client(),
      "POST",
      `/api/registrations/${results[0]!.receipt!.id}/cancel`,
      results[0]!.token!,
    );
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ registration: { status: "cancelled" } });

    const statuses = async () =>
      Object.fromEntries(
        (await database.db.select().from(registrations).where(eq(registrations.eventId, event.id))).map(
          (r) => [r.id, r.status],
        ),
      );
    expect(await statuses()).toEqual({
      [results[0]!.receipt!.id]: "cancelled",
      [results[1]!.receipt!.id]: "confirmed",
      [results[2]!.receipt!.id]: "confirmed",
      [results[3]!.receipt!.id]: "waitlisted",
    });
    expect(await messagesOf(results[2]!.receipt!.id)).toEqual(["waitlisted", "promoted"]);
    const history = await database.db
      .select()
      .from(registrationHistory)
      .where(eq(registrationHistory.registrationId, results[2]!.receipt!.id));
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.actor])).toEqual(
      expect.arrayContaining([
        [null, "waitlisted", "attendee"],
        ["waitlisted", "confirmed", "system"],
      ]),
    );

    // Cancelling twice changes nothing more; the next person is still waiting.
    await withToken(
      server.client(),
      "POST",
      `/api/registrations/${results[0]!.receipt!.id}/cancel`,
      results[0]!.token!,
    );
    expect((await statuses())[results[3]!.receipt!.id]).toBe("waitlisted");

    // Raising the capacity promotes the next one in the same transaction.
    const settings = await organizer.put(`/api/events/${event.slug}/registration-settings`, {
      enabled: true,
      capacity: 3,
    });
    expect(settings.status).toBe(200);
    expect((await statuses())[results[3]!.receipt!.id]).toBe("confirmed");
    // Capacity cannot go below the seats taken.
    const lower = await organizer.put(`/api/events/${event.slug}/registration-settings`, {
      enabled: true,
      capacity: 1,
    });
    expect(lower.status).toBe(409);
  });

  it("approval: registrations wait for the organizer, who approves or rejects many at once", async () => {
    const event = await createEvent(organizer, { settings: { capacity: 1, approvalRequired: true } });
    const [a, b, c] = [
      await register(server.client(), event.slug, person("Ada")),
      await register(server.client(), event.slug, person("Bea")),
      await register(server.client(), event.slug, person("Cai")),
    ];
    expect([a, b, c].map((r) => r.receipt!.status)).toEqual(["pending", "pending", "pending"]);
    const decided = await organizer.post(`/api/events/${event.slug}/registrations/decisions`, {
      action: "approve",
      registrationIds: [a.receipt!.id, b.receipt!.id],
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toEqual({
      results: [
        { id: a.receipt!.id, changed: true, status: "confirmed" },
        { id: b.receipt!.id, changed: true, status: "waitlisted" },
      ],
    });
    // Rejecting the confirmed one frees its seat for the first waiting.
    const rejected = await organizer.post(`/api/events/${event.slug}/registrations/decisions`, {
      action: "reject",
      registrationIds: [a.receipt!.id, c.receipt!.id],
      reason: "not in the target group",
    });
    expect(rejected.body).toMatchObject({ results: [{ status: "rejected" }, { status: "rejected" }] });
    const [row] = await database.db.select().from(registrations).where(eq(registrations.id, b.receipt!.id));
    expect(row!.status).toBe("confirmed");
    expect(await messagesOf(a.receipt!.id)).toEqual(["pending", "approved", "rejected"]);
    expect(await messagesOf(b.receipt!.id)).toEqual(["pending", "waitlisted", "promoted"]);
    // An action that does not fit the status leaves it alone.
    const noop = await organizer.post(`/api/events/${event.slug}/registrations/decisions`, {
      action: "approve",
      registrationIds: [b.receipt!.id],
    });
    expect(noop.body).toEqual({ results: [{ id: b.receipt!.id, changed: false, status: "confirmed" }] });
  });

  it("invite codes skip approval, may bypass capacity, and are used up", async () => {
    const event = await createEvent(organizer, {
      settings: { capacity: 1, approvalRequired: true, waitlist: false },
    });
    const code = await organizer.post(`/api/events/${event.slug}/invite-codes`, {
      code: "SPEAKERS-2026",
      maxUses: 2,
      bypassCapacity: true,
    });
    expect(code.status).toBe(201);
    const plain = await organizer.post(`/api/events/${event.slug}/invite-codes`, { maxUses: 1 });
    const plainCode = (plain.body as { inviteCode: { code: string } }).inviteCode.code;
    expect(plainCode).toMatch(/^[A-Z2-9]{10}$/);

    const first = await register(server.client(), event.slug, { ...person("Ada"), inviteCode: plainCode });
    expect(first.receipt!.status).toBe("confirmed");
    const reused = await register(server.client(), event.slug, { ...person("Bea"), inviteCode: plainCode });
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ code: "invite_code_invalid" });

    // Full now; no waitlist: without a code the event is full, with the bypassing code it is not.
    const pending = await register(server.client(), event.slug, person("Cai"));
    expect(pending.receipt!.status).toBe("pending");
    const speaker = await register(server.client(), event.slug, {
      ...person("Dan"),
      inviteCode: "speakers-2026",
    });
    expect(speaker.status).toBe(201);
    expect(speaker.receipt!.status).toBe("confirmed");
    const counts = await organizer.get(`/api/events/${event.slug}/registrations/counts`);
    expect(counts.body).toMatchObject({ capacity: 1, confirmed: 2, seatsTaken: 1, pending: 1 });
    const codes = await organizer.get(`/api/events/${event.slug}/invite-codes`);
    expect((codes.body as { inviteCodes: { code: string; uses: number }[] }).inviteCodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: "SPEAKERS-2026", uses: 1 }),
        expect.objectContaining({ code: plainCode, uses: 1 }),
      ]),
    );
    // The organizer moves the pending person in even though the event is full.
    await organizer.post(`/api/events/${event.slug}/registrations/decisions`, {
      action: "approve",
      registrationIds: [pending.receipt!.id],
    });
    const [stillPending] = await database.db
      .select()
      .from(registrations)
      .where(eq(registrations.id, pending.receipt!.id));
    expect(stillPending!.status).toBe("pending");
  });

  it("questions and consent: required answers, valid options, the consent version stored with its time", async () => {
    const event = await createEvent(organizer, {
      settings: {
        consent: { text: "We keep your name and email until the event ends.", version: "2026-01" },
        questions: [
          { kind: "text", label: "Organization", required: true },
          { kind: "single_choice", label: "Diet", options: ["none", "vegetarian", "vegan"] },
          { kind: "multiple_choice", label: "Topics", options: ["mobility", "energy", "housing"] },
          { kind: "checkbox", label: "Photos ok", required: true },
        ],
      },
    });
    const form = (await server.client().get(`/api/events/${event.slug}/registration`)).body as {
      state: string;
      questions: { id: string; label: string }[];
      consent: { version: string };
    };
    expect(form.state).toBe("open");
    const q = Object.fromEntries(form.questions.map((x) => [x.label, x.id]));
    const good = {
      ...person("Eva"),
      consent: { accepted: true, version: "2026-01" },
      answers: {
        [q.Organization!]: "Comune di Bari",
        [q.Diet!]: "vegan",
        [q.Topics!]: ["housing", "energy"],
        [q["Photos ok"]!]: true,
      },
    };
    const missing = await register(server.client(), event.slug, { ...good, answers: { [q.Diet!]: "vegan" } });
    expect(missing.status).toBe(400);
    expect((missing.body as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(
      [`answers.${q.Organization}`, `answers.${q["Photos ok"]}`].sort(),
    );
    const badOption = await register(server.client(), event.slug, {
      ...good,
      answers: { ...good.answers, [q.Diet!]: "pizza" },
    });
    expect(badOption.status).toBe(400);
    const noConsent = await register(server.client(), event.slug, { ...good, consent: undefined });
    expect(noConsent.status).toBe(400);
    expect(await database.db.select().from(registrations).where(eq(registrations.eventId, event.id))).toEqual(
      [],
    );

    const ok = await register(server.client(), event.slug, good);
    expect(ok.status).toBe(201);
    const detail = await withToken(server.client(), "GET", `/api/registrations/${ok.receipt!.id}`, ok.token!);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      registration: {
        consent: { version: "2026-01" },
        answers: { [q.Organization!]: "Comune di Bari", [q.Topics!]: ["energy", "housing"] },
      },
      history: [{ from: null, to: "confirmed", by: "attendee", actorName: null }],
    });

    // The attendee edits answers with the emailed link; required ones stay required.
    const edit = await withToken(
      server.client(),
      "PATCH",
      `/api/registrations/${ok.receipt!.id}`,
      ok.token!,
      {
        answers: { ...good.answers, [q.Organization!]: "Città di Lecce" },
      },
    );
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ registration: { answers: { [q.Organization!]: "Città di Lecce" } } });
    const dropRequired = await withToken(
      server.client(),
      "PATCH",
      `/api/registrations/${ok.receipt!.id}`,
      ok.token!,
      {
        answers: { [q.Diet!]: "none" },
      },
    );
    expect(dropRequired.status).toBe(400);

    // A new consent text needs a new version.
    const sameVersion = await organizer.put(`/api/events/${event.slug}/registration-settings`, {
      enabled: true,
      consent: { text: "Different words", version: "2026-01" },
    });
    expect(sameVersion.status).toBe(409);
  });

  it("session seats need a confirmed registration, fill up, waitlist and promote", async () => {
    const event = await createEvent(organizer, { settings: { capacity: 5 } });
    const start = new Date(event.startsAt).getTime();
    const created = await organizer.post(`/api/events/${event.slug}/sessions`, {
      title: "Workshop: mobility",
      kind: "workshop",
      startsAt: "x",
      endsAt: "y",
    });
    expect(created.status).toBe(400);
    const session = await organizer.post(`/api/events/${event.slug}/sessions`, {
      title: "Workshop: mobility",
      kind: "workshop",
      startsAt: localIn("Europe/Rome", start + 3_600_000),
      endsAt: localIn("Europe/Rome", start + 2 * 3_600_000),
      capacity: 1,
      registrationEnabled: true,
    });
    expect(session.status).toBe(201);
    const sessionId = (session.body as { session: { id: string } }).session.id;
    const a = await register(server.client(), event.slug, person("Ada"));
    const b = await register(server.client(), event.slug, person("Bea"));
    const seatA = await withToken(
      server.client(),
      "POST",
      `/api/registrations/${a.receipt!.id}/sessions/${sessionId}`,
      a.token!,
    );
    expect(seatA.body).toMatchObject({ seat: { status: "confirmed", title: "Workshop: mobility" } });
    const seatB = await withToken(
      server.client(),
      "POST",
      `/api/registrations/${b.receipt!.id}/sessions/${sessionId}`,
      b.token!,
    );
    expect(seatB.body).toMatchObject({ seat: { status: "waitlisted", waitlistPosition: 1 } });
    // Someone else's token does not open another registration.
    const foreign = await withToken(
      server.client(),
      "POST",
      `/api/registrations/${a.receipt!.id}/sessions/${sessionId}`,
      b.token!,
    );
    expect(foreign.status).toBe(404);

    // Cancelling the event registration gives the session seat back to the first waiting.
    await withToken(server.client(), "POST", `/api/registrations/${a.receipt!.id}/cancel`, a.token!);
    const detailB = await withToken(server.client(), "GET", `/api/registrations/${b.receipt!.id}`, b.token!);
    expect(detailB.body).toMatchObject({ registration: { sessions: [{ sessionId, status: "confirmed" }] } });
    expect(await messagesOf(b.receipt!.id)).toEqual(["confirmed", "session_waitlisted", "session_promoted"]);
    // A cancelled registration cannot take a seat.
    const afterCancel = await withToken(
      server.client(),
      "POST",
      `/api/registrations/${a.receipt!.id}/sessions/${sessionId}`,
      a.token!,
    );
    expect(afterCancel.status).toBe(409);

    const counts = await organizer.get(`/api/events/${event.slug}/registrations/counts`);
    expect(counts.body).toMatchObject({
      sessions: [{ sessionId, capacity: 1, confirmed: 1, waitlisted: 0 }],
    });
    const left = await withToken(
      server.client(),
      "DELETE",
      `/api/registrations/${b.receipt!.id}/sessions/${sessionId}`,
      b.token!,
    );
    expect(left.body).toMatchObject({ seat: { status: "cancelled" } });
  });

  it("a signed-in attendee sees their registrations and downloads the calendar", async () => {
    const event = await createEvent(organizer, { title: "Calendario, prova; uno" });
    const attendee = server.client();
    const who = person("Ugo");
    const reg = await register(attendee, event.slug, who);
    // Sign in with a magic link (the confirmation email carries one too).
    await attendee.post("/api/auth/magic-link", { email: who.email });
    const outbox = (await attendee.get("/api/dev/outbox")).body as {
      messages: { to: string; text: string }[];
    };
    const token = /token=([\w-]{43})/.exec(
      outbox.messages.find((m) => m.to === who.email && m.text.includes("/auth/magic"))!.text,
    )![1];
    expect((await attendee.post("/api/auth/magic-link/consume", { token })).status).toBe(200);

    const mine = await attendee.get("/api/me/registrations");
    expect(mine.body).toMatchObject({
      registrations: [{ registration: { id: reg.receipt!.id }, event: { slug: event.slug } }],
    });
    const ics = await attendee.get(`/api/registrations/${reg.receipt!.id}/calendar.ics`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toContain("text/calendar");
    expect(ics.text).toContain("SUMMARY:Calendario\\, prova\\; uno");
    // Another signed-in person cannot.
    const stranger = await signUpOrganizer(server, "Stranger");
    expect((await stranger.get(`/api/registrations/${reg.receipt!.id}/calendar.ics`)).status).toBe(404);
    // The organizer can, and sees names in the history.
    const asOrganizer = await organizer.get(`/api/registrations/${reg.receipt!.id}`);
    expect(asOrganizer.status).toBe(200);
  });

  it("registration closes outside its dates and on draft events", async () => {
    const draft = await createEvent(organizer, { visibility: "draft" });
    expect((await register(server.client(), draft.slug, person("Ada"))).status).toBe(404);
    const closed = await createEvent(organizer, { settings: { closesAt: "2020-01-01T00:00" } });
    const res = await register(server.client(), closed.slug, person("Ada"));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "registration_closed" });
    const form = await server.client().get(`/api/events/${closed.slug}/registration`);
    expect(form.body).toMatchObject({ state: "closed" });
  });

  it("searches, filters, adds by hand, moves off the waitlist, counts and exports", async () => {
    const event = await createEvent(organizer, {
      settings: {
        capacity: 2,
        questions: [
          { kind: "text", label: "Ente" },
          { kind: "multiple_choice", label: "Temi", options: ["mobilità", "energia"] },
          { kind: "checkbox", label: "Foto" },
        ],
      },
    });
    const form = (await server.client().get(`/api/events/${event.slug}/registration`)).body as {
      questions: { id: string; label: string }[];
    };
    const q = Object.fromEntries(form.questions.map((x) => [x.label, x.id]));
    const tag = unique();
    const people = [
      {
        name: "Lucia Bianchi",
        email: `lucia-${tag}@comune.it`,
        answers: {
          [q.Ente!]: '=HYPERLINK("http://evil")',
          [q.Temi!]: ["energia", "mobilità"],
          [q.Foto!]: true,
        },
      },
      {
        name: "Marco Verdi",
        email: `marco-${tag}@example.org`,
        answers: { [q.Ente!]: 'Rete civica, "Bari"' },
      },
      { name: "Nadia Neri", email: `nadia-${tag}@example.org`, answers: {} },
    ];
    const receipts = [];
    for (const p of people) receipts.push((await register(server.client(), event.slug, p)).receipt!);
    expect(receipts.map((r) => r.status)).toEqual(["confirmed", "confirmed", "waitlisted"]);

    const list = async (query: string) =>
      (await organizer.get(`/api/events/${event.slug}/registrations${query}`))
        .body as RegistrationListResponse;
    expect((await list("?q=COMUNE.IT")).registrations.map((r) => r.name)).toEqual(["Lucia Bianchi"]);
    expect((await list("?q=verdi")).total).toBe(1);
    expect((await list("?q=%25")).total).toBe(0);
    expect((await list("?status=waitlisted")).registrations.map((r) => [r.name, r.waitlistPosition])).toEqual(
      [["Nadia Neri", 1]],
    );
    const page = await list("?limit=2&offset=1");
    expect([page.total, page.registrations.map((r) => r.name)]).toEqual([3, ["Marco Verdi", "Nadia Neri"]]);

    // Added by hand while full: waitlisted, unless admitted beyond capacity.
    const added = await organizer.post(`/api/events/${event.slug}/registrations`, {
      name: "Ospite Speciale",
      email: `guest-${tag}@example.org`,
      overCapacity: true,
      notify: false,
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ created: true, registration: { status: "confirmed" } });
    const addedId = (added.body as { registration: { id: string } }).registration.id;
    const [messages] = await database.db
      .select({ n: count() })
      .from(registrationMessages)
      .where(eq(registrationMessages.registrationId, addedId));
    expect(messages!.n).toBe(0);
    const again = await organizer.post(`/api/events/${event.slug}/registrations`, {
      name: "X",
      email: `GUEST-${tag}@example.org`,
    });
    expect(again.status).toBe(200);

    // Moving Nadia off the full waitlist admits her beyond capacity.
    const moved = await organizer.post(`/api/events/${event.slug}/registrations/decisions`, {
      action: "promote",
      registrationIds: [receipts[2]!.id],
    });
    expect(moved.body).toMatchObject({ results: [{ changed: true, status: "confirmed" }] });
    const counts = await organizer.get(`/api/events/${event.slug}/registrations/counts`);
    expect(counts.body).toMatchObject({
      capacity: 2,
      confirmed: 4,
      seatsTaken: 2,
      waitlisted: 0,
      pending: 0,
    });
    const detail = await organizer.get(`/api/registrations/${receipts[2]!.id}`);
    expect(detail.body).toMatchObject({
      registration: { overCapacity: true },
      history: [
        { from: null, to: "waitlisted", by: "attendee" },
        { from: "waitlisted", to: "confirmed", by: "organizer", actorName: "Olga Organizer" },
      ],
    });
    // Those who came first hold the capacity's seats.
    const [row] = await database.db.select().from(registrations).where(eq(registrations.id, receipts[0]!.id));
    expect(row!.overCapacity).toBe(false);

    const csv = await organizer.get(`/api/events/${event.slug}/registrations/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toContain(`${event.slug}-registrations.csv`);
    const raw = Buffer.from(
      await (
        await fetch(`${server.url}/api/events/${event.slug}/registrations/export.csv`, {
          headers: { cookie: organizer.cookie! },
        })
      ).arrayBuffer(),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.text.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe(
      "Registered at,Status,Name,Email,Language,Waitlist position,Beyond capacity,Added by,Invite code,Consent version,Consent given at,Sessions,Ente,Temi,Foto",
    );
    expect(lines).toHaveLength(6);
    const lucia = lines.find((l) => l.includes("Lucia"))!;
    expect(lucia).toContain(`,"'=HYPERLINK(""http://evil"")",mobilità; energia,yes`);
    expect(lines.find((l) => l.includes("Marco"))).toContain(`"Rete civica, ""Bari""",,`);
    // Statuses, languages and who added someone in the organizer's language (English here)...
    expect(lines.find((l) => l.includes("Ospite"))).toContain(",Confirmed,Ospite Speciale,");
    expect(lines.find((l) => l.includes("Ospite"))).toContain(",Italian,,yes,Organizer,");
    expect(lucia).toContain(",Confirmed,Lucia Bianchi,");
    expect(lucia).toContain(",Registrant,");

    // ...or in the language asked for; still a BOM, one column per question, the same rows.
    const italian = await organizer.get(`/api/events/${event.slug}/registrations/export.csv?locale=it`);
    expect(italian.status).toBe(200);
    const italianRaw = Buffer.from(
      await (
        await fetch(`${server.url}/api/events/${event.slug}/registrations/export.csv?locale=it`, {
          headers: { cookie: organizer.cookie! },
        })
      ).arrayBuffer(),
    );
    expect([...italianRaw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rowsIt = italian.text.replace(/^\uFEFF/, "").split("\r\n");
    expect(rowsIt[0]).toBe(
      "Iscritto il,Stato,Nome,Email,Lingua,Posizione in lista d'attesa,Oltre la capienza,Aggiunto da,Codice invito,Versione del consenso,Consenso dato il,Sessioni,Ente,Temi,Foto",
    );
    expect(rowsIt).toHaveLength(6);
    expect(rowsIt.find((l) => l.includes("Nadia"))).toContain(",Confermata,Nadia Neri,");
    expect(rowsIt.find((l) => l.includes("Ospite"))).toContain(",Italiano,,sì,Organizzatore,");
    expect(rowsIt.find((l) => l.includes("Lucia"))).toContain(`mobilità; energia,sì`);
    expect(rowsIt.join("\n")).not.toMatch(/,confirmed,|,waitlisted,/);
    expect((await organizer.get(`/api/events/${event.slug}/registrations/export.csv?locale=fr`)).status).toBe(
      400,
    );
  });
});
