// Creating and editing events and sessions (spaces are in spaces.ts). Times arrive as wall-clock times in the event's
// zone and are stored in UTC. A change that moves or cancels what people registered for runs under
// the event lock, tells them (stored messages) and moves their reminders, like registrations do.
import {
  agendaSessions,
  and,
  eq,
  eventMembers,
  events,
  inArray,
  isUniqueViolation,
  registrationHistory,
  registrations,
  sessionPeople,
  sessionRegistrations,
  spaces,
  type Db,
  type Tx,
} from "@convivio/db";
import {
  ErrorCode,
  EVENT_LIMITS,
  type CreateEventBody,
  type CreateSessionBody,
  type ScheduleWarning,
  type UpdateEventBody,
  type UpdateSessionBody,
} from "@convivio/protocol";
import type { z } from "zod";
import { HttpError } from "../http/problem.js";
import {
  addMessages,
  lockEvent,
  promoteSessionWaitlist,
  recordChange,
  sessionSeatsTaken,
  type ChangeActor,
  type EventRow,
  type SessionRow,
} from "../registrations/ledger.js";
import type { RegistrationService } from "../registrations/service.js";
import { localToDate } from "../registrations/settings.js";
import { scheduleWarnings, type ScheduledSession } from "./schedule.js";

type CreateEventInput = z.output<typeof CreateEventBody>;
type UpdateEventInput = z.output<typeof UpdateEventBody>;
type CreateSessionInput = z.output<typeof CreateSessionBody>;
type UpdateSessionInput = z.output<typeof UpdateSessionBody>;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function checkSpan(startsAt: Date, endsAt: Date, maxMs: number, what: string): void {
  if (endsAt <= startsAt) {
    throw new HttpError(ErrorCode.validationFailed, `The end of ${what} must be after its start`, [
      { path: "endsAt", message: "must be after the start" },
    ]);
  }
  if (endsAt.getTime() - startsAt.getTime() > maxMs) {
    throw new HttpError(ErrorCode.validationFailed, `${what} is too long`, [
      { path: "endsAt", message: "too long" },
    ]);
  }
}

export class EventEditor {
  constructor(
    private readonly db: Db,
    private readonly registrations: RegistrationService,
  ) {}

