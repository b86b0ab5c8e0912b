// Status changes inside one transaction that holds the event's row lock. Every change of a
// registration or a session seat goes through here, so each one is recorded in the history, keeps
// the attendee role in step, frees and refills seats first come first served, and leaves the
// messages and reminder updates to do once the transaction has committed.
import {
  and,
  agendaSessions,
  asc,
  count,
  eq,
  eventMembers,
  events,
  inArray,
  registrationHistory,
  registrationMessages,
  registrations,
  sessionRegistrations,
  sql,
  type Db,
  type Tx,
} from "@convivio/db";
import { ErrorCode } from "@convivio/protocol";
import { HttpError } from "../http/problem.js";

export type EventRow = typeof events.$inferSelect;
export type RegistrationRow = typeof registrations.$inferSelect;
export type SessionRow = typeof agendaSessions.$inferSelect;
export type SeatRow = typeof sessionRegistrations.$inferSelect;
export type Status = RegistrationRow["status"];
export type SeatStatus = SeatRow["status"];

/** Messages a registrant can be owed; the mail job renders each kind. */
export type MessageKind =
  | "confirmed"
  | "waitlisted"
  | "pending"
  | "promoted"
  | "approved"
  | "rejected"
  | "cancelled"
  | "session_confirmed"
  | "session_waitlisted"
  | "session_promoted"
  | "session_moved"
  | "session_cancelled"
  | "event_moved"
  | "announcement";

export interface ChangeActor {
  kind: "attendee" | "organizer" | "system";
  userId: string | null;
}

export const SYSTEM: ChangeActor = { kind: "system", userId: null };

/** Work to do after commit: send these messages, bring these registrations' reminders up to date. */
export class Effects {
  readonly messages: string[] = [];
  readonly reminders = new Set<string>();
  /** Reminders of seats whose session is gone (nothing left in the database to plan from). */
  readonly droppedSeats: { registrationId: string; sessionId: string }[] = [];
}

/** One transaction's context: the transaction, its clock reading, and the effects it collects. */
export interface Ledger {
  tx: Tx;
  now: Date;
  effects: Effects;
}

/** The next value of the arrival sequence, taken under the event lock so it follows lock order. */
export const nextArrival = sql<number>`nextval('registration_order_seq')`;

/**
 * Locks the event's row until the transaction ends: every registration change of an event takes
 * this lock first, so seat counts read after it stay true until commit, on every process.
 */
export async function lockEvent(tx: Tx, eventId: string): Promise<EventRow> {
  const [row] = await tx.select().from(events).where(eq(events.id, eventId)).for("update");
  if (!row) throw new HttpError(ErrorCode.notFound);
  return row;
}

/** Confirmed registrations holding one of the event's seats (those admitted beyond capacity do not). */
export async function seatsTaken(tx: Db, eventId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(registrations)
    .where(
      and(
        eq(registrations.eventId, eventId),
        eq(registrations.status, "confirmed"),
        eq(registrations.overCapacity, false),
      ),
    );
  return row?.n ?? 0;
}

/** Seats taken and people waiting, in one query (the hot path of registering). */
export async function seatCounts(tx: Db, eventId: string): Promise<{ taken: number; waiting: number }> {
  const [row] = await tx
    .select({
      taken:
        sql<number>`count(*) filter (where ${registrations.status} = 'confirmed' and not ${registrations.overCapacity})`.mapWith(
          Number,
        ),
      waiting: sql<number>`count(*) filter (where ${registrations.status} = 'waitlisted')`.mapWith(Number),
    })
    .from(registrations)
    .where(eq(registrations.eventId, eventId));
  return { taken: row?.taken ?? 0, waiting: row?.waiting ?? 0 };
}

export async function sessionSeatsTaken(tx: Db, sessionId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(sessionRegistrations)
    .where(and(eq(sessionRegistrations.sessionId, sessionId), eq(sessionRegistrations.status, "confirmed")));
  return row?.n ?? 0;
}

/** Stores a message owed to a registrant; it is sent by a job after commit. */
export async function addMessage(
  ledger: Ledger,
  registrationId: string,
  kind: MessageKind,
  data: Record<string, unknown> = {},
): Promise<void> {
  const [row] = await ledger.tx
    .insert(registrationMessages)
    .values({ registrationId, kind, data, createdAt: ledger.now })
    .returning({ id: registrationMessages.id });
  ledger.effects.messages.push(row!.id);
}

