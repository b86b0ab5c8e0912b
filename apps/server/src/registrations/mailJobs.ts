// The jobs that email registrants: stored messages, reminders and team invitations. Each handler
// reads the current state from the database and claims its work there before sending, so a job
// that runs twice (another worker, a re-arm, a retry after a crash) sends once.
import {
  and,
  announcements,
  eq,
  events,
  gt,
  isNull,
  lt,
  or,
  registrationMessages,
  reminderDeliveries,
  sql,
  users,
  type Db,
} from "@convivio/db";
import {
  JobName,
  REGISTRATION_MAIL_SWEEP_JOB,
  RegistrationMailJob,
  RegistrationMailSweepJob,
  ReminderJob,
  TeamInviteJob,
  registrationMailSweepJobId,
  type Locale,
  type ReminderLead,
} from "@convivio/protocol";
import type { Logger } from "pino";
import type { Clock } from "../auth/clock.js";
import type { AuthService } from "../auth/service.js";
import type { Mailer, MailMessage } from "../email/mailer.js";
import type { Jobs } from "../jobs/jobs.js";
import {
  eventPageUrl,
  loadRegistrationContext,
  registrationCalendar,
  sequenceFor,
  type RegistrationContext,
} from "./calendar.js";
import type { CalendarEntry } from "./ics.js";
import { seatWaitlistPosition, waitlistPosition, type MessageKind } from "./ledger.js";
import { issueRegistrationLink, registrationPageUrls } from "./links.js";
import {
  formatWhen,
  renderRegistrationMail,
  renderTeamInvite,
  type RegistrationMailKind,
  type RegistrationMailVars,
} from "./mails.js";

export interface RegistrationJobDeps {
  db: Db;
  jobs: Jobs;
  mailer: Mailer;
  auth: AuthService;
  clock: Clock;
  logger: Logger;
  publicUrl: () => string;
  /** How often unsent messages are re-armed while running (default MAIL_SWEEP_EVERY_MS; tests shorten it). */
  mailSweepEveryMs?: number;
}

/** Unsent messages older than this are not re-armed at start-up: news that late would only confuse. */
const MESSAGE_REARM_WINDOW_MS = 7 * 86_400_000;
/**
 * Between two sweeps that re-arm unsent messages while the server runs: a message whose scheduling
 * failed (flush() logged it, Redis stayed up) goes out within two of these, not at the next
 * restart; one whose sends failed is tried again after longer and longer waits (`rearmMessages`).
 */
export const MAIL_SWEEP_EVERY_MS = 5 * 60_000;
/** How long a sender holds a claim: after it, a sender that died mid-send is presumed gone. */
export const SEND_LEASE_MS = 10 * 60_000;
/**
 * Sends tried for one stored message in all (its job's retries, sweeps, start-ups), each with new
 * links: a message still refused after these is given up and logged. With the sweep's spacing
 * (`rearmMessages`) the tries span more than an hour, so an SMTP outage of that long loses nothing.
 */
export const MESSAGE_SEND_ATTEMPTS = 6;
/** Runs of one message's job: a quick retry for a glitch; the sweep spaces the rest. */
const MESSAGE_JOB_ATTEMPTS = 2;
const leaseCutoff = (now: Date) => new Date(now.getTime() - SEND_LEASE_MS);

/**
 * Kinds that carry the registration's calendar. A cancellation or a rejection carries it too: its
 * entries are the same UIDs, CANCELLED and with a higher SEQUENCE, so the attendee's calendar drops
 * what the confirmation (or the waitlist or pending email) put there.
 */
const WITH_CALENDAR: ReadonlySet<RegistrationMailKind> = new Set([
  "confirmed",
  "cancelled",
  "rejected",
  "waitlisted",
  "pending",
  "promoted",
  "approved",
  "session_confirmed",
  "session_waitlisted",
  "session_promoted",
  "session_moved",
  "session_cancelled",
  "event_moved",
]);
const WITH_SIGN_IN: ReadonlySet<RegistrationMailKind> = new Set([
  "confirmed",
  "waitlisted",
  "pending",
  "promoted",
  "approved",
]);
/** Still worth sending after the registration was cancelled or rejected. */
const AFTER_END: ReadonlySet<RegistrationMailKind> = new Set(["cancelled", "rejected"]);

