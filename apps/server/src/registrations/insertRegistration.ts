// A new registration written in one statement: the person's account (created on first use), the
// registration, its first history row, its answers, the message it is owed, the attendee role of
// a confirmed one, its link token and an invite code's use. Under the event lock every statement
// waits its turn, and while a rush keeps the event loop busy each round trip costs about a
// millisecond: one statement instead of nine is what lets registrations of one event go faster
// than one every ten milliseconds (measured by the registration storm, docs/performance.md).
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

/** Inserts a new registration and everything that comes with it; returns its row and its message's id. */
export async function insertRegistration(
  tx: Tx,
  input: NewRegistration,
): Promise<{ registration: RegistrationRow; messageId: string | null }> {
  const id = randomUUID();
  const messageId = input.message ? randomUUID() : null;
  const answers = JSON.stringify(
    Object.entries(input.answers).map(([question_id, value]) => ({ question_id, value })),
  );
  const actorKind = input.actor === "registrant" ? "attendee" : input.actor.kind;
  const actorUserId = input.actor === "registrant" ? null : input.actor.userId;
  const waitlisted = input.status === "waitlisted";
  const { rows } = await tx.execute<{ user_id: string; arrival: string; waitlist_order: string | null }>(sql`
    WITH created_user AS (
      INSERT INTO ${users} (email, name, locale) VALUES (${input.email}, ${input.name}, ${input.locale})
      ON CONFLICT DO NOTHING
      RETURNING id
    ), person AS (
      SELECT id FROM created_user
      UNION ALL
      SELECT id FROM ${users} WHERE lower(email) = lower(${input.email}) AND NOT EXISTS (SELECT 1 FROM created_user)
      LIMIT 1
    ), registration AS (
      INSERT INTO ${registrations} (id, event_id, user_id, email, name, locale, status, arrival,
        waitlist_order, over_capacity, source, invite_code_id, consent_version, consent_at, created_at, updated_at)
      SELECT ${id}::uuid, ${input.eventId}::uuid, person.id, ${input.email}, ${input.name}, ${input.locale},
        ${input.status}, nextval('registration_order_seq'),
        CASE WHEN ${waitlisted}::boolean THEN nextval('registration_order_seq') END,
        ${input.overCapacity}::boolean, ${input.source}, ${input.inviteCodeId}::uuid, ${input.consentVersion},
        ${input.consentAt?.toISOString() ?? null}::timestamptz, ${input.now.toISOString()}::timestamptz,
        ${input.now.toISOString()}::timestamptz
      FROM person
      RETURNING user_id, arrival, waitlist_order
    ), history AS (
      INSERT INTO ${registrationHistory} (registration_id, from_status, to_status, actor, actor_user_id, reason, created_at)
      SELECT ${id}::uuid, NULL, ${input.status}, ${actorKind},
        ${input.actor === "registrant" ? sql`registration.user_id` : sql`${actorUserId}::uuid`},
        ${input.historyReason}, ${input.now.toISOString()}::timestamptz
      FROM registration
    ), answered AS (
      INSERT INTO ${registrationAnswers} (registration_id, question_id, value)
      SELECT ${id}::uuid, a.question_id, a.value
      FROM registration, jsonb_to_recordset(${answers}::jsonb) AS a(question_id uuid, value jsonb)
    ), owed AS (
      INSERT INTO ${registrationMessages} (id, registration_id, kind, data, created_at)
      SELECT ${messageId}::uuid, ${id}::uuid, ${input.message?.kind ?? ""}, ${JSON.stringify(input.message?.data ?? {})}::jsonb,
        ${input.now.toISOString()}::timestamptz
      FROM registration WHERE ${messageId !== null}::boolean
    ), attendee AS (
      INSERT INTO ${eventMembers} (event_id, user_id, role)
      SELECT ${input.eventId}::uuid, registration.user_id, 'attendee'
      FROM registration WHERE ${input.status === "confirmed"}::boolean
      ON CONFLICT DO NOTHING
    ), link AS (
      INSERT INTO ${registrationLinks} (token_hash, registration_id, created_at, expires_at)
      SELECT ${input.link?.tokenHash ?? ""}, ${id}::uuid, ${input.now.toISOString()}::timestamptz,
        ${input.link?.expiresAt.toISOString() ?? null}::timestamptz
      FROM registration WHERE ${input.link !== null}::boolean
    ), code AS (
      UPDATE ${inviteCodes} SET uses = uses + 1 WHERE id = ${input.inviteCodeId}::uuid
    )
    SELECT user_id, arrival, waitlist_order FROM registration`);
  const [row] = rows;
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
}