/** The same message to many registrants (a moved session, an announcement), in a few inserts. */
export async function addMessages(
  ledger: Ledger,
  registrationIds: readonly string[],
  kind: MessageKind,
  data: Record<string, unknown> = {},
): Promise<void> {
  const CHUNK = 1000;
  for (let i = 0; i < registrationIds.length; i += CHUNK) {
    const rows = await ledger.tx
      .insert(registrationMessages)
      .values(
        registrationIds
          .slice(i, i + CHUNK)
          .map((registrationId) => ({ registrationId, kind, data, createdAt: ledger.now })),
      )
      .returning({ id: registrationMessages.id });
    ledger.effects.messages.push(...rows.map((r) => r.id));
  }
}

export async function recordChange(
  ledger: Ledger,
  change: {
    registrationId: string;
    sessionId?: string | null;
    from: string | null;
    to: string;
    actor: ChangeActor;
    reason?: string | null;
  },
): Promise<void> {
  await ledger.tx.insert(registrationHistory).values({
    registrationId: change.registrationId,
    sessionId: change.sessionId ?? null,
    fromStatus: change.from,
    toStatus: change.to,
    actor: change.actor.kind,
    actorUserId: change.actor.userId,
    reason: change.reason ?? null,
    createdAt: ledger.now,
  });
}

/** A confirmed registration makes its person an attendee of the event; leaving confirmed undoes it. */
export async function syncAttendeeRole(ledger: Ledger, registration: RegistrationRow, status: Status) {
  if (!registration.userId) return;
  if (status === "confirmed") {
    await ledger.tx
      .insert(eventMembers)
      .values({ eventId: registration.eventId, userId: registration.userId, role: "attendee" })
      .onConflictDoNothing();
  } else {
    await ledger.tx
      .delete(eventMembers)
      .where(
        and(
          eq(eventMembers.eventId, registration.eventId),
          eq(eventMembers.userId, registration.userId),
          eq(eventMembers.role, "attendee"),
        ),
      );
  }
}

/**
 * Moves a registration to `to`, with its history row and message. Leaving "confirmed" gives back
 * its session seats (refilled from their waitlists); the caller refills the event's seats.
 */
export async function setRegistrationStatus(
  ledger: Ledger,
  registration: RegistrationRow,
  to: Status,
  actor: ChangeActor,
  options: { reason?: string | null; message?: MessageKind | null; overCapacity?: boolean } = {},
): Promise<RegistrationRow> {
  const [updated] = await ledger.tx
    .update(registrations)
    .set({
      status: to,
      waitlistOrder: to === "waitlisted" ? nextArrival : null,
      overCapacity: to === "confirmed" ? (options.overCapacity ?? false) : false,
      updatedAt: ledger.now,
    })
    .where(eq(registrations.id, registration.id))
    .returning();
  await recordChange(ledger, {
    registrationId: registration.id,
    from: registration.status,
    to,
    actor,
    reason: options.reason ?? null,
  });
  if ((registration.status === "confirmed") !== (to === "confirmed")) {
    await syncAttendeeRole(ledger, registration, to);
  }
  if (registration.status === "confirmed" && to !== "confirmed") {
    await releaseSeats(ledger, registration.id, actor);
  }
  if (options.message) await addMessage(ledger, registration.id, options.message);
  ledger.effects.reminders.add(registration.id);
  return updated!;
}

/** Cancels every session seat of a registration that is no longer confirmed, refilling each session. */
async function releaseSeats(ledger: Ledger, registrationId: string, actor: ChangeActor) {
  const seats = await ledger.tx
    .select()
    .from(sessionRegistrations)
    .where(
      and(
        eq(sessionRegistrations.registrationId, registrationId),
        inArray(sessionRegistrations.status, ["confirmed", "waitlisted"]),
      ),
    );
  for (const seat of seats) {
    await setSeatStatus(ledger, seat, "cancelled", actor, { reason: "event registration ended" });
  }
  const sessionIds = [...new Set(seats.filter((s) => s.status === "confirmed").map((s) => s.sessionId))];
  if (sessionIds.length === 0) return;
  const sessions = await ledger.tx
    .select()
    .from(agendaSessions)
    .where(inArray(agendaSessions.id, sessionIds))
    .orderBy(asc(agendaSessions.id));
  for (const session of sessions) await promoteSessionWaitlist(ledger, session);
}

