// New registrations written in one statement, however many: the people's accounts (created on
// first use), the registrations, their first history rows, their answers, the messages they are
// owed, the attendee role of confirmed ones, their link tokens and invite codes' uses. Under the
// event lock every statement waits its turn, and while a rush keeps the event loop busy each round
// trip costs a millisecond or more: one statement for a whole batch of registrations, instead of
// one each (and nine each before that), is what lets registrations of one event go faster than
// the round trips (measured by the registration storm, docs/performance.md).
import { randomUUID } from "node:crypto";
import {
  eventMembers,
  inviteCodes,
  registrationAnswers,
  registrationHistory,
  registrationLinks,
  registrationMessages,
  registrations,
  sql,
  users,
  type Tx,
} from "@convivio/db";
import type { AnswerValue, Locale } from "@convivio/protocol";
import type { ChangeActor, MessageKind, RegistrationRow, Status } from "./ledger.js";

export interface NewRegistration {
  eventId: string;
  email: string;
  name: string;
  locale: Locale;
  status: Status;
  overCapacity: boolean;
  source: "self" | "organizer";
  inviteCodeId: string | null;
  consentVersion: string | null;
  consentAt: Date | null;
  answers: Record<string, AnswerValue>;
  /** Who made the change; `"registrant"` is the person registering (their account id is made here). */
  actor: ChangeActor | "registrant";
  historyReason: string | null;
  /** The message owed, if any (organizers may add people without telling them). */
  message: { kind: MessageKind; data: Record<string, unknown> } | null;
  /** A link token to store, for registrations made by the person themself. */
  link: { tokenHash: string; expiresAt: Date } | null;
  now: Date;
}

/** Inserts one new registration and everything that comes with it. */
export async function insertRegistration(
  tx: Tx,
  input: NewRegistration,
): Promise<{ registration: RegistrationRow; messageId: string | null }> {
  const [written] = await insertRegistrations(tx, [input]);
  return written!;
}

/**
 * Inserts new registrations (of different emails) and everything that comes with them, in one
 * statement; returns their rows and messages' ids in order. Their arrival numbers (and waiting
 * places) follow the order given. Throws when one of them was not written (its account appeared
 * meanwhile in another transaction): the caller's transaction is then to be retried.
 */
