// Registration settings, custom questions and invite codes of one event. Settings change under the
// event lock too: raising the capacity promotes from the waitlist in the same transaction.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import {
  and,
  asc,
  consentTexts,
  eq,
  events,
  inviteCodes,
  isNull,
  isUniqueViolation,
  registrationQuestions,
  sql,
  type Db,
} from "@convivio/db";
import {
  ErrorCode,
  parseLocalDateTime,
  zonedTimeToUtc,
  type CreateInviteCodeBody,
  type FieldIssue,
  type InviteCode,
  type InviteCodeId,
  type Question,
  type QuestionId,
  type RegistrationSettings,
  type RegistrationSettingsBody,
} from "@convivio/protocol";
import { HttpError } from "../http/problem.js";
import { lockEvent, promoteEventWaitlist, seatsTaken, type ChangeActor, type EventRow } from "./ledger.js";
import type { RegistrationService } from "./service.js";

type SettingsInput = z.output<typeof RegistrationSettingsBody>;
type InviteInput = z.output<typeof CreateInviteCodeBody>;
type QuestionRow = typeof registrationQuestions.$inferSelect;
type InviteRow = typeof inviteCodes.$inferSelect;

/** A wall-clock time in the event's zone as an instant. */
export function localToDate(local: string, timeZone: string): Date {
  const wall = parseLocalDateTime(local);
  if (!wall) throw new HttpError(ErrorCode.validationFailed, `Not a date: ${local}`);
  return new Date(zonedTimeToUtc(wall, timeZone));
}

export function toQuestion(row: QuestionRow): Question {
  return {
    id: row.id as QuestionId,
    kind: row.kind,
    label: row.label,
    help: row.help,
    required: row.required,
    options: row.options,
  };
}

export async function questionsOf(db: Db, eventId: string, includeArchived = false): Promise<QuestionRow[]> {
  return db
    .select()
    .from(registrationQuestions)
    .where(
      includeArchived
        ? eq(registrationQuestions.eventId, eventId)
        : and(eq(registrationQuestions.eventId, eventId), isNull(registrationQuestions.archivedAt)),
    )
    .orderBy(asc(registrationQuestions.position), asc(registrationQuestions.createdAt));
}

export function settingsView(event: EventRow, questions: QuestionRow[]): RegistrationSettings {
  return {
    enabled: event.registrationEnabled,
    opensAt: event.registrationOpensAt?.toISOString() ?? null,
    closesAt: event.registrationClosesAt?.toISOString() ?? null,
    capacity: event.capacity,
    waitlist: event.waitlistEnabled,
    approvalRequired: event.approvalRequired,
    consent:
      event.consentText !== null && event.consentVersion !== null
        ? { text: event.consentText, version: event.consentVersion }
        : null,
    questions: questions.filter((q) => q.archivedAt === null).map(toQuestion),
    timeZone: event.timeZone,
  };
}

/**
 * Replaces the settings. Questions keep their ids (and answers) when sent back with them; a missing
 * one is archived. A consent text is stored per version: changing the words needs a new version.
 */
