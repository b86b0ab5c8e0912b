// The jobs that email registrants: stored messages, reminders and team invitations. Each handler
// reads the current state from the database and claims its work there before sending, so a job
// that runs twice (another worker, a re-arm, a retry after a crash) sends once.
import {
  and,
  announcements,
  eq,
  events,
  gt,
  inArray,
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
  REGISTRATION_MAIL_BATCH,
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
import { z } from "zod";
import type { Clock } from "../auth/clock.js";
import type { AuthService } from "../auth/service.js";
import { sendEach, type Mailer, type MailMessage } from "../email/mailer.js";
import type { Jobs } from "../jobs/jobs.js";
import {
  eventPageUrl,
  loadRegistrationContext,
  loadRegistrationContexts,
  registrationCalendar,
  sequenceFor,
  type RegistrationContext,
} from "./calendar.js";
import type { CalendarEntry } from "./ics.js";
import { seatWaitlistPosition, waitlistPosition, type MessageKind } from "./ledger.js";
import { issueRegistrationLinks, registrationPageUrls } from "./links.js";
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
  /**
   * How long the process has been busy, through dips shorter than a second (0 while it is not):
   * emails wait while a rush lasts, up to `MAIL_YIELD_MAX_MS` from its start.
   */
  busyForMs?: () => number;
}

/**
 * Longest wait of an email for a rush to pass, counted from the start of the rush: a registration
 * rush is answered faster when its confirmation emails (a third of its work, docs/performance.md)
 * go out after it. People see their answer at once and the email seconds later; a rush that lasts
 * longer than this no longer holds emails back.
 */
export const MAIL_YIELD_MAX_MS = 5_000;
const MAIL_YIELD_POLL_MS = 50;

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

const isUuid = (value: unknown) => z.uuid().safeParse(value).success;

/** One email to a registrant: what it is about, with what the copy needs beyond the registration. */
interface Outgoing {
  ctx: RegistrationContext;
  kind: RegistrationMailKind;
  data: Record<string, unknown>;
  extra?: Partial<RegistrationMailVars>;
}

export const CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH";

