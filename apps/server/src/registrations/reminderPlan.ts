// Which reminders one registration should have pending, from its targets (the event and its
// confirmed session seats) and the time: pure, so the rules are tested without a clock or a queue.
import {
  REMINDER_LEADS_MINUTES,
  reminderJobId,
  type ReminderJob,
  type ReminderLead,
} from "@convivio/protocol";

const MINUTE_MS = 60_000;

/** Longest lead first. */
const LEADS = (Object.keys(REMINDER_LEADS_MINUTES) as ReminderLead[]).sort(
  (a, b) => REMINDER_LEADS_MINUTES[b] - REMINDER_LEADS_MINUTES[a],
);

export interface ReminderTarget {
  /** Null for the event itself. */
  sessionId: string | null;
  startsAt: Date;
  /** A confirmed registration (and, for a session, a confirmed seat). */
  active: boolean;
  /** When the seat was last confirmed: a reminder due before it was never owed. */
  activeSince: Date;
}

export interface PlannedReminder {
  id: string;
  runAt: Date;
  payload: ReminderJob;
}

export interface ReminderPlan {
  arm: PlannedReminder[];
  /** Job ids that must not be pending. */
  disarm: string[];
}

/**
 * Reminders 24 h and 1 h before each active target. A reminder already due is dropped, except with
 * `catchUp` (the start-up re-arm after downtime): then the latest one that was owed goes out now,
 * if nothing later has fallen due and the start is still ahead. The job handler's delivery record
 * keeps a catch-up from repeating a reminder that did go out.
 */
export function planReminders(
  registrationId: string,
  targets: readonly ReminderTarget[],
  now: Date,
  options: { catchUp: boolean } = { catchUp: false },
): ReminderPlan {
  const plan: ReminderPlan = { arm: [], disarm: [] };
  for (const target of targets) {
    const startMs = target.startsAt.getTime();
    LEADS.forEach((lead, index) => {
      const id = reminderJobId(registrationId, target.sessionId, lead);
      const runAtMs = startMs - REMINDER_LEADS_MINUTES[lead] * MINUTE_MS;
      const next = LEADS[index + 1];
      const nextDueMs = next === undefined ? startMs : startMs - REMINDER_LEADS_MINUTES[next] * MINUTE_MS;
      const payload: ReminderJob = {
        registrationId,
        sessionId: target.sessionId,
        lead,
        startsAt: target.startsAt.toISOString(),
      };
      if (!target.active || now.getTime() >= startMs) {
        plan.disarm.push(id);
      } else if (runAtMs > now.getTime()) {
        plan.arm.push({ id, runAt: new Date(runAtMs), payload });
      } else if (options.catchUp && now.getTime() < nextDueMs && target.activeSince.getTime() < runAtMs) {
        plan.arm.push({ id, runAt: now, payload });
      } else {
        plan.disarm.push(id);
      }
    });
  }
  return plan;
}
