// Payloads of deferred jobs (the server's jobs port parses each with its schema before running it).
// Payloads carry ids, never rendered content: the handler reads the current state from the database.
import { z } from "zod";

/** Job names (BullMQ queue names, so `[A-Za-z0-9._-]`). */
export const JobName = {
  registrationMail: "registration-mail",
  reminder: "registration-reminder",
  teamInvite: "team-invite",
  boardTimer: "board-timer",
  breakoutTimer: "breakout-timer",
  libraryDigest: "library-digest",
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/** How long before the start of an event or session each reminder goes out. */
export const REMINDER_LEADS_MINUTES = { "24h": 24 * 60, "1h": 60 } as const;
export const ReminderLead = z.enum(["24h", "1h"]);
export type ReminderLead = z.infer<typeof ReminderLead>;

/** Most stored messages one registration-mail job sends. */
export const REGISTRATION_MAIL_BATCH = 100;

/**
 * Sends stored registration messages (confirmation, waitlist, promotion, change, announcement...):
 * those written together (a batch of registrations, an announcement) travel in one job. A payload
 * of one `messageId`, as jobs queued before batching carry, is read as a list of one.
 */
export const RegistrationMailJob = z.union([
  z.strictObject({ messageIds: z.array(z.uuid()).min(1).max(REGISTRATION_MAIL_BATCH) }),
  z.strictObject({ messageId: z.uuid() }).transform(({ messageId }) => ({ messageIds: [messageId] })),
]);
export type RegistrationMailJob = z.output<typeof RegistrationMailJob>;

/**
 * A reminder before the event (`sessionId` null) or one registered session. `startsAt` is the start
 * it was scheduled for: a reminder whose target has moved since is stale and does nothing.
 */
export const ReminderJob = z.strictObject({
  registrationId: z.uuid(),
  sessionId: z.uuid().nullable(),
  lead: ReminderLead,
  startsAt: z.iso.datetime({ offset: true }),
});
export type ReminderJob = z.infer<typeof ReminderJob>;

/** Emails a new team member a sign-in link to the event. */
export const TeamInviteJob = z.strictObject({
  eventId: z.uuid(),
  userId: z.uuid(),
  role: z.enum(["organizer", "facilitator", "speaker"]),
  invitedBy: z.uuid().nullable(),
});
export type TeamInviteJob = z.infer<typeof TeamInviteJob>;

/** The deterministic id of a reminder: one per registration, target and lead. */
export function reminderJobId(registrationId: string, sessionId: string | null, lead: ReminderLead): string {
  return `reminder:${registrationId}:${sessionId ?? "event"}:${lead}`;
}

/** A board's phase timer ran out: the board moves on unless the timer changed since (SPEC B9). */
export const BoardTimerJob = z.strictObject({
  boardId: z.uuid(),
  phase: z.enum(["collect", "group", "vote", "reveal", "closed"]),
  /** The deadline (epoch ms) this job was armed for. */
  deadlineAt: z.number().int(),
});
export type BoardTimerJob = z.infer<typeof BoardTimerJob>;

/** The deterministic id of a phase timer job: one per board, phase and deadline. */
export function boardTimerJobId(job: BoardTimerJob): string {
  return `board-timer:${job.boardId}:${job.phase}:${job.deadlineAt}`;
}
