// Registering, cancelling and deciding (session seats are in sessionSeats.ts). Each command is one transaction that
// first locks the event's row (ledger.ts), re-checks seats under the lock, writes the change with its
// history and messages, and after commit hands messages and reminders to the jobs port.
import {
  and,
  eq,
  inArray,
  inviteCodes,
  isNull,
  registrationAnswers,
  registrationQuestions,
  registrationLinks,
  registrations,
  sql,
  users,
  type Db,
  type Tx,
} from "@convivio/db";
import {
  ERROR_STATUS,
  ErrorCode,
  type AnswerValue,
  type DecisionAction,
  type Locale,
  type RegistrationState,
} from "@convivio/protocol";
import type { Logger } from "pino";
import { HttpError } from "../http/problem.js";
import type { Clock } from "../auth/clock.js";
import {
  Effects,
  addMessage,
  lockEvent,
  nextArrival,
  promoteEventWaitlist,
  recordChange,
  seatCounts,
  seatsTaken,
  setRegistrationStatus,
  syncAttendeeRole,
  waitlistPosition,
  type ChangeActor,
  type EventRow,
  type Ledger,
  type MessageKind,
  type RegistrationRow,
  type Status,
} from "./ledger.js";
import { admit, checkAnswers, registrationWindowState, seatsLeft, type QuestionRule } from "./rules.js";
import { newRegistrationLink } from "./links.js";
import { insertRegistrations, type NewRegistration } from "./insertRegistration.js";
import type { ReminderSync } from "./reminders.js";
import { GroupCommit, QueueFullError, later, type Later } from "./groupCommit.js";

export interface RegistrationInput {
  name: string;
  email: string;
  locale?: Locale | undefined;
  answers: Record<string, AnswerValue>;
  consent?: { accepted: true; version: string } | undefined;
  inviteCode?: string | undefined;
}

/**
 * A check of the event's row as read under its lock, before anything else: a refusal (an HttpError
 * of 4xx) refuses the registration alone.
 */
export type EventCheck = (event: EventRow) => Promise<void>;

/** Who registers: the person themself through the public form, or an organizer adding them. */
export type RegistrationSource =
  { kind: "self" } | { kind: "organizer"; actor: ChangeActor; overCapacity: boolean; notify: boolean };

export interface Registered {
  registration: RegistrationRow;
  created: boolean;
  waitlistPosition: number | null;
  manageToken?: string;
}

export interface RegistrationServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  reminders: ReminderSync;
  /** Schedules the sending of stored messages (several to a job). */
  scheduleMails: (messageIds: readonly string[]) => Promise<void>;
}

const CLOSED_DETAIL: Record<Exclude<RegistrationState, "open" | "full">, string> = {
  not_enabled: "This event does not take registrations",
  not_yet_open: "Registration has not opened yet",
  closed: "Registration has closed",
};

/** The event's questions as the rules check them (archived ones are gone from the form). */
export async function activeQuestions(tx: Db, eventId: string): Promise<QuestionRule[]> {
  return tx
    .select({
      id: registrationQuestions.id,
      kind: registrationQuestions.kind,
      label: registrationQuestions.label,
      required: registrationQuestions.required,
      options: registrationQuestions.options,
    })
    .from(registrationQuestions)
    .where(and(eq(registrationQuestions.eventId, eventId), isNull(registrationQuestions.archivedAt)))
    .orderBy(registrationQuestions.position);
}

/** The event's registrations of these (lower-cased) emails, by lower-cased email. */
async function existingByEmail(
  tx: Tx,
  eventId: string,
  emails: readonly string[],
): Promise<Map<string, RegistrationRow>> {
  if (emails.length === 0) return new Map();
  const rows = await tx
    .select()
    .from(registrations)
    .where(
      and(
        eq(registrations.eventId, eventId),
        inArray(sql`lower(${registrations.email})`, [...new Set(emails)]),
      ),
    );
  return new Map(rows.map((row) => [row.email.toLowerCase(), row]));
}

