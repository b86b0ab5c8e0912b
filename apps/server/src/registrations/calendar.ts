// The calendar of one registration: the event and each session seat, with statuses a calendar
// understands (confirmed, tentative while waiting or pending, cancelled). Every file is a PUBLISH
// of the same UIDs, so a later file replaces the copy a calendar holds: its SEQUENCE follows the
// last change of whatever the entry shows (the event or session, the registration, the seat).
import {
  agendaSessions,
  asc,
  eq,
  events,
  inArray,
  registrations,
  sessionRegistrations,
  spaces,
  sql,
  type Db,
} from "@convivio/db";
import { buildCalendar, sequenceOf, type CalendarEntry } from "./ics.js";

export interface RegistrationContext {
  registration: typeof registrations.$inferSelect;
  event: typeof events.$inferSelect;
  seats: {
    seat: typeof sessionRegistrations.$inferSelect;
    session: typeof agendaSessions.$inferSelect;
    spaceName: string | null;
  }[];
}

/** The public page of an event (the web app's route). */
export const eventPageUrl = (publicUrl: string, slug: string) => `${publicUrl}/e/${slug}`;

/** A registration with its event and its session seats (with their sessions and spaces). */
export async function loadRegistrationContext(
  db: Db,
  registrationId: string,
): Promise<RegistrationContext | undefined> {
  return (await loadRegistrationContexts(db, [registrationId])).get(registrationId);
}

/**
 * Several registrations' contexts in at most two statements (the emails of a batch of registrations
 * are sent together); by registration id, missing ones left out.
 */
export async function loadRegistrationContexts(
  db: Db,
  registrationIds: readonly string[],
): Promise<Map<string, RegistrationContext>> {
  const ids = [...new Set(registrationIds)];
  const found = ids.length
    ? await db
        .select({
          registration: registrations,
          event: events,
          // Most registrations hold no session seat: then the second statement is not needed.
          hasSeats: sql<boolean>`exists (select 1 from ${sessionRegistrations}
            where ${sessionRegistrations.registrationId} = ${registrations.id})`,
        })
        .from(registrations)
        .innerJoin(events, eq(events.id, registrations.eventId))
        .where(inArray(registrations.id, ids))
    : [];
  const contexts = new Map<string, RegistrationContext>(
    found.map(({ registration, event }) => [registration.id, { registration, event, seats: [] }]),
  );
  const withSeats = found.filter((row) => row.hasSeats).map((row) => row.registration.id);
  if (withSeats.length === 0) return contexts;
  const seats = await db
    .select({ seat: sessionRegistrations, session: agendaSessions, spaceName: spaces.name })
    .from(sessionRegistrations)
    .innerJoin(agendaSessions, eq(agendaSessions.id, sessionRegistrations.sessionId))
    .leftJoin(spaces, eq(spaces.id, agendaSessions.spaceId))
    .where(inArray(sessionRegistrations.registrationId, withSeats))
    .orderBy(asc(agendaSessions.startsAt));
  for (const seat of seats) contexts.get(seat.seat.registrationId)?.seats.push(seat);
  return contexts;
}

const DESCRIPTION_MAX_CHARS = 1500;

const latest = (...dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));

/**
 * The SEQUENCE of an entry last changed at `changedAt`. A cancelled entry goes one higher, so the
 * cancellation outranks a confirmation sent in the same second (SEQUENCE counts seconds).
 */
export const sequenceFor = (changedAt: Date, status: CalendarEntry["status"]) =>
  sequenceOf(changedAt) + (status === "CANCELLED" ? 1 : 0);

/**
 * The .ics of a registration; `extra` adds entries (a cancelled session that no longer exists).
 * It links the public event page, never a tokened link: calendar entries get forwarded and shared.
 */
export function registrationCalendar(
  ctx: RegistrationContext,
  now: Date,
  options: { eventUrl?: string; extra?: CalendarEntry[] } = {},
): string {
  const { registration, event } = ctx;
  const footer = options.eventUrl ? `\n\n${options.eventUrl}` : "";
  const eventStatus =
    registration.status === "confirmed"
      ? "CONFIRMED"
      : registration.status === "cancelled" || registration.status === "rejected"
        ? "CANCELLED"
        : "TENTATIVE";
  const entries: CalendarEntry[] = [
    {
      uid: `event-${event.id}@convivio`,
      title: event.title,
      description: event.description.slice(0, DESCRIPTION_MAX_CHARS) + footer,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      sequence: sequenceFor(latest(event.updatedAt, registration.updatedAt), eventStatus),
      status: eventStatus,
      ...(options.eventUrl ? { url: options.eventUrl } : {}),
    },
  ];
  // A seat given back stays in the file as CANCELLED (its SEQUENCE one higher than the seat's last
  // change): the attendee's calendar still holds the entry an earlier email put there.
  for (const { seat, session, spaceName } of ctx.seats) {
    const status =
      eventStatus === "CANCELLED" || seat.status === "cancelled"
        ? "CANCELLED"
        : seat.status === "confirmed"
          ? eventStatus
          : "TENTATIVE";
    entries.push({
      uid: `session-${session.id}@convivio`,
      title: `${session.title} · ${event.title}`,
      description: session.description.slice(0, DESCRIPTION_MAX_CHARS) + footer,
      ...(spaceName ? { location: spaceName } : {}),
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      sequence: sequenceFor(latest(session.updatedAt, seat.updatedAt, registration.updatedAt), status),
      status,
    });
  }
  entries.push(...(options.extra ?? []));
  return buildCalendar({ name: event.title, timeZone: event.timeZone, entries, now });
}