export async function updateSettings(
  service: RegistrationService,
  eventId: string,
  input: SettingsInput,
): Promise<RegistrationSettings> {
  return service.run(async (ledger) => {
    const { tx, now } = ledger;
    const event = await lockEvent(tx, eventId);
    const taken = await seatsTaken(tx, eventId);
    if (input.capacity !== null && input.capacity < taken) {
      throw new HttpError(ErrorCode.conflict, `Capacity cannot go below the ${taken} seats already taken`);
    }
    const existing = await questionsOf(tx, eventId, true);
    const byId = new Map(existing.map((q) => [q.id, q]));
    const issues: FieldIssue[] = [];
    input.questions.forEach((q, i) => {
      const old = q.id ? byId.get(q.id) : undefined;
      if (q.id && !old) issues.push({ path: `questions.${i}.id`, message: "no such question in this event" });
      if (old && old.kind !== q.kind) {
        issues.push({
          path: `questions.${i}.kind`,
          message: "a question's kind cannot change; add a new question",
        });
      }
    });
    if (issues.length > 0)
      throw new HttpError(ErrorCode.validationFailed, "Some questions are not valid", issues);

    if (input.consent) {
      const [stored] = await tx
        .select()
        .from(consentTexts)
        .where(and(eq(consentTexts.eventId, eventId), eq(consentTexts.version, input.consent.version)));
      if (stored && stored.text !== input.consent.text) {
        throw new HttpError(
          ErrorCode.conflict,
          "This consent version has another text: give the new text a new version",
        );
      }
      if (!stored) {
        await tx
          .insert(consentTexts)
          .values({ eventId, version: input.consent.version, text: input.consent.text, createdAt: now });
      }
    }

    const kept = new Set<string>();
    for (const [position, q] of input.questions.entries()) {
      const values = { label: q.label, help: q.help, required: q.required, options: q.options, position };
      if (q.id) {
        kept.add(q.id);
        await tx
          .update(registrationQuestions)
          .set({ ...values, archivedAt: null })
          .where(eq(registrationQuestions.id, q.id));
      } else {
        await tx.insert(registrationQuestions).values({ ...values, eventId, kind: q.kind, createdAt: now });
      }
    }
    for (const old of existing) {
      if (!kept.has(old.id) && old.archivedAt === null) {
        await tx
          .update(registrationQuestions)
          .set({ archivedAt: now })
          .where(eq(registrationQuestions.id, old.id));
      }
    }

    const [updated] = await tx
      .update(events)
      .set({
        registrationEnabled: input.enabled,
        registrationOpensAt: input.opensAt ? localToDate(input.opensAt, event.timeZone) : null,
        registrationClosesAt: input.closesAt ? localToDate(input.closesAt, event.timeZone) : null,
        capacity: input.capacity,
        waitlistEnabled: input.waitlist,
        approvalRequired: input.approvalRequired,
        consentText: input.consent?.text ?? null,
        consentVersion: input.consent?.version ?? null,
        updatedAt: now,
      })
      .where(eq(events.id, eventId))
      .returning();
    await promoteEventWaitlist(ledger, updated!);
    return settingsView(updated!, await questionsOf(tx, eventId));
  });
}

export function toInviteCode(row: InviteRow): InviteCode {
  return {
    id: row.id as InviteCodeId,
    code: row.code,
    maxUses: row.maxUses,
    uses: row.uses,
    bypassCapacity: row.bypassCapacity,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    disabled: row.disabledAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** Ten characters without look-alikes (0/O, 1/I): about 50 bits. */
function generateCode(): string {
  return [...randomBytes(10)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
}

export async function createInviteCode(
  db: Db,
  event: EventRow,
  input: InviteInput,
  actor: ChangeActor,
  now: Date,
): Promise<InviteCode> {
  try {
    const [row] = await db
      .insert(inviteCodes)
      .values({
        eventId: event.id,
        code: input.code ?? generateCode(),
        maxUses: input.maxUses,
        bypassCapacity: input.bypassCapacity,
        expiresAt: input.expiresAt ? localToDate(input.expiresAt, event.timeZone) : null,
        createdBy: actor.userId,
        createdAt: now,
      })
      .returning();
    return toInviteCode(row!);
  } catch (err) {
    if (isUniqueViolation(err, "invite_codes_event_code_key")) {
      throw new HttpError(ErrorCode.conflict, "This event already has that code");
    }
    throw err;
  }
}

export async function listInviteCodes(db: Db, eventId: string): Promise<InviteCode[]> {
  const rows = await db
    .select()
    .from(inviteCodes)
    .where(eq(inviteCodes.eventId, eventId))
    .orderBy(asc(inviteCodes.createdAt));
  return rows.map(toInviteCode);
}

export async function disableInviteCode(db: Db, eventId: string, codeId: string, now: Date): Promise<void> {
  const [row] = await db
    .update(inviteCodes)
    .set({ disabledAt: sql`coalesce(${inviteCodes.disabledAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(inviteCodes.id, codeId), eq(inviteCodes.eventId, eventId)))
    .returning({ id: inviteCodes.id });
  if (!row) throw new HttpError(ErrorCode.notFound);
}