const asLocale = (value: string): Locale => (value === "en" ? "en" : "it");

export const CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH";

/** Defines the registration jobs on the port (before it starts) and returns the start-up re-arm of messages. */
export function defineRegistrationJobs(deps: RegistrationJobDeps) {
  const { db, jobs, mailer, auth, clock, publicUrl } = deps;

  /** Renders and sends one email to a registrant, with fresh links and (for most kinds) the calendar. */
  async function sendToRegistrant(
    ctx: RegistrationContext,
    kind: RegistrationMailKind,
    data: Record<string, unknown>,
    extra: Partial<RegistrationMailVars> = {},
  ): Promise<void> {
    const { registration, event } = ctx;
    const locale = asLocale(registration.locale);
    const now = clock.now();
    const token = await issueRegistrationLink(db, registration.id, event, now);
    const urls = registrationPageUrls(publicUrl(), registration.id, token);
    const when = (start: Date, end: Date) => formatWhen(start, end, event.timeZone, locale);
    const sessionId = typeof data.sessionId === "string" ? data.sessionId : null;
    const seat = sessionId ? ctx.seats.find((s) => s.session.id === sessionId) : undefined;
    const vars: RegistrationMailVars = {
      name: registration.name,
      eventTitle: event.title,
      eventWhen: when(event.startsAt, event.endsAt),
      ...urls,
      ...extra,
    };
    if (WITH_SIGN_IN.has(kind) && registration.userId) {
      vars.signInUrl = await auth.createMagicLinkUrl(
        registration.userId,
        `/registrations/${registration.id}`,
      );
    }
    if (kind === "waitlisted") {
      vars.waitlistPosition =
        typeof data.waitlistPosition === "number"
          ? data.waitlistPosition
          : await waitlistPosition(db, registration);
    }
    if (seat) {
      vars.sessionTitle = seat.session.title;
      vars.sessionWhen = when(seat.session.startsAt, seat.session.endsAt);
      if (kind === "session_waitlisted") vars.waitlistPosition = await seatWaitlistPosition(db, seat.seat);
    }
    const previous = dates(data.previousStartsAt, data.previousEndsAt);
    if (previous) vars.previousWhen = when(previous.start, previous.end);

    const extraEntries: CalendarEntry[] = [];
    if (kind === "session_cancelled") {
      const gone = dates(data.startsAt, data.endsAt);
      vars.sessionTitle = typeof data.title === "string" ? data.title : "";
      if (gone) {
        vars.sessionWhen = when(gone.start, gone.end);
        extraEntries.push({
          uid: `session-${String(data.sessionId)}@convivio`,
          title: `${vars.sessionTitle} · ${event.title}`,
          description: "",
          startsAt: gone.start,
          endsAt: gone.end,
          sequence: sequenceFor(now, "CANCELLED"),
          status: "CANCELLED",
        });
      }
    }
    const mail = renderRegistrationMail(kind, locale, vars);
    const message: MailMessage = { to: registration.email, ...mail };
    if (WITH_CALENDAR.has(kind)) {
      message.attachments = [
        {
          filename: `${event.slug}.ics`,
          contentType: CALENDAR_CONTENT_TYPE,
          content: registrationCalendar(ctx, now, {
            eventUrl: eventPageUrl(publicUrl(), event.slug),
            extra: extraEntries,
          }),
        },
      ];
    }
    await mailer.send(message);
  }

  async function sendMessage(messageId: string): Promise<void> {
    const now = clock.now();
    // Claiming counts the try, whatever becomes of it: a sender that dies mid-send used one too.
    const [claimed] = await db
      .update(registrationMessages)
      .set({ claimedAt: now, attempts: sql`${registrationMessages.attempts} + 1` })
      .where(
        and(
          eq(registrationMessages.id, messageId),
          isNull(registrationMessages.sentAt),
          lt(registrationMessages.attempts, MESSAGE_SEND_ATTEMPTS),
          or(isNull(registrationMessages.claimedAt), lt(registrationMessages.claimedAt, leaseCutoff(now))),
        ),
      )
      .returning();
    if (!claimed) return;
    const markSent = () =>
      db
        .update(registrationMessages)
        .set({ sentAt: clock.now() })
        .where(eq(registrationMessages.id, messageId));
    try {
      const ctx = await loadRegistrationContext(db, claimed.registrationId);
      const kind = claimed.kind as MessageKind;
      if (ctx && isStillNews(ctx, kind, claimed.data)) {
        let extra: Partial<RegistrationMailVars> = {};
        if (kind === "announcement") {
          const [announcement] = await db
            .select()
            .from(announcements)
            .where(eq(announcements.id, String(claimed.data.announcementId)));
          extra = announcement
            ? { announcement: { subject: announcement.subject, body: announcement.body } }
            : {};
        }
        if (kind !== "announcement" || extra.announcement)
          await sendToRegistrant(ctx, kind, claimed.data, extra);
      }
      await markSent();
    } catch (err) {
      // Give the message back so the retry (or a sweep, or the next start-up) can send it.
      await db
        .update(registrationMessages)
        .set({ claimedAt: null })
        .where(eq(registrationMessages.id, messageId));
      if (claimed.attempts < MESSAGE_SEND_ATTEMPTS) throw err;
      // That was its last try: no retry can claim it now, so none is asked for.
      deps.logger.error(
        {
          err,
          messageId,
          registrationId: claimed.registrationId,
          kind: claimed.kind,
          attempts: claimed.attempts,
        },
        "registration email given up: every attempt failed",
      );
    }
  }

  async function sendReminder(payload: ReminderJob): Promise<void> {
    const now = clock.now();
    const ctx = await loadRegistrationContext(db, payload.registrationId);
    if (!ctx || ctx.registration.status !== "confirmed") return;
    let startsAt = ctx.event.startsAt;
    if (payload.sessionId) {
      const seat = ctx.seats.find((s) => s.session.id === payload.sessionId);
      if (!seat || seat.seat.status !== "confirmed") return;
      startsAt = seat.session.startsAt;
    }
    // Scheduled for a start that has since moved: the re-planned reminder will do.
    if (startsAt.toISOString() !== new Date(payload.startsAt).toISOString() || now >= startsAt) return;
    const target = payload.sessionId ?? "event";
    const key = and(
      eq(reminderDeliveries.registrationId, payload.registrationId),
      eq(reminderDeliveries.target, target),
      eq(reminderDeliveries.lead, payload.lead),
      eq(reminderDeliveries.startsAt, startsAt),
    );
    // Claim the delivery: a new row, or one whose earlier sender failed to finish within the lease.
    const [claimed] = await db
      .insert(reminderDeliveries)
      .values({
        registrationId: payload.registrationId,
        target,
        lead: payload.lead,
        startsAt,
        claimedAt: now,
      })
      .onConflictDoUpdate({
        target: [
          reminderDeliveries.registrationId,
          reminderDeliveries.target,
          reminderDeliveries.lead,
          reminderDeliveries.startsAt,
        ],
        set: { claimedAt: now },
        setWhere: and(isNull(reminderDeliveries.sentAt), lt(reminderDeliveries.claimedAt, leaseCutoff(now))),
      })
      .returning();
    if (!claimed) return;
    try {
      await sendToRegistrant(
        ctx,
        "reminder",
        { sessionId: payload.sessionId },
        { lead: payload.lead as ReminderLead },
      );
      await db.update(reminderDeliveries).set({ sentAt: clock.now() }).where(key);
    } catch (err) {
      await db.delete(reminderDeliveries).where(and(key, isNull(reminderDeliveries.sentAt)));
      throw err;
    }
  }

  async function sendTeamInvite(payload: TeamInviteJob): Promise<void> {
    const [[user], [event], inviter] = await Promise.all([
      db.select().from(users).where(eq(users.id, payload.userId)),
      db.select().from(events).where(eq(events.id, payload.eventId)),
      payload.invitedBy
        ? db.select({ name: users.name }).from(users).where(eq(users.id, payload.invitedBy))
        : Promise.resolve([]),
    ]);
    if (!user || !event) return;
    const url = await auth.createMagicLinkUrl(user.id, "/dashboard");
    const mail = renderTeamInvite(asLocale(user.locale), {
      name: user.name,
      eventTitle: event.title,
      role: payload.role,
      inviter: inviter[0]?.name ?? null,
      url,
    });
    await mailer.send({ to: user.email, ...mail });
  }

  jobs.define({
    name: JobName.registrationMail,
    schema: RegistrationMailJob,
    attempts: MESSAGE_JOB_ATTEMPTS,
    handler: (payload) => sendMessage(payload.messageId),
  });
  jobs.define({ name: JobName.reminder, schema: ReminderJob, attempts: 5, handler: sendReminder });
  jobs.define({ name: JobName.teamInvite, schema: TeamInviteJob, attempts: 5, handler: sendTeamInvite });

  const sweepEveryMs = deps.mailSweepEveryMs ?? MAIL_SWEEP_EVERY_MS;

  /**
   * Schedules the unsent messages of the last week that still have tries left (the process that
   * owed them may have died). A sweep takes only those due: one untried for a sweep period since it
   * was written (its own job may not have run yet), and after each try twice as long, so one that
   * keeps failing gets its tries at about 0, 20 and 80 minutes, not every sweep for a week.
   */
  async function rearmMessages(sweeping: boolean): Promise<number> {
    const now = clock.now();
    const since = new Date(now.getTime() - MESSAGE_REARM_WINDOW_MS);
    const { createdAt, attempts, claimedAt } = registrationMessages;
    const rows = await db
      .select({ id: registrationMessages.id })
      .from(registrationMessages)
      .where(
        and(
          isNull(registrationMessages.sentAt),
          gt(createdAt, since),
          lt(attempts, MESSAGE_SEND_ATTEMPTS),
          ...(sweeping
            ? [
                sql`${createdAt} < ${now.toISOString()}::timestamptz
                  - ${sweepEveryMs}::float8 * power(2, ${attempts}) * interval '1 millisecond'`,
                // One being sent right now is left to its sender.
                or(isNull(claimedAt), lt(claimedAt, leaseCutoff(now))),
              ]
            : []),
        ),
      );
    await Promise.all(rows.map((r) => jobs.schedule(JobName.registrationMail, r.id, { messageId: r.id })));
    return rows.length;
  }

  /** Arms the sweep of the first slot after `afterMs`; every process arms the same id, so it runs once. */
  async function armSweep(afterMs: number): Promise<void> {
    const job: RegistrationMailSweepJob = { at: (Math.floor(afterMs / sweepEveryMs) + 1) * sweepEveryMs };
    await jobs.schedule(REGISTRATION_MAIL_SWEEP_JOB, registrationMailSweepJobId(job), job, new Date(job.at));
  }

  jobs.define({
    name: REGISTRATION_MAIL_SWEEP_JOB,
    schema: RegistrationMailSweepJob,
    attempts: 3,
    handler: async ({ at }) => {
      // The next sweep first (a new id, as a handler that re-arms itself must use), so one that
      // fails below still leaves the next armed.
      await armSweep(Math.max(at, clock.now().getTime()));
      const swept = await rearmMessages(true);
      if (swept > 0) deps.logger.warn({ messages: swept }, "re-armed registration emails still unsent");
    },
  });

  return {
    scheduleMail: (messageId: string) =>
      jobs.schedule(JobName.registrationMail, messageId, { messageId } satisfies RegistrationMailJob),
    scheduleTeamInvite: (payload: TeamInviteJob) =>
      jobs.schedule(JobName.teamInvite, `${payload.eventId}:${payload.userId}:${payload.role}`, payload),
    /** Schedules every message of the last week still unsent and not given up (the process that owed it may have died). */
    rearmMessages: () => rearmMessages(false),
    /** Arms the next sweep of unsent messages (start-up, and after Redis comes back). */
    armSweep: () => armSweep(clock.now().getTime()),
  };
}

/** News overtaken by a later change (confirmed, then cancelled before the job ran) is not sent. */
function isStillNews(ctx: RegistrationContext, kind: MessageKind, data: Record<string, unknown>) {
  const ended = ctx.registration.status === "cancelled" || ctx.registration.status === "rejected";
  if (ended && !AFTER_END.has(kind)) return false;
  if (kind.startsWith("session_") && kind !== "session_cancelled") {
    const seat = ctx.seats.find((s) => s.session.id === data.sessionId);
    if (!seat || seat.seat.status === "cancelled") return false;
  }
  return true;
}

function dates(start: unknown, end: unknown): { start: Date; end: Date } | undefined {
  if (typeof start !== "string" || typeof end !== "string") return undefined;
  return { start: new Date(start), end: new Date(end) };
}