/** What one batch of registrations for an event shares: the locked row, and what it read once. */
interface EventBatch {
  event: EventRow;
  /**
   * The batch's registrations that exist already, by lower-cased email: read for every unit at once
   * after the lock (one statement instead of one per registration), then kept up to date by the
   * units, so a second registration of one email in the same batch finds the first.
   */
  existing: Map<string, RegistrationRow>;
  questions?: QuestionRule[];
  /** Seats taken and people waiting, kept up to date by each registration of the batch. */
  counts?: { taken: number; waiting: number };
  /**
   * New registrations decided in this batch, by lower-cased email, in the order decided; written
   * all at once when the batch closes (or before a unit that writes on its own, so arrival order
   * stays decision order).
   */
  staged: Map<string, StagedRegistration>;
}

/** A new registration decided in a batch, and what was written for it once it is. */
interface StagedRegistration {
  input: NewRegistration;
  waitlistPosition: number | null;
  written?: { registration: RegistrationRow; messageId: string | null };
}

/** The batch's staged registrations not written yet, in the order they were decided. */
const unwritten = (batch: EventBatch) => [...batch.staged.values()].filter((staged) => !staged.written);

/** Writes a batch's unwritten staged registrations in one statement. */
async function writeStaged(tx: Tx, batch: EventBatch): Promise<void> {
  const pending = unwritten(batch);
  if (pending.length === 0) return;
  const written = await insertRegistrations(
    tx,
    pending.map((staged) => staged.input),
  );
  pending.forEach((staged, i) => (staged.written = written[i]));
}

const writtenOf = (staged: StagedRegistration) => {
  if (!staged.written) throw new Error(`registration of ${staged.input.email} was not written`);
  return staged.written;
};

export class RegistrationService {
  private readonly batches: GroupCommit<EventBatch>;
  /** Effects waiting for the next turn of the event loop to be handed on together (`flush`). */
  private flushing: { effects: Effects; done: Promise<void> } | null = null;

  constructor(private readonly deps: RegistrationServiceDeps) {
    this.batches = new GroupCommit<EventBatch>({
      db: deps.db,
      // The lock first: what is read after it includes everything committed before it was granted.
      open: async (tx, eventId, emails) => {
        const event = await lockEvent(tx, eventId);
        return {
          event,
          existing: await existingByEmail(tx, eventId, emails),
          staged: new Map(),
        };
      },
      close: writeStaged,
      // registerLocked refuses (a 4xx) before its first write, and after it fails only on a database
      // error, which aborts the batch: its registrations are then run again one by one.
      withoutSavepoints: { isRefusal: (err) => err instanceof HttpError && ERROR_STATUS[err.code] < 500 },
    });
  }

  /** Runs `work` in one transaction and, after commit, sends its messages and updates reminders. */
  async run<T>(work: (ledger: Ledger) => Promise<T>): Promise<T> {
    const effects = new Effects();
    const now = this.deps.clock.now();
    const result = await this.deps.db.transaction((tx) => work({ tx, now, effects }));
    await this.flush(effects);
    return result;
  }

