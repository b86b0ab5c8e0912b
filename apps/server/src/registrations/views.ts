// Registrations as the protocol shows them: one or many at a time, with answers, session seats and
// waitlist positions read in a few queries rather than one per row.
import {
  agendaSessions,
  and,
  asc,
  eq,
  inArray,
  inviteCodes,
  registrationAnswers,
  registrationHistory,
  registrations,
  sessionRegistrations,
  users,
  type Db,
} from "@convivio/db";
import type {
  AnswerValue,
  EventId,
  RegistrationId,
  RegistrationView,
  SessionId,
  SessionSeat,
  StatusChange,
} from "@convivio/protocol";
import type { EventRow, RegistrationRow } from "./ledger.js";

const CHUNK = 1000;

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

/** Position in its event's waitlist of every waiting registration among `rows`. */
async function eventPositions(db: Db, rows: readonly RegistrationRow[]): Promise<Map<string, number>> {
  const positions = new Map<string, number>();
  const eventIds = [...new Set(rows.filter((r) => r.status === "waitlisted").map((r) => r.eventId))];
  for (const eventId of eventIds) {
    const waiting = await db
      .select({ id: registrations.id })
      .from(registrations)
      .where(and(eq(registrations.eventId, eventId), eq(registrations.status, "waitlisted")))
      .orderBy(asc(registrations.waitlistOrder));
    waiting.forEach((w, i) => positions.set(w.id, i + 1));
  }
  return positions;
}

async function seatPositions(db: Db, sessionIds: readonly string[]): Promise<Map<string, number>> {
  const positions = new Map<string, number>();
  for (const sessionId of new Set(sessionIds)) {
    const waiting = await db
      .select({ id: sessionRegistrations.id })
      .from(sessionRegistrations)
      .where(
        and(eq(sessionRegistrations.sessionId, sessionId), eq(sessionRegistrations.status, "waitlisted")),
      )
      .orderBy(asc(sessionRegistrations.waitlistOrder));
    waiting.forEach((w, i) => positions.set(w.id, i + 1));
  }
  return positions;
}

/** The protocol view of each row, in the same order. */
export async function registrationViews(
  db: Db,
  rows: readonly RegistrationRow[],
): Promise<RegistrationView[]> {
  const ids = rows.map((r) => r.id);
  const codeIds = [...new Set(rows.flatMap((r) => (r.inviteCodeId ? [r.inviteCodeId] : [])))];
  const [answers, seats, codes, positions] = await Promise.all([
    inChunks(ids, (chunk) =>
      db.select().from(registrationAnswers).where(inArray(registrationAnswers.registrationId, chunk)),
    ),
    inChunks(ids, (chunk) =>
      db
        .select({
          seat: sessionRegistrations,
          title: agendaSessions.title,
          startsAt: agendaSessions.startsAt,
          endsAt: agendaSessions.endsAt,
        })
        .from(sessionRegistrations)
        .innerJoin(agendaSessions, eq(agendaSessions.id, sessionRegistrations.sessionId))
        .where(inArray(sessionRegistrations.registrationId, chunk))
        .orderBy(asc(agendaSessions.startsAt)),
    ),
    codeIds.length
      ? db
          .select({ id: inviteCodes.id, code: inviteCodes.code })
          .from(inviteCodes)
          .where(inArray(inviteCodes.id, codeIds))
      : Promise.resolve([]),
    eventPositions(db, rows),
  ]);
  const waitingSeats = seats.filter((s) => s.seat.status === "waitlisted").map((s) => s.seat.sessionId);
  const seatPosition = waitingSeats.length
    ? await seatPositions(db, waitingSeats)
    : new Map<string, number>();
  const codeById = new Map(codes.map((c) => [c.id, c.code]));

  return rows.map((r) => ({
    id: r.id as RegistrationId,
    eventId: r.eventId as EventId,
    status: r.status,
    name: r.name,
    email: r.email,
    locale: r.locale === "en" ? "en" : "it",
    waitlistPosition: positions.get(r.id) ?? null,
    overCapacity: r.overCapacity,
    source: r.source,
    answers: Object.fromEntries(
      answers.filter((a) => a.registrationId === r.id).map((a) => [a.questionId, a.value as AnswerValue]),
    ),
    consent:
      r.consentVersion && r.consentAt ? { version: r.consentVersion, at: r.consentAt.toISOString() } : null,
    inviteCode: r.inviteCodeId ? (codeById.get(r.inviteCodeId) ?? null) : null,
    sessions: seats
      .filter((s) => s.seat.registrationId === r.id)
      .map((s): SessionSeat => ({
        sessionId: s.seat.sessionId as SessionId,
        title: s.title,
        startsAt: s.startsAt.toISOString(),
        endsAt: s.endsAt.toISOString(),
        status: s.seat.status,
        waitlistPosition: seatPosition.get(s.seat.id) ?? null,
      })),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function registrationView(db: Db, row: RegistrationRow): Promise<RegistrationView> {
  const [view] = await registrationViews(db, [row]);
  return view!;
}

export function eventOfRegistration(event: EventRow) {
  return {
    id: event.id as EventId,
    slug: event.slug,
    title: event.title,
    timeZone: event.timeZone,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
  };
}

/**
 * Status history, oldest first; the names of organizers who acted are for organizers' eyes only.
 * A seat change names its session by its current title, or by the one kept when it was deleted.
 */
export async function historyOf(db: Db, registrationId: string, withNames: boolean): Promise<StatusChange[]> {
  const rows = await db
    .select({ change: registrationHistory, actorName: users.name, sessionTitle: agendaSessions.title })
    .from(registrationHistory)
    .leftJoin(users, eq(users.id, registrationHistory.actorUserId))
    .leftJoin(agendaSessions, eq(agendaSessions.id, registrationHistory.sessionId))
    .where(eq(registrationHistory.registrationId, registrationId))
    .orderBy(asc(registrationHistory.createdAt));
  return rows.map(({ change, actorName, sessionTitle }) => ({
    sessionId: change.sessionId as SessionId | null,
    sessionTitle: sessionTitle ?? change.sessionTitle ?? null,
    from: change.fromStatus,
    to: change.toStatus,
    by: change.actor,
    actorName: withNames ? (actorName ?? null) : null,
    reason: change.reason,
    at: change.createdAt.toISOString(),
  }));
}

export async function registrationRow(db: Db, id: string): Promise<RegistrationRow | undefined> {
  const [row] = await db.select().from(registrations).where(eq(registrations.id, id));
  return row;
}