export async function insertRegistrations(
  tx: Tx,
  inputs: readonly NewRegistration[],
): Promise<{ registration: RegistrationRow; messageId: string | null }[]> {
  if (inputs.length === 0) return [];
  const rows = inputs.map((input, i) => ({
    ord: i + 1,
    id: randomUUID(),
    message_id: input.message ? randomUUID() : null,
    event_id: input.eventId,
    email: input.email,
    name: input.name,
    locale: input.locale,
    status: input.status,
    over_capacity: input.overCapacity,
    source: input.source,
    invite_code_id: input.inviteCodeId,
    consent_version: input.consentVersion,
    consent_at: input.consentAt?.toISOString() ?? null,
    now: input.now.toISOString(),
    answers: Object.entries(input.answers).map(([question_id, value]) => ({ question_id, value })),
    registrant: input.actor === "registrant",
    actor_kind: input.actor === "registrant" ? "attendee" : input.actor.kind,
    actor_user_id: input.actor === "registrant" ? null : input.actor.userId,
    history_reason: input.historyReason,
    message_kind: input.message?.kind ?? null,
    message_data: input.message?.data ?? null,
    link_hash: input.link?.tokenHash ?? null,
    link_expires_at: input.link?.expiresAt.toISOString() ?? null,
  }));
  // Two numbers of the arrival sequence per registration, handed out in the order given: the
  // arrival, and the place in line of one that waits.
  const { rows: written } = await tx.execute<{
    id: string;
    user_id: string;
    arrival: string;
    waitlist_order: string | null;
  }>(sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS i(ord int, id uuid,
        message_id uuid, event_id uuid, email text, name text, locale text, status text,
        over_capacity boolean, source text, invite_code_id uuid, consent_version text,
        consent_at timestamptz, now timestamptz, answers jsonb, registrant boolean, actor_kind text,
        actor_user_id uuid, history_reason text, message_kind text, message_data jsonb,
        link_hash text, link_expires_at timestamptz)
    ), numbers AS (
      SELECT n, row_number() OVER (ORDER BY n) AS k
      FROM (SELECT nextval('registration_order_seq') AS n
        FROM generate_series(1, 2 * (SELECT count(*) FROM input))) drawn
    ), created_user AS (
      INSERT INTO ${users} (email, name, locale)
      SELECT email, name, locale FROM input ORDER BY ord
      ON CONFLICT DO NOTHING
      RETURNING id, email
    ), person AS (
      SELECT i.ord, coalesce(c.id, u.id) AS user_id
      FROM input i
      LEFT JOIN created_user c ON lower(c.email) = lower(i.email)
      LEFT JOIN ${users} u ON c.id IS NULL AND lower(u.email) = lower(i.email)
    ), registration AS (
      INSERT INTO ${registrations} (id, event_id, user_id, email, name, locale, status, arrival,
        waitlist_order, over_capacity, source, invite_code_id, consent_version, consent_at, created_at, updated_at)
      SELECT i.id, i.event_id, p.user_id, i.email, i.name, i.locale, i.status, a.n,
        CASE WHEN i.status = 'waitlisted' THEN w.n END, i.over_capacity, i.source, i.invite_code_id,
        i.consent_version, i.consent_at, i.now, i.now
      FROM input i
      JOIN person p ON p.ord = i.ord AND p.user_id IS NOT NULL
      JOIN numbers a ON a.k = 2 * i.ord - 1
      JOIN numbers w ON w.k = 2 * i.ord
      RETURNING id, user_id, arrival, waitlist_order
    ), written AS (
      SELECT i.*, r.user_id FROM registration r JOIN input i ON i.id = r.id
    ), history AS (
      INSERT INTO ${registrationHistory} (registration_id, from_status, to_status, actor, actor_user_id, reason, created_at)
      SELECT id, NULL, status, actor_kind, CASE WHEN registrant THEN user_id ELSE actor_user_id END,
        history_reason, now
      FROM written
    ), answered AS (
      INSERT INTO ${registrationAnswers} (registration_id, question_id, value)
      SELECT w.id, a.question_id, a.value
      FROM written w, jsonb_to_recordset(w.answers) AS a(question_id uuid, value jsonb)
    ), owed AS (
      INSERT INTO ${registrationMessages} (id, registration_id, kind, data, created_at)
      SELECT message_id, id, message_kind, message_data, now
      FROM written WHERE message_id IS NOT NULL
    ), attendee AS (
      INSERT INTO ${eventMembers} (event_id, user_id, role)
      SELECT event_id, user_id, 'attendee' FROM written WHERE status = 'confirmed'
      ON CONFLICT DO NOTHING
    ), link AS (
      INSERT INTO ${registrationLinks} (token_hash, registration_id, created_at, expires_at)
      SELECT link_hash, id, now, link_expires_at FROM written WHERE link_hash IS NOT NULL
    ), code AS (
      UPDATE ${inviteCodes} SET uses = uses + used.n
      FROM (SELECT invite_code_id, count(*) AS n FROM input WHERE invite_code_id IS NOT NULL
        GROUP BY invite_code_id) used
      WHERE ${inviteCodes.id} = used.invite_code_id
    )
    SELECT id, user_id, arrival, waitlist_order FROM registration`);
  const byId = new Map(written.map((row) => [row.id, row]));
  return inputs.map((input, i) => {
    const { id, message_id: messageId } = rows[i]!;
    const row = byId.get(id);
    if (!row) throw new Error(`registration of ${input.email} was not written`);
    return {
      registration: {
        id,
        eventId: input.eventId,
        userId: row.user_id,
        email: input.email,
        name: input.name,
        locale: input.locale,
        status: input.status,
        arrival: Number(row.arrival),
        waitlistOrder: row.waitlist_order === null ? null : Number(row.waitlist_order),
        overCapacity: input.overCapacity,
        source: input.source,
        inviteCodeId: input.inviteCodeId,
        consentVersion: input.consentVersion,
        consentAt: input.consentAt,
        createdAt: input.now,
        updatedAt: input.now,
      },
      messageId,
    };
  });
}