/** Defines the registration jobs on the port (before it starts) and returns the start-up re-arm of messages. */
export function defineRegistrationJobs(deps: RegistrationJobDeps) {
  const { db, jobs, mailer, auth, clock, publicUrl } = deps;

  /**
   * Renders and sends emails to registrants, each with fresh links and (for most kinds) the
   * calendar: the links of all of them in two statements, the messages handed to the mailer
   * together. One outcome per email, in order: undefined when it was sent.
   */
  async function sendToRegistrants(outgoing: readonly Outgoing[]): Promise<unknown[]> {
    const now = clock.now();
    const tokens = await issueRegistrationLinks(
      db,
      outgoing.map(({ ctx }) => ({ registrationId: ctx.registration.id, event: ctx.event })),
      now,
    );
    const signingIn = outgoing.flatMap(({ ctx, kind }, i) =>
      WITH_SIGN_IN.has(kind) && ctx.registration.userId
        ? [{ i, userId: ctx.registration.userId, next: `/registrations/${ctx.registration.id}` }]
        : [],
    );
    const signInUrls = new Map<number, string>();
    (await auth.createMagicLinkUrls(signingIn)).forEach((url, k) => signInUrls.set(signingIn[k]!.i, url));
    const messages = await Promise.all(
      outgoing.map((item, i) => renderForRegistrant(item, tokens[i]!, signInUrls.get(i), now)),
    );
    return sendEach(mailer, messages);
  }

  /** One registrant's email, given its links. */
  async function renderForRegistrant(
    { ctx, kind, data, extra = {} }: Outgoing,
    token: string,
    signInUrl: string | undefined,
    now: Date,
  ): Promise<MailMessage> {
    const { registration, event } = ctx;
    const locale = asLocale(registration.locale);
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
    if (signInUrl) vars.signInUrl = signInUrl;
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
    return message;
  }

  /**
   * Sends stored messages (the emails of one batch of registrations travel together): claims them
   * in one statement, reads their registrations in one or two, sends, and marks the sent ones in
   * one. A message whose send failed is given back for the retry; one that used its last try is
   * given up and logged.
   */
  async function sendMessages(messageIds: readonly string[]): Promise<void> {
    await yieldToRequests();
    const now = clock.now();
    // Claiming counts the try, whatever becomes of it: a sender that dies mid-send used one too.
    const claimed = await db
      .update(registrationMessages)
      .set({ claimedAt: now, attempts: sql`${registrationMessages.attempts} + 1` })
      .where(
        and(
          inArray(registrationMessages.id, [...new Set(messageIds)]),
          isNull(registrationMessages.sentAt),
          lt(registrationMessages.attempts, MESSAGE_SEND_ATTEMPTS),
          or(isNull(registrationMessages.claimedAt), lt(registrationMessages.claimedAt, leaseCutoff(now))),
        ),
      )
      .returning();
    if (claimed.length === 0) return;
    type Claimed = (typeof claimed)[number];
    // Nothing to send (no longer news, or its announcement is gone): done all the same.
    const skipped: Claimed[] = [];
    let sending: Claimed[] = [];
    let outcomes: unknown[];
    try {
      const contexts = await loadRegistrationContexts(
        db,
        claimed.map((m) => m.registrationId),
      );
      const announced = await loadAnnouncements(claimed);
      const outgoing: Outgoing[] = [];
      for (const message of claimed) {
        const ctx = contexts.get(message.registrationId);
        const kind = message.kind as MessageKind;
        const announcement =
          kind === "announcement" ? announced.get(String(message.data.announcementId)) : undefined;
        if (!ctx || !isStillNews(ctx, kind, message.data) || (kind === "announcement" && !announcement)) {
          skipped.push(message);
          continue;
        }
        outgoing.push({
          ctx,
          kind,
          data: message.data,
          ...(announcement ? { extra: { announcement } } : {}),
        });
        sending.push(message);
      }
      outcomes = await sendToRegistrants(outgoing);
    } catch (err) {
      // Reading or preparing failed: none of them went out.
      sending = claimed.filter((message) => !skipped.includes(message));
      outcomes = sending.map(() => err);
    }
    const done = [...skipped, ...sending.filter((_, i) => outcomes[i] === undefined)].map((m) => m.id);
    const failed = sending.flatMap((message, i) =>
      outcomes[i] === undefined ? [] : [{ message, err: outcomes[i] }],
    );
    if (done.length > 0) {
      await db
        .update(registrationMessages)
        .set({ sentAt: clock.now() })
        .where(inArray(registrationMessages.id, done));
    }
    if (failed.length === 0) return;
    // Give the failed ones back so the retry (or a sweep, or the next start-up) can send them.
    await db
      .update(registrationMessages)
      .set({ claimedAt: null })
      .where(
        inArray(
          registrationMessages.id,
          failed.map((f) => f.message.id),
        ),
      );
    const retried = failed.filter((f) => f.message.attempts < MESSAGE_SEND_ATTEMPTS);
    // Those that used their last try: no retry can claim them now.
    for (const { message, err } of failed) {
      if (message.attempts < MESSAGE_SEND_ATTEMPTS) continue;
      deps.logger.error(
        {
          err,
          messageId: message.id,
          registrationId: message.registrationId,
          kind: message.kind,
          attempts: message.attempts,
        },
        "registration email given up: every attempt failed",
      );
    }
    if (retried.length > 0) throw retried[0]!.err;
  }

  /**
   * Waits while a rush that began less than MAIL_YIELD_MAX_MS ago lasts (real time: the rush is the
   * process's own load, not the business clock).
   */
  async function yieldToRequests(): Promise<void> {
    const { busyForMs } = deps;
    if (!busyForMs) return;
    const until = Date.now() + MAIL_YIELD_MAX_MS;
    for (
      let busy = busyForMs();
      busy > 0 && busy < MAIL_YIELD_MAX_MS && Date.now() < until;
      busy = busyForMs()
    ) {
      await new Promise((resolve) => setTimeout(resolve, MAIL_YIELD_POLL_MS));
    }
  }

  /** The announcements some messages carry, by id. */
  async function loadAnnouncements(messages: readonly { kind: string; data: Record<string, unknown> }[]) {
    const ids = messages.flatMap((m) =>
      m.kind === "announcement" && isUuid(m.data.announcementId) ? [String(m.data.announcementId)] : [],
    );
    const rows = ids.length
      ? await db
          .select()
          .from(announcements)
          .where(inArray(announcements.id, [...new Set(ids)]))
      : [];
    return new Map(rows.map((a) => [a.id, { subject: a.subject, body: a.body }]));
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
      const [outcome] = await sendToRegistrants([
        {
          ctx,
          kind: "reminder",
          data: { sessionId: payload.sessionId },
          extra: { lead: payload.lead as ReminderLead },
        },
      ]);
      if (outcome !== undefined) throw outcome;
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
    handler: (payload) => sendMessages(payload.messageIds),
  });
  jobs.define({ name: JobName.reminder, schema: ReminderJob, attempts: 5, handler: sendReminder });
  jobs.define({ name: JobName.teamInvite, schema: TeamInviteJob, attempts: 5, handler: sendTeamInvite });

  const sweepEveryMs = deps.mailSweepEveryMs ?? MAIL_SWEEP_EVERY_MS;

  /**
   * Schedules the sending of stored messages, up to REGISTRATION_MAIL_BATCH per job. A job's id is
   * its first message's: a message is first of one batch only, and a sweep that re-arms it replaces
   * that job rather than adding one.
   */
  async function scheduleMails(messageIds: readonly string[]): Promise<void> {
    const chunks: string[][] = [];
    for (let i = 0; i < messageIds.length; i += REGISTRATION_MAIL_BATCH)
      chunks.push(messageIds.slice(i, i + REGISTRATION_MAIL_BATCH));
    await Promise.all(
      chunks.map((ids) =>
        jobs.schedule(JobName.registrationMail, ids[0]!, { messageIds: ids } satisfies RegistrationMailJob),
      ),
    );
  }

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
    await scheduleMails(rows.map((r) => r.id));
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
    scheduleMails,
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