  /**
   * Hands committed effects to the jobs port. Effects handed in together (the registrations of one
   * batch are answered in one turn of the event loop) are handed on together, in the next turn: their
   * emails travel in one job and their reminders are planned from one read (which, one by one, was
   * most of a registration storm's statements: docs/performance.md).
   */
  flush(effects: Effects): Promise<void> {
    if (effects.messages.length === 0 && effects.reminders.size === 0 && effects.droppedSeats.length === 0)
      return Promise.resolve();
    if (!this.flushing) {
      const merged = new Effects();
      this.flushing = {
        effects: merged,
        done: new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          this.flushing = null;
          return this.flushNow(merged);
        }),
      };
    }
    const merged = this.flushing.effects;
    merged.messages.push(...effects.messages);
    for (const id of effects.reminders) merged.reminders.add(id);
    merged.droppedSeats.push(...effects.droppedSeats);
    return this.flushing.done;
  }

  /**
   * A failure here is logged, not thrown: the change is committed, and what is left is re-armed
   * from the database: unsent messages by the recurring sweep (mailJobs.ts), reminders at the next
   * start-up or Redis reconnect.
   */
  private async flushNow(effects: Effects): Promise<void> {
    // Each part on its own: emails that could not be scheduled do not hold back the reminders.
    const [mails, reminders] = await Promise.allSettled([
      effects.messages.length ? this.deps.scheduleMails(effects.messages) : undefined,
      (async () => {
        await this.deps.reminders.sync([...effects.reminders]);
        await this.deps.reminders.drop(effects.droppedSeats);
      })(),
    ]);
    if (mails.status === "rejected") {
      this.deps.logger.error(
        { err: mails.reason },
        "could not schedule registration emails; the next sweep re-arms them",
      );
    }
    if (reminders.status === "rejected") {
      this.deps.logger.error(
        { err: reminders.reason },
        "could not update registration reminders; they are re-armed at start-up",
      );
    }
  }

  /**
   * Registers someone, or returns their existing registration untouched (same event, same email in
   * any case): the idempotency check, the seat count and the insert all happen under the event
   * lock. Registrations of one event arriving together share a transaction (groupCommit.ts), and
   * each is answered once that transaction has committed.
   */
  async register(
    eventId: string,
    input: RegistrationInput,
    source: RegistrationSource,
    check?: EventCheck,
  ): Promise<Registered> {
    const effects = new Effects();
    let result: Registered;
    try {
      result = await this.batches.submit(
        eventId,
        async (tx, batch) => {
          await check?.(batch.event);
          return this.registerLocked({ tx, now: this.deps.clock.now(), effects }, batch, input, source);
        },
        input.email.toLowerCase(),
      );
    } catch (err) {
      if (err instanceof QueueFullError)
        throw new HttpError(ErrorCode.rateLimited, "Too many registrations at once; try again");
      throw err;
    }
    await this.flush(effects);
    return result;
  }

  /** One registration inside a batch that holds the event's lock; `batch.counts` follows its commits. */
  private async registerLocked(
    ledger: Ledger,
    batch: EventBatch,
    input: RegistrationInput,
    source: RegistrationSource,
  ): Promise<Registered | Later<Registered>> {
    const { tx, now } = ledger;
    const { event } = batch;
    const eventId = event.id;
    const self = source.kind === "self";
    // The existing registration first: the same email twice gets the same answer whether or not
    // registration has closed in between (invariant 3); only a new or returning one needs it open.
    const email = input.email.toLowerCase();
    const stagedBefore = batch.staged.get(email);
    if (stagedBefore) {
      return later(() => ({
        registration: writtenOf(stagedBefore).registration,
        created: false,
        waitlistPosition: stagedBefore.waitlistPosition,
      }));
    }
    const existing = batch.existing.get(email);
    if (existing && existing.status !== "cancelled") {
      return {
        registration: existing,
        created: false,
        waitlistPosition: await waitlistPosition(tx, existing),
      };
    }
    if (self) {
      const state = registrationWindowState(event, now);
      if (state !== "open") throw new HttpError(ErrorCode.registrationClosed, CLOSED_DETAIL[state]);
    }

    batch.questions ??= await activeQuestions(tx, eventId);
    const questions = batch.questions;
    const checked = checkAnswers(questions, input.answers, self);
    if (!checked.ok)
      throw new HttpError(ErrorCode.validationFailed, "Some answers are not valid", checked.issues);
    if (self && event.consentVersion !== null && input.consent?.version !== event.consentVersion) {
      throw new HttpError(ErrorCode.validationFailed, "Accept the current privacy text to register", [
        { path: "consent", message: `accept version ${event.consentVersion} of the consent text` },
      ]);
    }
    const code =
      self && input.inviteCode ? await this.findInviteCode(tx, batch, input.inviteCode, now) : null;
    batch.counts ??= await seatCounts(tx, eventId);
    const counts = batch.counts;
    const admission = admit(
      {
        capacity: event.capacity,
        seatsTaken: counts.taken,
        waitlist: event.waitlistEnabled,
        approvalRequired: event.approvalRequired,
      },
      {
        skipApproval: !self || code !== null,
        bypassCapacity: self ? (code?.bypassCapacity ?? false) : source.overCapacity,
      },
    );
    // Every refusal comes before the first write: a registration either fails having written
    // nothing, or its writes (one statement for a new one) all happen.
    if (admission.status === "full") {
      throw new HttpError(ErrorCode.capacityReached, "The event is full and has no waitlist");
    }

    const locale =
      input.locale ?? (event.languages.includes("en") && !event.languages.includes("it") ? "en" : "it");
    // Newly waiting people queue behind everyone already waiting.
    const position = admission.status === "waitlisted" ? counts.waiting + 1 : null;
    const message =
      self || source.notify
        ? { kind: admission.status as MessageKind, data: position ? { waitlistPosition: position } : {} }
        : null;
    const link = self ? newRegistrationLink(event, now) : null;
    const fields = {
      name: input.name,
      locale,
      status: admission.status,
      overCapacity: admission.overCapacity,
      source: source.kind,
      inviteCodeId: code?.id ?? null,
      consentVersion: self ? event.consentVersion : null,
      consentAt: self && event.consentVersion !== null ? now : null,
    } as const;
    const actor: ChangeActor | "registrant" = self ? "registrant" : source.actor;
    // The batch's counts move with each registration decided, written yet or not (after the
    // returning one's writes: a refusal has none, and a failed write fails the whole batch).
    const countIt = () => {
      if (admission.status === "confirmed" && !admission.overCapacity) counts.taken += 1;
      if (admission.status === "waitlisted") counts.waiting += 1;
    };
    if (existing) {
      // Written now, so the new ones decided before it are written first: arrival order is decision order.
      await writeStaged(tx, batch);
      const row = await this.registerAgain(ledger, existing, {
        ...fields,
        actor,
        questions,
        answers: checked.answers,
        message,
        link,
      });
      batch.existing.set(email, row);
      countIt();
      if (row.status === "confirmed") ledger.effects.reminders.add(row.id);
      return {
        registration: row,
        created: true,
        waitlistPosition: position,
        ...(link ? { manageToken: link.token } : {}),
      };
    }
    // A new one is written with the rest of the batch when it closes (one statement for them all).
    const staged: StagedRegistration = {
      input: {
        ...fields,
        eventId,
        email: input.email,
        answers: checked.answers,
        actor,
        historyReason: code ? "invite code" : null,
        message,
        link,
        now,
      },
      waitlistPosition: position,
    };
    batch.staged.set(email, staged);
    countIt();
    return later(() => {
      const { registration, messageId } = writtenOf(staged);
      if (messageId) ledger.effects.messages.push(messageId);
      // Only a confirmed registration has reminders; a new waiting or pending one has none to cancel.
      if (registration.status === "confirmed") ledger.effects.reminders.add(registration.id);
      return {
        registration,
        created: true,
        waitlistPosition: position,
        ...(link ? { manageToken: link.token } : {}),
      };
    });
  }

  /** A cancelled registration of the same email coming back: its row is reused, history kept. */
  private async registerAgain(
    ledger: Ledger,
    existing: RegistrationRow,
    again: {
      name: string;
      locale: Locale;
      status: Status;
      overCapacity: boolean;
      source: "self" | "organizer";
      inviteCodeId: string | null;
      consentVersion: string | null;
      consentAt: Date | null;
      actor: ChangeActor | "registrant";
      questions: readonly QuestionRule[];
      answers: Record<string, AnswerValue>;
      message: { kind: MessageKind; data: Record<string, unknown> } | null;
      link: { tokenHash: string; expiresAt: Date } | null;
    },
  ): Promise<RegistrationRow> {
    const { tx, now } = ledger;
    const userId = await ensureUser(tx, existing.email, again.name, again.locale);
    const [registration] = await tx
      .update(registrations)
      .set({
        userId,
        name: again.name,
        locale: again.locale,
        status: again.status,
        arrival: nextArrival,
        waitlistOrder: again.status === "waitlisted" ? nextArrival : null,
        overCapacity: again.overCapacity,
        source: again.source,
        inviteCodeId: again.inviteCodeId,
        consentVersion: again.consentVersion,
        consentAt: again.consentAt,
        updatedAt: now,
      })
      .where(eq(registrations.id, existing.id))
      .returning();
    const row = registration!;
    await recordChange(ledger, {
      registrationId: row.id,
      from: existing.status,
      to: row.status,
      actor: again.actor === "registrant" ? { kind: "attendee", userId } : again.actor,
      reason: again.inviteCodeId ? "invite code" : null,
    });
    if (again.inviteCodeId) {
      await tx
        .update(inviteCodes)
        .set({ uses: sql`${inviteCodes.uses} + 1` })
        .where(eq(inviteCodes.id, again.inviteCodeId));
    }
    await replaceAnswers(tx, row.id, again.questions, again.answers);
    if (again.message) await addMessage(ledger, row.id, again.message.kind, again.message.data);
    if (row.status === "confirmed") await syncAttendeeRole(ledger, row, "confirmed");
    if (again.link) {
      await tx.insert(registrationLinks).values({
        tokenHash: again.link.tokenHash,
        registrationId: row.id,
        createdAt: now,
        expiresAt: again.link.expiresAt,
      });
    }
    return row;
  }

  /**
   * The usable invite code of the event with this text; refused when unknown, used up (counting
   * the batch's registrations not written yet) or expired.
   */
  private async findInviteCode(tx: Tx, batch: EventBatch, text: string, now: Date) {
    const [code] = await tx
      .select()
      .from(inviteCodes)
      .where(
        and(eq(inviteCodes.eventId, batch.event.id), sql`lower(${inviteCodes.code}) = ${text.toLowerCase()}`),
      );
    const usable =
      code &&
      code.disabledAt === null &&
      (code.expiresAt === null || code.expiresAt > now) &&
      (code.maxUses === null ||
        code.uses + unwritten(batch).filter((staged) => staged.input.inviteCodeId === code.id).length <
          code.maxUses);
    if (!usable) throw new HttpError(ErrorCode.inviteCodeInvalid, "This code is unknown, used up or expired");
    return code;
  }

  /** Cancels a registration; the freed seat goes to the first person waiting, in the same transaction. */
  async cancel(registrationId: string, actor: ChangeActor, reason?: string): Promise<RegistrationRow> {
    return this.run(async (ledger) => {
      const current = await this.lockedRegistration(ledger.tx, registrationId);
      if (current.registration.status === "cancelled" || current.registration.status === "rejected") {
        return current.registration;
      }
      const updated = await setRegistrationStatus(ledger, current.registration, "cancelled", actor, {
        reason: reason ?? null,
        message: "cancelled",
      });
      await promoteEventWaitlist(ledger, current.event);
      return updated;
    });
  }

  /** Locks the registration's event, then reads the registration as it is under that lock. */
  async lockedRegistration(tx: Tx, registrationId: string) {
    const [found] = await tx
      .select({ eventId: registrations.eventId })
      .from(registrations)
      .where(eq(registrations.id, registrationId));
    if (!found) throw new HttpError(ErrorCode.notFound);
    const event = await lockEvent(tx, found.eventId);
    const [registration] = await tx.select().from(registrations).where(eq(registrations.id, registrationId));
    if (!registration) throw new HttpError(ErrorCode.notFound);
    return { event, registration };
  }

  /**
   * Approves, rejects or promotes many registrations at once, in the order given. Registrations of
   * another event make the whole request a 404; an action that does not fit a status leaves it as is.
   */
  async decide(
    eventId: string,
    action: DecisionAction,
    ids: readonly string[],
    actor: ChangeActor,
    reason?: string,
  ): Promise<{ id: string; changed: boolean; status: RegistrationRow["status"] }[]> {
    return this.run(async (ledger) => {
      const { tx } = ledger;
      const event = await lockEvent(tx, eventId);
      const rows = await tx
        .select()
        .from(registrations)
        .where(and(eq(registrations.eventId, eventId), inArray(registrations.id, [...ids])));
      if (rows.length !== ids.length)
        throw new HttpError(ErrorCode.notFound, "Some registrations are not in this event");
      const byId = new Map(rows.map((r) => [r.id, r]));
      const results: { id: string; changed: boolean; status: RegistrationRow["status"] }[] = [];
      const options = { reason: reason ?? null };
      for (const id of ids) {
        const row = byId.get(id)!;
        let next: RegistrationRow | undefined;
        if (action === "approve" && row.status === "pending") {
          const admission = admit(
            {
              capacity: event.capacity,
              seatsTaken: await seatsTaken(tx, eventId),
              waitlist: event.waitlistEnabled,
              approvalRequired: false,
            },
            { skipApproval: true, bypassCapacity: false },
          );
          if (admission.status === "confirmed") {
            next = await setRegistrationStatus(ledger, row, "confirmed", actor, {
              ...options,
              message: "approved",
            });
          } else if (admission.status === "waitlisted") {
            next = await setRegistrationStatus(ledger, row, "waitlisted", actor, {
              ...options,
              message: "waitlisted",
            });
          }
        } else if (action === "reject" && ["pending", "waitlisted", "confirmed"].includes(row.status)) {
          next = await setRegistrationStatus(ledger, row, "rejected", actor, {
            ...options,
            message: "rejected",
          });
        } else if (action === "promote" && row.status === "waitlisted") {
          const left = seatsLeft(event.capacity, await seatsTaken(tx, eventId));
          next = await setRegistrationStatus(ledger, row, "confirmed", actor, {
            ...options,
            message: "promoted",
            overCapacity: left !== null && left <= 0,
          });
        }
        results.push({ id, changed: next !== undefined, status: (next ?? row).status });
      }
      await promoteEventWaitlist(ledger, event);
      return results;
    });
  }

  /** Replaces the name and the answers to the current questions (answers to archived ones stay). */
  async updateAnswers(
    registration: RegistrationRow,
    input: { name?: string | undefined; answers: Record<string, AnswerValue> },
    enforceRequired: boolean,
  ): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.db.transaction(async (tx) => {
      const questions = await activeQuestions(tx, registration.eventId);
      const checked = checkAnswers(questions, input.answers, enforceRequired);
      if (!checked.ok)
        throw new HttpError(ErrorCode.validationFailed, "Some answers are not valid", checked.issues);
      await replaceAnswers(tx, registration.id, questions, checked.answers);
      await tx
        .update(registrations)
        .set({ ...(input.name ? { name: input.name } : {}), updatedAt: now })
        .where(eq(registrations.id, registration.id));
    });
  }
}

/** The account behind an email, created on first use (the confirmation email signs them in). */
async function ensureUser(tx: Tx, email: string, name: string, locale: Locale): Promise<string> {
  const [inserted] = await tx
    .insert(users)
    .values({ email, name, locale })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (inserted) return inserted.id;
  const [found] = await tx
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return found!.id;
}

async function replaceAnswers(
  tx: Tx,
  registrationId: string,
  questions: readonly QuestionRule[],
  answers: Record<string, AnswerValue>,
  mayHaveAnswers = true,
): Promise<void> {
  if (questions.length === 0) return;
  if (mayHaveAnswers)
    await tx.delete(registrationAnswers).where(
      and(
        eq(registrationAnswers.registrationId, registrationId),
        inArray(
          registrationAnswers.questionId,
          questions.map((q) => q.id),
        ),
      ),
    );
  const rows = Object.entries(answers).map(([questionId, value]) => ({ registrationId, questionId, value }));
  if (rows.length > 0) await tx.insert(registrationAnswers).values(rows);
}
