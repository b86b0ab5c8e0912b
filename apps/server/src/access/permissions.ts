import {
  and,
  eq,
  eventMembers,
  events,
  gt,
  registrationLinks,
  registrations,
  sql,
  type AnyColumn,
  type Db,
} from "@convivio/db";
import { ErrorCode, Permission, rolesAllow, type EventRole } from "@convivio/protocol";
import { HttpError } from "../http/problem.js";
import type { Actor } from "../auth/actor.js";
import { hashToken } from "../auth/secrets.js";

export type EventRow = typeof events.$inferSelect;

/** The roles a person holds in one event. */
export async function rolesIn(db: Db, eventId: string, userId: string): Promise<EventRole[]> {
  const rows = await db
    .select({ role: eventMembers.role })
    .from(eventMembers)
    .where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.userId, userId)));
  return rows.map((r) => r.role);
}

/**
 * The roles of `userId` in the event whose id is `eventId` (a column of the select it is part of),
 * as one more field of that select: the lookups that find an event (a board's, a session's) read
 * the caller's roles in the same round trip instead of a second one.
 */
export function rolesOf(eventId: AnyColumn, userId: string) {
  return sql<EventRole[]>`coalesce((select json_agg(${eventMembers.role}) from ${eventMembers}
    where ${eventMembers.eventId} = ${eventId} and ${eventMembers.userId} = ${userId}), '[]'::json)`.mapWith(
    (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value) as EventRole[],
  );
}

/**
 * The one permission check every route and socket handler uses. Drafts are invisible (404) to
 * anyone outside the event's team, so their existence does not leak; other refusals are 403.
 * `knownRoles`: the actor's roles in the event when the caller read them already (rolesOf).
 */
export async function authorizeEvent(
  db: Db,
  actor: Actor | null,
  event: EventRow,
  permission: Permission,
  knownRoles?: EventRole[],
): Promise<EventRole[]> {
  const roles = actor ? (knownRoles ?? (await rolesIn(db, event.id, actor.user.id))) : [];
  const isDraft = event.visibility === "draft";
  if (isDraft && !rolesAllow(roles, Permission.viewDraft)) throw new HttpError(ErrorCode.notFound);
  if (permission === Permission.viewEvent) return roles;
  if (!actor) throw new HttpError(ErrorCode.unauthenticated);
  if (!rolesAllow(roles, permission)) throw new HttpError(ErrorCode.forbidden);
  return roles;
}

/** Reads of an event by slug in flight, per database handle (a transaction's reads are its own). */
const readsInFlight = new WeakMap<Db, Map<string, Promise<EventRow | undefined>>>();

/**
 * The event with this slug. Lookups of one slug that arrive while its row is being read share that
 * read: a rush of people opening the registration form reads the event once per round trip instead
 * of once each (docs/performance.md; registering itself does not read it, see `eventIdBySlug`). So a
 * caller may get the row as it was a moment before it asked, never older than one round trip. A
 * shared row is frozen: nobody changes what another caller holds.
 */
export async function findEventBySlug(db: Db, slug: string): Promise<EventRow> {
  let reads = readsInFlight.get(db);
  if (!reads) readsInFlight.set(db, (reads = new Map()));
  let read = reads.get(slug);
  if (!read) {
    const shared = reads;
    read = db
      .select()
      .from(events)
      .where(eq(events.slug, slug))
      .then(([row]) => (row ? Object.freeze(row) : undefined))
      .finally(() => shared.delete(slug));
    reads.set(slug, read);
  }
  const event = await read;
  if (!event) throw new HttpError(ErrorCode.notFound);
  return event;
}

/** Event ids by slug, per database handle, for lookups that check the slug again under the event's lock. */
const idsBySlug = new WeakMap<Db, Map<string, string>>();
/** More slugs than this and the map starts again (it only saves reads; a miss reads the row). */
const IDS_BY_SLUG_MAX = 10_000;

/**
 * The id of the event that had this slug when it was last read here (`fresh`: read it now). For a
 * caller that reads the event's row again under its lock and checks the slug there (a slug can be
 * changed): a registration storm then reads no event row per request at all (docs/performance.md).
 */
export async function eventIdBySlug(db: Db, slug: string, fresh = false): Promise<string> {
  let ids = idsBySlug.get(db);
  if (!ids) idsBySlug.set(db, (ids = new Map()));
  const known = fresh ? undefined : ids.get(slug);
  if (known) return known;
  const event = await findEventBySlug(db, slug);
  if (ids.size >= IDS_BY_SLUG_MAX) ids.clear();
  ids.set(slug, event.id);
  return event.id;
}

export type RegistrationRow = typeof registrations.$inferSelect;

/** Who is acting on a registration: its owner (signed in, or holding an emailed link) or an organizer. */
export type RegistrationAccess = "owner" | "organizer";

const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The permission check of every route about one registration. The owner is the signed-in person it
 * belongs to, or whoever holds an unexpired token of one of its emailed links; organizers need
 * `registrations.manage` on its event. Anyone else gets 404, so registration ids reveal nothing.
 */
export async function authorizeRegistration(
  db: Db,
  actor: Actor | null,
  registrationId: string,
  token: string | undefined,
  now: Date,
): Promise<{ registration: RegistrationRow; event: EventRow; access: RegistrationAccess }> {
  const [found] = await db
    .select({ registration: registrations, event: events })
    .from(registrations)
    .innerJoin(events, eq(events.id, registrations.eventId))
    .where(eq(registrations.id, registrationId));
  if (!found) throw new HttpError(ErrorCode.notFound);
  const { registration, event } = found;
  if (token !== undefined && LINK_TOKEN.test(token)) {
    const [link] = await db
      .select({ id: registrationLinks.id })
      .from(registrationLinks)
      .where(
        and(
          eq(registrationLinks.tokenHash, hashToken(token)),
          eq(registrationLinks.registrationId, registration.id),
          gt(registrationLinks.expiresAt, now),
        ),
      );
    if (link) return { registration, event, access: "owner" };
  }
  if (actor && registration.userId === actor.user.id) return { registration, event, access: "owner" };
  if (actor && rolesAllow(await rolesIn(db, event.id, actor.user.id), Permission.manageRegistrations)) {
    return { registration, event, access: "organizer" };
  }
  throw new HttpError(ErrorCode.notFound);
}
