// Events and sessions as the protocol shows them: the public page, the session page, the editor.
import { agendaSessions, and, asc, eq, sessionPeople, spaces, users, type Db } from "@convivio/db";
import {
  formatLocalDateTime,
  type EventDetail,
  type EventId,
  type EventRole,
  type EventSummary,
  type SessionDetail,
  type SessionId,
  type SessionPerson,
  type SpaceId,
  type UserId,
} from "@convivio/protocol";
import type { EventRow } from "../access/permissions.js";
import { sessionSeatsTaken, type SessionRow } from "../registrations/ledger.js";
import { hasCover } from "./cover.js";
import { renderMarkdown } from "./markdown.js";

export function eventSummary(event: EventRow, roles: EventRole[]): EventSummary {
  return {
    id: event.id as EventId,
    slug: event.slug,
    title: event.title,
    timeZone: event.timeZone,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    visibility: event.visibility,
    roles,
  };
}

/** An event with its spaces and agenda, as the public page and the editor show it. */
export async function eventDetail(db: Db, event: EventRow, roles: EventRole[]): Promise<EventDetail> {
  const [spaceRows, sessionRows, speakerRows, cover] = await Promise.all([
    db.select().from(spaces).where(eq(spaces.eventId, event.id)).orderBy(asc(spaces.position)),
    db
      .select()
      .from(agendaSessions)
      .where(eq(agendaSessions.eventId, event.id))
      .orderBy(asc(agendaSessions.startsAt)),
    // Every session's speakers in one query, not one per session.
    db
      .select({ sessionId: sessionPeople.sessionId, userId: users.id, name: users.name })
      .from(sessionPeople)
      .innerJoin(agendaSessions, eq(agendaSessions.id, sessionPeople.sessionId))
      .innerJoin(users, eq(users.id, sessionPeople.userId))
      .where(and(eq(agendaSessions.eventId, event.id), eq(sessionPeople.role, "speaker")))
      .orderBy(asc(users.name)),
    hasCover(db, event.id),
  ]);
  const speakersOf = new Map<string, SessionPerson[]>();
  for (const row of speakerRows) {
    const list = speakersOf.get(row.sessionId) ?? [];
    list.push({ userId: row.userId as UserId, name: row.name });
    speakersOf.set(row.sessionId, list);
  }
  return {
    ...eventSummary(event, roles),
    description: event.description,
    descriptionHtml: renderMarkdown(event.description),
    coverUrl: cover ? `/api/events/${event.slug}/cover?v=${event.updatedAt.getTime()}` : null,
    languages: event.languages.filter((l): l is "it" | "en" => l === "it" || l === "en"),
    spaces: spaceRows.map((s) => ({ id: s.id as SpaceId, name: s.name, position: s.position })),
    sessions: sessionRows.map((s) => ({
      id: s.id as SessionId,
      spaceId: s.spaceId as SpaceId | null,
      title: s.title,
      description: s.description,
      descriptionHtml: renderMarkdown(s.description),
      kind: s.kind,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      speakers: speakersOf.get(s.id) ?? [],
    })),
  };
}

/** A session as its page and the editor show it. */
export async function sessionDetail(db: Db, event: EventRow, session: SessionRow): Promise<SessionDetail> {
  const [people, taken] = await Promise.all([
    db
      .select({ userId: sessionPeople.userId, role: sessionPeople.role, name: users.name })
      .from(sessionPeople)
      .innerJoin(users, eq(users.id, sessionPeople.userId))
      .where(eq(sessionPeople.sessionId, session.id))
      .orderBy(asc(users.name)),
    session.registrationEnabled ? sessionSeatsTaken(db, session.id) : Promise.resolve(null),
  ]);
  const person = (role: "speaker" | "facilitator") =>
    people.filter((p) => p.role === role).map((p) => ({ userId: p.userId as UserId, name: p.name }));
  return {
    id: session.id as SessionId,
    spaceId: session.spaceId as SpaceId | null,
    title: session.title,
    description: session.description,
    descriptionHtml: renderMarkdown(session.description),
    kind: session.kind,
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt.toISOString(),
    localStartsAt: formatLocalDateTime(session.startsAt.getTime(), event.timeZone),
    localEndsAt: formatLocalDateTime(session.endsAt.getTime(), event.timeZone),
    timeZone: event.timeZone,
    capacity: session.capacity,
    registrationEnabled: session.registrationEnabled,
    waitlist: session.waitlistEnabled,
    speakers: person("speaker"),
    facilitators: person("facilitator"),
    seatsTaken: taken,
  };
}
