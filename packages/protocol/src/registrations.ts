// Registrations on the wire: settings and questions, registering (no account needed), attendee
// self-service, the organizer's table, decisions, invite codes, exports and announcements.
//
// Links in registration emails (pages of the web app; the token sits in the URL fragment, so it is
// never sent to a server nor logged):
//   {PUBLIC_URL}/registrations/{registrationId}#token={token}         manage (view, edit answers, seats)
//   {PUBLIC_URL}/registrations/{registrationId}/cancel#token={token}  cancel
//   {PUBLIC_URL}/auth/magic?token=...&next=/registrations/{id}        sign in (confirmation emails)
// The page calls the registration routes with the token in the REGISTRATION_TOKEN_HEADER header;
// a signed-in owner needs no token. Calendar files link the public page {PUBLIC_URL}/e/{slug}.
import { z } from "zod";
import { Email, Locale, PersonName } from "./common.js";
import { EventSummary, Slug } from "./events.js";
import { EventId, SessionId } from "./ids.js";
import { LocalDateTime, parseLocalDateTime } from "./time.js";

export const RegistrationId = z.uuid().brand<"RegistrationId">();
export type RegistrationId = z.infer<typeof RegistrationId>;
export const QuestionId = z.uuid().brand<"QuestionId">();
export type QuestionId = z.infer<typeof QuestionId>;
export const InviteCodeId = z.uuid().brand<"InviteCodeId">();
export type InviteCodeId = z.infer<typeof InviteCodeId>;

/** Length and count limits, shared by the schemas, the server and the web forms. */
export const REGISTRATION_LIMITS = {
  maxQuestions: 30,
  questionLabelMaxLength: 300,
  questionHelpMaxLength: 1000,
  maxOptions: 30,
  optionMaxLength: 200,
  answerTextMaxLength: 2000,
  consentTextMaxLength: 5000,
  consentVersionMaxLength: 40,
  inviteCodeMaxLength: 64,
  inviteCodeMaxUses: 100_000,
  capacityMax: 100_000,
  searchMaxLength: 200,
  pageMax: 500,
  bulkMax: 500,
  reasonMaxLength: 500,
  announcementSubjectMaxLength: 200,
  announcementBodyMaxLength: 10_000,
} as const;
const L = REGISTRATION_LIMITS;

/** Header carrying the token of an emailed registration link (links put it in the URL fragment). */
export const REGISTRATION_TOKEN_HEADER = "x-registration-token";

export const REGISTRATION_STATUSES = ["pending", "confirmed", "waitlisted", "cancelled", "rejected"] as const;
export const RegistrationStatus = z.enum(REGISTRATION_STATUSES);
export type RegistrationStatus = z.infer<typeof RegistrationStatus>;

/** A seat in one session: no approval there, so three states. */
export const SessionSeatStatus = z.enum(["confirmed", "waitlisted", "cancelled"]);
export type SessionSeatStatus = z.infer<typeof SessionSeatStatus>;

export const QuestionKind = z.enum(["text", "single_choice", "multiple_choice", "checkbox"]);
export type QuestionKind = z.infer<typeof QuestionKind>;

const isChoice = (kind: QuestionKind) => kind === "single_choice" || kind === "multiple_choice";
const unique = (values: readonly string[]) => new Set(values).size === values.length;

/** A custom question as the organizer writes it; an `id` keeps an existing question (and its answers). */
export const QuestionInput = z
  .strictObject({
    id: QuestionId.optional(),
    kind: QuestionKind,
    label: z.string().trim().min(1).max(L.questionLabelMaxLength),
    help: z.string().trim().max(L.questionHelpMaxLength).default(""),
    required: z.boolean().default(false),
    options: z.array(z.string().trim().min(1).max(L.optionMaxLength)).max(L.maxOptions).default([]),
  })
  .superRefine((q, ctx) => {
    if (isChoice(q.kind) && q.options.length < 2) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "a choice needs at least two options" });
    }
    if (!isChoice(q.kind) && q.options.length > 0) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "only choice questions have options" });
    }
    if (!unique(q.options))
      ctx.addIssue({ code: "custom", path: ["options"], message: "options must not repeat" });
  });
export type QuestionInput = z.input<typeof QuestionInput>;

export const Question = z.object({
  id: QuestionId,
  kind: QuestionKind,
  label: z.string(),
  help: z.string(),
  required: z.boolean(),
  options: z.array(z.string()),
});
export type Question = z.infer<typeof Question>;

