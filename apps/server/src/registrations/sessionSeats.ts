// Seats in sessions (a workshop, a table) held by confirmed event registrations: taken first come
// first served, waitlisted when full, refilled from the waitlist when given back. Same lock as the
// event's registrations, so both kinds of seat change in one order.
import { and, agendaSessions, eq, sessionRegistrations, type Tx } from "@convivio/db";
import { ErrorCode } from "@convivio/protocol";
import { HttpError } from "../http/problem.js";
import {
  addMessage,
  nextArrival,
  promoteSessionWaitlist,
  recordChange,
  seatWaitlistPosition,
  sessionSeatsTaken,
  setSeatStatus,
  type ChangeActor,
  type SeatRow,
} from "./ledger.js";
import { seatsLeft } from "./rules.js";
import type { RegistrationService } from "./service.js";

/** Takes a seat (or a waitlist place) in a session for a confirmed event registration. */
export async function joinSession(
  service: RegistrationService,
  registrationId: string,
  sessionId: string,
  actor: ChangeActor,
): Promise<{ seat: SeatRow; waitlistPosition: number | null }> {
  return service.run(async (ledger) => {
    const { tx, now } = ledger;
    const { event, registration } = await service.lockedRegistration(tx, registrationId);
    const session = await sessionOf(tx, event.id, sessionId);
    if (!session.registrationEnabled) {
      throw new HttpError(ErrorCode.registrationClosed, "This session takes no registrations");
    }
    if (session.endsAt <= now) throw new HttpError(ErrorCode.registrationClosed, "This session is over");
    if (registration.status !== "confirmed") {
      throw new HttpError(ErrorCode.conflict, "A session seat needs a confirmed registration for the event");
    }
    const [existing] = await tx
      .select()
      .from(sessionRegistrations)
      .where(
        and(
          eq(sessionRegistrations.sessionId, sessionId),
          eq(sessionRegistrations.registrationId, registrationId),
        ),
      );
    if (existing && existing.status !== "cancelled") {
      return { seat: existing, waitlistPosition: await seatWaitlistPosition(tx, existing) };
    }
    const left = seatsLeft(session.capacity, await sessionSeatsTaken(tx, sessionId));
    const status =
      left === null || left > 0 ? "confirmed" : session.waitlistEnabled ? "waitlisted" : undefined;
    if (!status) throw new HttpError(ErrorCode.capacityReached, "The session is full and has no waitlist");
    const fields = {
      status,
      arrival: nextArrival,
      waitlistOrder: status === "waitlisted" ? nextArrival : null,
      updatedAt: now,
    } as const;
    const [seat] = existing
      ? await tx
          .update(sessionRegistrations)
          .set(fields)
          .where(eq(sessionRegistrations.id, existing.id))
          .returning()
      : await tx
          .insert(sessionRegistrations)
          .values({ ...fields, sessionId, registrationId, createdAt: now })
          .returning();
    await recordChange(ledger, {
      registrationId,
      sessionId,
      from: existing?.status ?? null,
      to: status,
      actor,
    });
    await addMessage(
      ledger,
      registrationId,
      status === "confirmed" ? "session_confirmed" : "session_waitlisted",
      {
        sessionId,
      },
    );
    ledger.effects.reminders.add(registrationId);
    return { seat: seat!, waitlistPosition: await seatWaitlistPosition(tx, seat!) };
  });
}

/** Gives a session seat back; the session's first waiting person moves in. */
export async function leaveSession(
  service: RegistrationService,
  registrationId: string,
  sessionId: string,
  actor: ChangeActor,
): Promise<SeatRow> {
  return service.run(async (ledger) => {
    const { tx } = ledger;
    const { event } = await service.lockedRegistration(tx, registrationId);
    const session = await sessionOf(tx, event.id, sessionId);
    const [seat] = await tx
      .select()
      .from(sessionRegistrations)
      .where(
        and(
          eq(sessionRegistrations.sessionId, sessionId),
          eq(sessionRegistrations.registrationId, registrationId),
        ),
      );
    if (!seat) throw new HttpError(ErrorCode.notFound, "No seat in this session");
    if (seat.status === "cancelled") return seat;
    const updated = await setSeatStatus(ledger, seat, "cancelled", actor);
    await promoteSessionWaitlist(ledger, session);
    return updated;
  });
}

async function sessionOf(tx: Tx, eventId: string, sessionId: string) {
  const [session] = await tx
    .select()
    .from(agendaSessions)
    .where(and(eq(agendaSessions.id, sessionId), eq(agendaSessions.eventId, eventId)));
  if (!session) throw new HttpError(ErrorCode.notFound, "No such session in this event");
  return session;
}
