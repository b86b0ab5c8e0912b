// Registrations that arrive together are decided one by one under the event lock but written
// together: one statement for a batch's new registrations, one job (and one outbox statement) for
// their emails. Here on both databases: the batching happens, and what the one-by-one path kept
// (arrival order equal to decision order, invite codes' limits, one email each) still holds.
import { describe, expect, it } from "vitest";
import { testDatabases } from "@convivio/db/testing";
import {
  and,
  asc,
  eq,
  inArray,
  oneTimeTokens,
  outbox,
  registrationLinks,
  registrations,
  sql,
} from "@convivio/db";
import { createEvent, register, serverWithOrganizer, unique, withToken } from "../test/events.js";

const PEOPLE = 40;

describe.each(testDatabases())("registrations written together on $driver", ({ open }) => {
  const setup = serverWithOrganizer(open);

  /**
   * Runs `arrive` while the test holds the event's lock for a second and a half, so what arrives
   * queues behind the first arrival and is decided in one batch whatever the machine's speed. Only
   * on PostgreSQL: PGlite has one connection, so there `arrive` just runs.
   */
  async function queuedBehindLock<T>(eventId: string, arrive: () => Promise<T>): Promise<T> {
    if (!setup.database.url) return arrive();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = setup.database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT id FROM events WHERE id = ${eventId} FOR UPDATE`);
      locked();
      await held;
    });
    await isLocked;
    const answers = arrive();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    release();
    await holder;
    return answers;
  }

  /** How many transactions wrote these rows (rows of one transaction share its xmin). */
  const writers = (rows: { xmin: string }[]) => new Set(rows.map((r) => r.xmin)).size;

  it("a rush is written in a few statements, and each person gets one email, with its links, stored together", async () => {
    const event = await createEvent(setup.organizer, { settings: { capacity: PEOPLE } });
    const emails = Array.from({ length: PEOPLE }, (_, i) => `rush${i}-${unique()}@example.it`);
    const rush = () =>
      Promise.all(
        emails.map((email, i) =>
          register(setup.server.client(), event.slug, { name: `R ${i}`, email, locale: "en" }),
        ),
      );
    const batched = Boolean(setup.database.url);
    const responses = await queuedBehindLock(event.id, rush);
    expect(responses.map((r) => r.status)).toEqual(emails.map(() => 201));

    const rows = await setup.database.db
      .select({ id: registrations.id, xmin: sql<string>`xmin::text` })
      .from(registrations)
      .where(eq(registrations.eventId, event.id));
    expect(rows).toHaveLength(PEOPLE);
    // One by one this was 40 transactions: batched, the first batch holds what arrived in its turn
    // of the event loop and the rest (given a second and a half to arrive) go together.
    if (batched) expect(writers(rows)).toBeLessThanOrEqual(4);

    const mails = async () =>
      setup.database.db
        .select({ to: outbox.to, text: outbox.text, xmin: sql<string>`xmin::text` })
        .from(outbox)
        .where(inArray(outbox.to, emails));
    await expect.poll(async () => (await mails()).length, { timeout: 30_000, interval: 100 }).toBe(PEOPLE);
    const sent = await mails();
    expect(new Set(sent.map((m) => m.to)).size).toBe(PEOPLE);
    // Their emails travel as their registrations were written: a job, and one statement, per batch.
    if (batched) expect(writers(sent)).toBeLessThanOrEqual(4);
    // Each email carries its own sign-in link and its own manage link, each stored once.
    for (const mail of sent) {
      expect(mail.text).toMatch(/\/auth\/magic\?token=[A-Za-z0-9_-]{43}/);
      expect(mail.text).toMatch(/\/registrations\/[0-9a-f-]{36}#token=[A-Za-z0-9_-]{43}/);
    }
    const magicTokens = sent.map((m) => /\/auth\/magic\?token=([A-Za-z0-9_-]{43})/.exec(m.text)![1]);
    expect(new Set(magicTokens).size).toBe(PEOPLE);
    const ids = rows.map((r) => r.id);
    const links = await setup.database.db
      .select({ id: registrationLinks.id })
      .from(registrationLinks)
      .where(inArray(registrationLinks.registrationId, ids));
    // One from the form's answer, one from the email.
    expect(links).toHaveLength(2 * PEOPLE);
    const registrants = await setup.database.db
      .select({ userId: registrations.userId })
      .from(registrations)
      .where(eq(registrations.eventId, event.id));
    const signIns = await setup.database.db
      .select({ id: oneTimeTokens.id })
      .from(oneTimeTokens)
      .where(
        and(
          eq(oneTimeTokens.purpose, "magic_link"),
          inArray(
            oneTimeTokens.userId,
            registrants.map((r) => r.userId!),
          ),
        ),
      );
    expect(signIns).toHaveLength(PEOPLE);
  });

  it("people coming back among new ones keep arrival order: the places told are the database's", async () => {
    const event = await createEvent(setup.organizer, { settings: { capacity: 1 } });
    const holder = await register(setup.server.client(), event.slug, {
      name: "Seat",
      email: `seat-${unique()}@example.it`,
    });
    expect(holder.receipt!.status).toBe("confirmed");
    // Three people register and cancel: they come back below, reusing their rows.
    const returning: string[] = [];
    for (let i = 0; i < 3; i++) {
      const email = `back${i}-${unique()}@example.it`;
      const first = await register(setup.server.client(), event.slug, { name: `Back ${i}`, email });
      const cancel = await withToken(
        setup.server.client(),
        "POST",
        `/api/registrations/${first.receipt!.id}/cancel`,
        first.token!,
      );
      expect(cancel.status).toBe(200);
      returning.push(email);
    }
    const emails = Array.from({ length: 24 }, (_, i) =>
      i % 8 === 3 ? returning[(i - 3) / 8]! : `new${i}-${unique()}@example.it`,
    );
    const responses = await queuedBehindLock(event.id, () =>
      Promise.all(
        emails.map((email, i) => register(setup.server.client(), event.slug, { name: `W ${i}`, email })),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(emails.map(() => 201));
    const told = new Map(responses.map((r) => [r.receipt!.id, r.receipt!.waitlistPosition]));
    expect([...told.values()].sort((a, b) => a! - b!)).toEqual(emails.map((_, i) => i + 1));

    const waiting = await setup.database.db
      .select({ id: registrations.id, arrival: registrations.arrival, order: registrations.waitlistOrder })
      .from(registrations)
      .where(and(eq(registrations.eventId, event.id), eq(registrations.status, "waitlisted")))
      .orderBy(asc(registrations.waitlistOrder));
    expect(waiting).toHaveLength(emails.length);
    expect(waiting.map((w) => told.get(w.id))).toEqual(emails.map((_, i) => i + 1));
    // Arrival follows the same order.
    expect([...waiting].sort((a, b) => a.arrival - b.arrival).map((w) => w.id)).toEqual(
      waiting.map((w) => w.id),
    );
  });

  it("an invite code's last uses go to as many people as it has left, and a batch counts its own", async () => {
    const event = await createEvent(setup.organizer, { settings: { capacity: 100, approvalRequired: true } });
    const created = await setup.organizer.post(`/api/events/${event.slug}/invite-codes`, {
      code: "RUSH-CODE",
      maxUses: 3,
    });
    expect(created.status).toBe(201);
    const responses = await queuedBehindLock(event.id, () =>
      Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          register(setup.server.client(), event.slug, {
            name: `C ${i}`,
            email: `code${i}-${unique()}@example.it`,
            inviteCode: "rush-code",
          }),
        ),
      ),
    );
    expect(responses.filter((r) => r.status === 201 && r.receipt!.status === "confirmed")).toHaveLength(3);
    const refused = responses.filter((r) => r.status === 400);
    expect(refused).toHaveLength(7);
    expect(refused.every((r) => (r.body as { code: string }).code === "invite_code_invalid")).toBe(true);
    // The database refuses a code used beyond its limit, which would fail the whole batch and run
    // it again one by one (three writers); the batch counts its own uses, so the uses that share a
    // batch are decided and written together (the first arrival may have had a batch of its own).
    if (setup.database.url) {
      const rows = await setup.database.db
        .select({ xmin: sql<string>`xmin::text` })
        .from(registrations)
        .where(eq(registrations.eventId, event.id));
      expect(writers(rows)).toBeLessThanOrEqual(2);
    }
    const codes = await setup.organizer.get(`/api/events/${event.slug}/invite-codes`);
    expect((codes.body as { inviteCodes: { code: string; uses: number }[] }).inviteCodes).toEqual([
      expect.objectContaining({ code: "RUSH-CODE", uses: 3 }),
    ]);
  });
});
