// Keeps the jobs port's pending reminders equal to what the database says they should be: after
// every change (a new seat, a cancellation, a moved session) and at start-up.
import {
  agendaSessions,
  eq,
  events,
  gt,
  and,
  inArray,
  registrations,
  sessionRegistrations,
  type Db,
} from "@convivio/db";
import { JobName, REMINDER_LEADS_MINUTES, reminderJobId, type ReminderLead } from "@convivio/protocol";
import type { Clock } from "../auth/clock.js";
import type { Jobs } from "../jobs/jobs.js";
import { planReminders, type ReminderTarget } from "./reminderPlan.js";

export interface ReminderSync {
  /** Brings the pending reminders of these registrations in line with the database. */
  sync(registrationIds: readonly string[], options?: { catchUp: boolean }): Promise<void>;
  /** Cancels the reminders of seats in sessions that no longer exist. */
  drop(seats: readonly { registrationId: string; sessionId: string }[]): Promise<void>;
  /** Re-arms the reminders of every confirmed registration of an event not yet over (start-up). */
  rearmAll(): Promise<number>;
}

const CHUNK = 500;
const LEADS = Object.keys(REMINDER_LEADS_MINUTES) as ReminderLead[];

export function createReminderSync(db: Db, jobs: Jobs, clock: Clock): ReminderSync {
  async function syncChunk(ids: string[], catchUp: boolean) {
    const [regs, seats] = await Promise.all([
      db
        .select({
          id: registrations.id,
          status: registrations.status,
          updatedAt: registrations.updatedAt,
          startsAt: events.startsAt,
        })
        .from(registrations)
        .innerJoin(events, eq(events.id, registrations.eventId))
        .where(inArray(registrations.id, ids)),
      db
        .select({
          registrationId: sessionRegistrations.registrationId,
          sessionId: sessionRegistrations.sessionId,
          status: sessionRegistrations.status,
          updatedAt: sessionRegistrations.updatedAt,
          startsAt: agendaSessions.startsAt,
        })
        .from(sessionRegistrations)
        .innerJoin(agendaSessions, eq(agendaSessions.id, sessionRegistrations.sessionId))
        .where(inArray(sessionRegistrations.registrationId, ids)),
    ]);
    const now = clock.now();
    const work: Promise<void>[] = [];
    for (const reg of regs) {
      const confirmed = reg.status === "confirmed";
      const targets: ReminderTarget[] = [
        { sessionId: null, startsAt: reg.startsAt, active: confirmed, activeSince: reg.updatedAt },
        ...seats
          .filter((s) => s.registrationId === reg.id)
          .map((s) => ({
            sessionId: s.sessionId,
            startsAt: s.startsAt,
            active: confirmed && s.status === "confirmed",
            activeSince: s.updatedAt > reg.updatedAt ? s.updatedAt : reg.updatedAt,
          })),
      ];
      const plan = planReminders(reg.id, targets, now, { catchUp });
      for (const r of plan.arm) work.push(jobs.schedule(JobName.reminder, r.id, r.payload, r.runAt));
      for (const id of plan.disarm) work.push(jobs.cancel(JobName.reminder, id));
    }
    await Promise.all(work);
  }

  const sync: ReminderSync["sync"] = async (registrationIds, options = { catchUp: false }) => {
    const ids = [...new Set(registrationIds)];
    for (let i = 0; i < ids.length; i += CHUNK) await syncChunk(ids.slice(i, i + CHUNK), options.catchUp);
  };

  return {
    sync,
    async drop(seats) {
      await Promise.all(
        seats.flatMap((s) =>
          LEADS.map((lead) =>
            jobs.cancel(JobName.reminder, reminderJobId(s.registrationId, s.sessionId, lead)),
          ),
        ),
      );
    },
    async rearmAll() {
      const rows = await db
        .select({ id: registrations.id })
        .from(registrations)
        .innerJoin(events, eq(events.id, registrations.eventId))
        .where(and(eq(registrations.status, "confirmed"), gt(events.endsAt, clock.now())));
      await sync(
        rows.map((r) => r.id),
        { catchUp: true },
      );
      return rows.length;
    },
  };
}