export const Consent = z.strictObject({
  text: z.string().trim().min(1).max(L.consentTextMaxLength),
  version: z.string().trim().min(1).max(L.consentVersionMaxLength),
});
export type Consent = z.infer<typeof Consent>;

const localOrder = (start: string | null, end: string | null) => {
  const a = start === null ? undefined : parseLocalDateTime(start);
  const b = end === null ? undefined : parseLocalDateTime(end);
  if (!a || !b) return true;
  const ms = (w: typeof a) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return ms(b) > ms(a);
};

/** The event's registration settings, replaced as a whole; dates are wall-clock times in the event's zone. */
export const RegistrationSettingsBody = z
  .strictObject({
    enabled: z.boolean(),
    opensAt: LocalDateTime.nullable().default(null),
    closesAt: LocalDateTime.nullable().default(null),
    /** Seats; null means no limit. */
    capacity: z.number().int().min(0).max(L.capacityMax).nullable().default(null),
    waitlist: z.boolean().default(true),
    approvalRequired: z.boolean().default(false),
    consent: Consent.nullable().default(null),
    questions: z.array(QuestionInput).max(L.maxQuestions).default([]),
  })
  .superRefine((s, ctx) => {
    if (!localOrder(s.opensAt, s.closesAt)) {
      ctx.addIssue({ code: "custom", path: ["closesAt"], message: "must be after the opening" });
    }
    const ids = s.questions.flatMap((q) => (q.id ? [q.id] : []));
    if (!unique(ids))
      ctx.addIssue({ code: "custom", path: ["questions"], message: "question ids must not repeat" });
  });
export type RegistrationSettingsBody = z.input<typeof RegistrationSettingsBody>;

export const RegistrationSettings = z.object({
  enabled: z.boolean(),
  opensAt: z.string().nullable(),
  closesAt: z.string().nullable(),
  capacity: z.number().int().nullable(),
  waitlist: z.boolean(),
  approvalRequired: z.boolean(),
  consent: z.object({ text: z.string(), version: z.string() }).nullable(),
  questions: z.array(Question),
  timeZone: z.string(),
});
export type RegistrationSettings = z.infer<typeof RegistrationSettings>;

/** Why registration is or is not possible right now. */
export const RegistrationState = z.enum(["open", "not_enabled", "not_yet_open", "closed", "full"]);
export type RegistrationState = z.infer<typeof RegistrationState>;

export const SessionSeats = z.object({
  sessionId: SessionId,
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int().nullable(),
  seatsLeft: z.number().int().nullable(),
  waitlist: z.boolean(),
});

/** What the public registration form needs. */
export const RegistrationForm = z.object({
  eventId: EventId,
  slug: Slug,
  title: z.string(),
  timeZone: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  state: RegistrationState,
  opensAt: z.string().nullable(),
  closesAt: z.string().nullable(),
  capacity: z.number().int().nullable(),
  seatsLeft: z.number().int().nullable(),
  waitlist: z.boolean(),
  approvalRequired: z.boolean(),
  consent: z.object({ text: z.string(), version: z.string() }).nullable(),
  questions: z.array(Question),
  sessions: z.array(SessionSeats),
});
export type RegistrationForm = z.infer<typeof RegistrationForm>;

/** One answer: text or a single choice, the chosen options, or a checkbox. */
export const AnswerValue = z.union([
  z.string().max(L.answerTextMaxLength),
  z.array(z.string().max(L.optionMaxLength)).max(L.maxOptions),
  z.boolean(),
]);
export type AnswerValue = z.infer<typeof AnswerValue>;

export const Answers = z
  .record(z.uuid(), AnswerValue)
  .refine((a) => Object.keys(a).length <= L.maxQuestions, "too many answers");
export type Answers = z.infer<typeof Answers>;

export const InviteCodeText = z
  .string()
  .trim()
  .min(4)
  .max(L.inviteCodeMaxLength)
  .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _");

export const RegisterBody = z.strictObject({
  name: PersonName,
  email: Email,
  locale: Locale.optional(),
  answers: Answers.default({}),
  /** Acceptance of the consent text of this version. */
  consent: z
    .strictObject({ accepted: z.literal(true), version: z.string().min(1).max(L.consentVersionMaxLength) })
    .optional(),
  inviteCode: InviteCodeText.optional(),
});
export type RegisterBody = z.input<typeof RegisterBody>;