/**
 * Fills free seats from the waitlist, first come first served, in this transaction. With no
 * capacity any more, everyone waiting moves in. Once the event has ended a seat is no use to
 * anyone, so nobody is promoted ("a seat is yours" for a past event). Returns who was promoted.
 */
export async function promoteEventWaitlist(ledger: Ledger, event: EventRow): Promise<RegistrationRow[]> {
  if (ledger.now >= event.endsAt) return [];
  let limit: number | undefined;
  if (event.capacity !== null) {
    limit = event.capacity - (await seatsTaken(ledger.tx, event.id));
    if (limit <= 0) return [];
  }
  const query = ledger.tx
    .select()
    .from(registrations)
    .where(and(eq(registrations.eventId, event.id), eq(registrations.status, "waitlisted")))
    .orderBy(asc(registrations.waitlistOrder));
  const waiting = limit === undefined ? await query : await query.limit(limit);
  const promoted: RegistrationRow[] = [];
  for (const registration of waiting) {
    promoted.push(
      await setRegistrationStatus(ledger, registration, "confirmed", SYSTEM, {
        reason: "a seat became free",
        message: "promoted",
      }),
    );
  }
  return promoted;
}

export async function setSeatStatus(
  ledger: Ledger,
  seat: SeatRow,
  to: SeatStatus,
  actor: ChangeActor,
  options: { reason?: string | null; message?: MessageKind | null } = {},
): Promise<SeatRow> {
  const [updated] = await ledger.tx
    .update(sessionRegistrations)
    .set({
      status: to,
      waitlistOrder: to === "waitlisted" ? nextArrival : null,
      updatedAt: ledger.now,
    })
    .where(eq(sessionRegistrations.id, seat.id))
    .returning();
  await recordChange(ledger, {
    registrationId: seat.registrationId,
    sessionId: seat.sessionId,
    from: seat.status,
    to,
    actor,
    reason: options.reason ?? null,
  });
  if (options.message) {
    await addMessage(ledger, seat.registrationId, options.message, { sessionId: seat.sessionId });
  }
  ledger.effects.reminders.add(seat.registrationId);
  return updated!;
}

/** Fills a session's free seats from its waitlist, first come first served; nobody once it has ended. */
export async function promoteSessionWaitlist(ledger: Ledger, session: SessionRow): Promise<SeatRow[]> {
  if (ledger.now >= session.endsAt) return [];
  let limit: number | undefined;
  if (session.capacity !== null) {
    limit = session.capacity - (await sessionSeatsTaken(ledger.tx, session.id));
    if (limit <= 0) return [];
  }
  const query = ledger.tx
    .select()
    .from(sessionRegistrations)
    .where(and(eq(sessionRegistrations.sessionId, session.id), eq(sessionRegistrations.status, "waitlisted")))
    .orderBy(asc(sessionRegistrations.waitlistOrder));
  const waiting = limit === undefined ? await query : await query.limit(limit);
  const promoted: SeatRow[] = [];
  for (const seat of waiting) {
    promoted.push(
      await setSeatStatus(ledger, seat, "confirmed", SYSTEM, {
        reason: "a seat became free",
        message: "session_promoted",
      }),
    );
  }
  return promoted;
}

/** 1-based place in the event's waitlist, or null when not waiting. */
export async function waitlistPosition(tx: Db, registration: RegistrationRow): Promise<number | null> {
  if (registration.status !== "waitlisted" || registration.waitlistOrder === null) return null;
  const [row] = await tx
    .select({ n: count() })
    .from(registrations)
    .where(
      and(
        eq(registrations.eventId, registration.eventId),
        eq(registrations.status, "waitlisted"),
        sql`${registrations.waitlistOrder} <= ${registration.waitlistOrder}`,
      ),
    );
  return row?.n ?? null;
}

export async function seatWaitlistPosition(tx: Db, seat: SeatRow): Promise<number | null> {
  if (seat.status !== "waitlisted" || seat.waitlistOrder === null) return null;
  const [row] = await tx
    .select({ n: count() })
    .from(sessionRegistrations)
    .where(
      and(
        eq(sessionRegistrations.sessionId, seat.sessionId),
        eq(sessionRegistrations.status, "waitlisted"),
        sql`${sessionRegistrations.waitlistOrder} <= ${seat.waitlistOrder}`,
      ),
    );
  return row?.n ?? null;
}