  /** A new draft event; its creator becomes its organizer. */
  async createEvent(userId: string, input: CreateEventInput, now: Date): Promise<EventRow> {
    const startsAt = localToDate(input.startsAt, input.timeZone);
    const endsAt = localToDate(input.endsAt, input.timeZone);
    checkSpan(startsAt, endsAt, EVENT_LIMITS.eventMaxDays * DAY_MS, "the event");
    try {
      return await this.db.transaction(async (tx) => {
        const [event] = await tx
          .insert(events)
          .values({
            slug: input.slug,
            title: input.title,
            description: input.description,
            timeZone: input.timeZone,
            startsAt,
            endsAt,
            languages: input.languages,
            createdBy: userId,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await tx.insert(eventMembers).values({ eventId: event!.id, userId, role: "organizer" });
        return event!;
      });
    } catch (err) {
      if (isUniqueViolation(err, "events_slug_unique"))
        throw new HttpError(ErrorCode.conflict, "This address is taken");
      throw err;
    }
  }

  /**
   * Changes an event. New times are read in the new zone if it changes; a zone change alone keeps
   * the instants. When the dates move, every active registrant is told and reminders move.
   */
  async updateEvent(eventId: string, input: UpdateEventInput): Promise<EventRow> {
    try {
      return await this.registrations.run(async (ledger) => {
        const { tx, now } = ledger;
        const event = await lockEvent(tx, eventId);
        const timeZone = input.timeZone ?? event.timeZone;
        const startsAt = input.startsAt ? localToDate(input.startsAt, timeZone) : event.startsAt;
        const endsAt = input.endsAt ? localToDate(input.endsAt, timeZone) : event.endsAt;
        checkSpan(startsAt, endsAt, EVENT_LIMITS.eventMaxDays * DAY_MS, "the event");
        const [updated] = await tx
          .update(events)
          .set({
            ...(input.slug ? { slug: input.slug } : {}),
            ...(input.title ? { title: input.title } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.languages ? { languages: input.languages } : {}),
            timeZone,
            startsAt,
            endsAt,
            updatedAt: now,
          })
          .where(eq(events.id, eventId))
          .returning();
        const moved =
          startsAt.getTime() !== event.startsAt.getTime() || endsAt.getTime() !== event.endsAt.getTime();
        if (moved) {
          const active = await tx
            .select({ id: registrations.id, status: registrations.status })
            .from(registrations)
            .where(
              and(
                eq(registrations.eventId, eventId),
                inArray(registrations.status, ["confirmed", "waitlisted", "pending"]),
              ),
            );
          await addMessages(
            ledger,
            active.map((r) => r.id),
            "event_moved",
            { previousStartsAt: event.startsAt.toISOString(), previousEndsAt: event.endsAt.toISOString() },
          );
          for (const r of active) if (r.status === "confirmed") ledger.effects.reminders.add(r.id);
        }
        return updated!;
      });
    } catch (err) {
      if (isUniqueViolation(err, "events_slug_unique"))
        throw new HttpError(ErrorCode.conflict, "This address is taken");
      throw err;
    }
  }

  async setVisibility(eventId: string, visibility: EventRow["visibility"], now: Date): Promise<EventRow> {
    const [row] = await this.db
      .update(events)
      .set({ visibility, updatedAt: now })
      .where(eq(events.id, eventId))
      .returning();
    return row!;
  }

  /** Checks that the space belongs to the event and the people are on its team. */
  private async checkRefs(
    tx: Db,
    eventId: string,
    input: {
      spaceId?: string | null | undefined;
      speakerIds?: string[] | undefined;
      facilitatorIds?: string[] | undefined;
    },
  ): Promise<void> {
    if (input.spaceId) {
      const [space] = await tx
        .select({ id: spaces.id })
        .from(spaces)
        .where(and(eq(spaces.id, input.spaceId), eq(spaces.eventId, eventId)));
      if (!space) {
        throw new HttpError(ErrorCode.validationFailed, "No such space in this event", [
          { path: "spaceId", message: "no such space in this event" },
        ]);
      }
    }
    const people = [...(input.speakerIds ?? []), ...(input.facilitatorIds ?? [])];
    if (people.length === 0) return;
    const team = await tx
      .select({ userId: eventMembers.userId })
      .from(eventMembers)
      .where(
        and(
          eq(eventMembers.eventId, eventId),
          inArray(eventMembers.userId, people),
          inArray(eventMembers.role, ["organizer", "facilitator", "speaker"]),
        ),
      );
    const known = new Set(team.map((t) => t.userId));
    const issues = [
      ...(input.speakerIds ?? []).flatMap((id, i) =>
        known.has(id)
          ? []
          : [{ path: `speakerIds.${i}`, message: "not on this event's team: invite them first" }],
      ),
      ...(input.facilitatorIds ?? []).flatMap((id, i) =>
        known.has(id)
          ? []
          : [{ path: `facilitatorIds.${i}`, message: "not on this event's team: invite them first" }],
      ),
    ];
    if (issues.length > 0) throw new HttpError(ErrorCode.validationFailed, "Unknown people", issues);
  }

  private async setPeople(
    tx: Tx,
    sessionId: string,
    role: "speaker" | "facilitator",
    ids: readonly string[],
  ) {
    await tx
      .delete(sessionPeople)
      .where(and(eq(sessionPeople.sessionId, sessionId), eq(sessionPeople.role, role)));
    if (ids.length > 0)
      await tx.insert(sessionPeople).values(ids.map((userId) => ({ sessionId, userId, role })));
  }

  async createSession(event: EventRow, input: CreateSessionInput): Promise<SessionRow> {
    const startsAt = localToDate(input.startsAt, event.timeZone);
    const endsAt = localToDate(input.endsAt, event.timeZone);
    checkSpan(startsAt, endsAt, EVENT_LIMITS.sessionMaxHours * HOUR_MS, "the session");
    return this.registrations.run(async ({ tx, now }) => {
      await lockEvent(tx, event.id);
      await this.checkRefs(tx, event.id, input);
      const [session] = await tx
        .insert(agendaSessions)
        .values({
          eventId: event.id,
          spaceId: input.spaceId,
          title: input.title,
          description: input.description,
          kind: input.kind,
          startsAt,
          endsAt,
          capacity: input.capacity,
          registrationEnabled: input.registrationEnabled,
          waitlistEnabled: input.waitlist,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await this.setPeople(tx, session!.id, "speaker", input.speakerIds);
      await this.setPeople(tx, session!.id, "facilitator", input.facilitatorIds);
      return session!;
    });
  }

  /**
   * Changes a session. If it moves, everyone holding or waiting for a seat is told and their
   * reminders move; more seats promote from its waitlist; fewer than those taken is refused.
   */
  async updateSession(event: EventRow, sessionId: string, input: UpdateSessionInput): Promise<SessionRow> {
    return this.registrations.run(async (ledger) => {
      const { tx, now } = ledger;
      const locked = await lockEvent(tx, event.id);
      const session = await sessionIn(tx, event.id, sessionId);
      await this.checkRefs(tx, event.id, input);
      const startsAt = input.startsAt ? localToDate(input.startsAt, locked.timeZone) : session.startsAt;
      const endsAt = input.endsAt ? localToDate(input.endsAt, locked.timeZone) : session.endsAt;
      checkSpan(startsAt, endsAt, EVENT_LIMITS.sessionMaxHours * HOUR_MS, "the session");
      if (input.capacity !== undefined && input.capacity !== null) {
        const taken = await sessionSeatsTaken(tx, sessionId);
        if (input.capacity < taken) {
          throw new HttpError(
            ErrorCode.conflict,
            `Capacity cannot go below the ${taken} seats already taken`,
          );
        }
      }
      const [updated] = await tx
        .update(agendaSessions)
        .set({
          ...(input.title ? { title: input.title } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.spaceId !== undefined ? { spaceId: input.spaceId } : {}),
          ...(input.kind ? { kind: input.kind } : {}),
          ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
          ...(input.registrationEnabled !== undefined
            ? { registrationEnabled: input.registrationEnabled }
            : {}),
          ...(input.waitlist !== undefined ? { waitlistEnabled: input.waitlist } : {}),
          startsAt,
          endsAt,
          updatedAt: now,
        })
        .where(eq(agendaSessions.id, sessionId))
        .returning();
      if (input.speakerIds) await this.setPeople(tx, sessionId, "speaker", input.speakerIds);
      if (input.facilitatorIds) await this.setPeople(tx, sessionId, "facilitator", input.facilitatorIds);
      const moved =
        startsAt.getTime() !== session.startsAt.getTime() || endsAt.getTime() !== session.endsAt.getTime();
      if (moved) {
        const holders = (await seatHolders(tx, sessionId)).map((s) => s.registrationId);
        await addMessages(ledger, holders, "session_moved", {
          sessionId,
          previousStartsAt: session.startsAt.toISOString(),
          previousEndsAt: session.endsAt.toISOString(),
        });
        for (const id of holders) ledger.effects.reminders.add(id);
      }
      await promoteSessionWaitlist(ledger, updated!);
      return updated!;
    });
  }

  /**
   * Cancels a session: each seat holder's seat is recorded as cancelled (by whom, when) and they
   * are told (the message keeps its title and times); reminders go. The seat history outlives the
   * session: its rows keep the title, and their session_id goes NULL with the delete (0011).
   */
  async deleteSession(event: EventRow, sessionId: string, actor: ChangeActor): Promise<void> {
    await this.registrations.run(async (ledger) => {
      const { tx } = ledger;
      await lockEvent(tx, event.id);
      const session = await sessionIn(tx, event.id, sessionId);
      const seats = await seatHolders(tx, sessionId);
      for (const seat of seats) {
        await recordChange(ledger, {
          registrationId: seat.registrationId,
          sessionId,
          from: seat.status,
          to: "cancelled",
          actor,
          reason: "session cancelled",
        });
      }
      const holders = seats.map((s) => s.registrationId);
      await addMessages(ledger, holders, "session_cancelled", {
        sessionId,
        title: session.title,
        startsAt: session.startsAt.toISOString(),
        endsAt: session.endsAt.toISOString(),
      });
      await tx
        .update(registrationHistory)
        .set({ sessionTitle: session.title })
        .where(eq(registrationHistory.sessionId, sessionId));
      ledger.effects.droppedSeats.push(...holders.map((registrationId) => ({ registrationId, sessionId })));
      await tx.delete(agendaSessions).where(eq(agendaSessions.id, sessionId));
    });
  }

  /** Warnings about the whole schedule, or only those involving one session. */
  async warnings(event: EventRow, focus?: string): Promise<ScheduleWarning[]> {
    const [rows, people] = await Promise.all([
      this.db.select().from(agendaSessions).where(eq(agendaSessions.eventId, event.id)),
      this.db
        .select({ sessionId: sessionPeople.sessionId, userId: sessionPeople.userId })
        .from(sessionPeople)
        .innerJoin(agendaSessions, eq(agendaSessions.id, sessionPeople.sessionId))
        .where(eq(agendaSessions.eventId, event.id)),
    ]);
    const scheduled: ScheduledSession[] = rows.map((s) => ({
      id: s.id,
      spaceId: s.spaceId,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      people: [...new Set(people.filter((p) => p.sessionId === s.id).map((p) => p.userId))],
    }));
    return scheduleWarnings(scheduled, event, focus);
  }
}

export async function sessionIn(tx: Db, eventId: string, sessionId: string): Promise<SessionRow> {
  const [session] = await tx
    .select()
    .from(agendaSessions)
    .where(and(eq(agendaSessions.id, sessionId), eq(agendaSessions.eventId, eventId)));
  if (!session) throw new HttpError(ErrorCode.notFound, "No such session in this event");
  return session;
}

/** Registrations holding or waiting for a seat in a session, with how they stand. */
async function seatHolders(
  tx: Tx,
  sessionId: string,
): Promise<{ registrationId: string; status: "confirmed" | "waitlisted" | "cancelled" }[]> {
  return tx
    .select({ registrationId: sessionRegistrations.registrationId, status: sessionRegistrations.status })
    .from(sessionRegistrations)
    .where(
      and(
        eq(sessionRegistrations.sessionId, sessionId),
        inArray(sessionRegistrations.status, ["confirmed", "waitlisted"]),
      ),
    );
}