/** What anyone who submits the form learns: enough to say what happened, nothing about answers. */
export const RegistrationReceipt = z.object({
  id: RegistrationId,
  eventId: EventId,
  status: RegistrationStatus,
  waitlistPosition: z.number().int().nullable(),
});
export type RegistrationReceipt = z.infer<typeof RegistrationReceipt>;

export const RegisterResponse = z.object({
  /**
   * The registration, when this request made it (or added someone, for organizers). A repeat of an
   * email already registered answers null to anyone but the registrant signed in as themself, so
   * the form cannot be used to probe who registered and how they stand: "we already have a
   * registration for this email, its link is in the email we sent".
   */
  registration: RegistrationReceipt.nullable(),
  /** False when this email was already registered: nothing changed and nothing was sent. */
  created: z.boolean(),
  /** Manages the new registration from this browser (same power as the emailed link); only when created. */
  manageToken: z.string().optional(),
});
export type RegisterResponse = z.infer<typeof RegisterResponse>;

export const SessionSeat = z.object({
  sessionId: SessionId,
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: SessionSeatStatus,
  waitlistPosition: z.number().int().nullable(),
});
export type SessionSeat = z.infer<typeof SessionSeat>;

export const RegistrationView = z.object({
  id: RegistrationId,
  eventId: EventId,
  status: RegistrationStatus,
  name: z.string(),
  email: z.string(),
  locale: Locale,
  waitlistPosition: z.number().int().nullable(),
  /** Admitted beyond capacity (an invite code or the organizer). */
  overCapacity: z.boolean(),
  source: z.enum(["self", "organizer"]),
  answers: z.record(z.string(), AnswerValue),
  consent: z.object({ version: z.string(), at: z.string() }).nullable(),
  inviteCode: z.string().nullable(),
  sessions: z.array(SessionSeat),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RegistrationView = z.infer<typeof RegistrationView>;

export const StatusChange = z.object({
  /** The session of a seat change; null for the event registration, and for a session since deleted. */
  sessionId: SessionId.nullable(),
  /** The session's title for a seat change (kept when the session is deleted); null otherwise. */
  sessionTitle: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string(),
  by: z.enum(["attendee", "organizer", "system"]),
  /** Shown to organizers only. */
  actorName: z.string().nullable(),
  reason: z.string().nullable(),
  at: z.string(),
});
export type StatusChange = z.infer<typeof StatusChange>;

export const RegistrationEvent = EventSummary.pick({
  id: true,
  slug: true,
  title: true,
  timeZone: true,
  startsAt: true,
  endsAt: true,
});

export const RegistrationDetail = z.object({
  registration: RegistrationView,
  event: RegistrationEvent,
  questions: z.array(Question),
  history: z.array(StatusChange),
});
export type RegistrationDetail = z.infer<typeof RegistrationDetail>;

export const MyRegistrationsResponse = z.object({
  registrations: z.array(z.object({ registration: RegistrationView, event: RegistrationEvent })),
});
export type MyRegistrationsResponse = z.infer<typeof MyRegistrationsResponse>;

export const RegistrationParams = z.strictObject({ registrationId: RegistrationId });
export const RegistrationSessionParams = z.strictObject({
  registrationId: RegistrationId,
  sessionId: SessionId,
});

export const UpdateAnswersBody = z.strictObject({ name: PersonName.optional(), answers: Answers });
export type UpdateAnswersBody = z.input<typeof UpdateAnswersBody>;

export const SessionSeatResponse = z.object({ seat: SessionSeat });

export const RegistrationListQuery = z.strictObject({
  q: z.string().trim().max(L.searchMaxLength).optional(),
  status: RegistrationStatus.optional(),
  sessionId: SessionId.optional(),
  limit: z.coerce.number().int().min(1).max(L.pageMax).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type RegistrationListQuery = z.input<typeof RegistrationListQuery>;

export const RegistrationListResponse = z.object({
  registrations: z.array(RegistrationView),
  total: z.number().int(),
  questions: z.array(Question),
});
export type RegistrationListResponse = z.infer<typeof RegistrationListResponse>;

/** The CSV export is written in this language (default: the organizer's own). */
export const RegistrationExportQuery = z.strictObject({ locale: Locale.optional() });
export type RegistrationExportQuery = z.input<typeof RegistrationExportQuery>;

export const RegistrationCounts = z.object({
  capacity: z.number().int().nullable(),
  /** Confirmed people, including those admitted beyond capacity. */
  confirmed: z.number().int(),
  /** Confirmed people who hold one of the `capacity` seats. */
  seatsTaken: z.number().int(),
  waitlisted: z.number().int(),
  pending: z.number().int(),
  cancelled: z.number().int(),
  rejected: z.number().int(),
  sessions: z.array(
    z.object({
      sessionId: SessionId,
      title: z.string(),
      capacity: z.number().int().nullable(),
      confirmed: z.number().int(),
      waitlisted: z.number().int(),
    }),
  ),
});
export type RegistrationCounts = z.infer<typeof RegistrationCounts>;

/** Someone added by the organizer: no approval, no consent form; a full event waitlists them unless `overCapacity`. */
export const AddRegistrationBody = z.strictObject({
  name: PersonName,
  email: Email,
  locale: Locale.optional(),
  answers: Answers.default({}),
  overCapacity: z.boolean().default(false),
  notify: z.boolean().default(true),
});
export type AddRegistrationBody = z.input<typeof AddRegistrationBody>;

export const DecisionAction = z.enum(["approve", "reject", "promote"]);
export type DecisionAction = z.infer<typeof DecisionAction>;

/** Approve or reject pending people, or move waitlisted people in (beyond capacity if it is full). */
export const DecisionBody = z.strictObject({
  action: DecisionAction,
  registrationIds: z
    .array(RegistrationId)
    .min(1)
    .max(L.bulkMax)
    .refine((ids) => unique(ids), "registrations must not repeat"),
  reason: z.string().trim().max(L.reasonMaxLength).optional(),
});
export type DecisionBody = z.input<typeof DecisionBody>;

export const DecisionResponse = z.object({
  results: z.array(
    z.object({
      id: RegistrationId,
      /** False when the action does not apply to the registration's status (left unchanged). */
      changed: z.boolean(),
      status: RegistrationStatus,
    }),
  ),
});
export type DecisionResponse = z.infer<typeof DecisionResponse>;

export const CreateInviteCodeBody = z.strictObject({
  /** Chosen by the organizer, or generated when omitted. */
  code: InviteCodeText.optional(),
  /** Uses allowed; null means unlimited. */
  maxUses: z.number().int().min(1).max(L.inviteCodeMaxUses).nullable().default(1),
  bypassCapacity: z.boolean().default(false),
  expiresAt: LocalDateTime.nullable().default(null),
});
export type CreateInviteCodeBody = z.input<typeof CreateInviteCodeBody>;

export const InviteCode = z.object({
  id: InviteCodeId,
  code: z.string(),
  maxUses: z.number().int().nullable(),
  uses: z.number().int(),
  bypassCapacity: z.boolean(),
  expiresAt: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type InviteCode = z.infer<typeof InviteCode>;

export const InviteCodeResponse = z.object({ inviteCode: InviteCode });
export const InviteCodesResponse = z.object({ inviteCodes: z.array(InviteCode) });
export const InviteCodeParams = z.strictObject({ slug: Slug, codeId: InviteCodeId });

/** An email to a chosen group of registrants. */
export const AnnouncementBody = z.strictObject({
  subject: z.string().trim().min(1).max(L.announcementSubjectMaxLength),
  body: z.string().trim().min(1).max(L.announcementBodyMaxLength),
  statuses: z
    .array(z.enum(["confirmed", "waitlisted", "pending"]))
    .min(1)
    .refine((s) => unique(s), "statuses must not repeat"),
  /** Only people with a confirmed seat in this session. */
  sessionId: SessionId.optional(),
});
export type AnnouncementBody = z.input<typeof AnnouncementBody>;

export const AnnouncementResponse = z.object({ id: z.uuid(), recipients: z.number().int() });

// ---- jobs ----

/**
 * The recurring job that re-arms registration emails still unsent (their scheduling failed, or
 * their job ran out of attempts) without waiting for a restart. Named here beside its payload;
 * `JobName` (jobs.ts) lists the other jobs.
 */
export const REGISTRATION_MAIL_SWEEP_JOB = "registration-mail-sweep";

/** One sweep per slot: `at` (epoch ms) is the slot's time and its job id, so a cluster runs it once. */
export const RegistrationMailSweepJob = z.strictObject({ at: z.number().int().nonnegative() });
export type RegistrationMailSweepJob = z.infer<typeof RegistrationMailSweepJob>;

/** The deterministic id of a sweep: one per slot. */
export const registrationMailSweepJobId = (job: RegistrationMailSweepJob) => `mail-sweep:${job.at}`;
