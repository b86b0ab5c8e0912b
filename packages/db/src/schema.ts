import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** People: organizers sign up with a password; attendees arrive by magic link and may add one later. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    locale: text("locale").notNull().default("it"),
    emailVerifiedAt: ts("email_verified_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

/** Server-side sessions; the cookie holds only the opaque id, stored here as a SHA-256 hash. */
export const authSessions = pgTable(
  "auth_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: ts("last_seen_at").notNull().defaultNow(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    userAgent: text("user_agent"),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId)],
);

/** Single-use tokens sent by email (magic sign-in, password reset), stored hashed. */
export const oneTimeTokens = pgTable(
  "one_time_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    purpose: text("purpose", { enum: ["magic_link", "password_reset"] }).notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    next: text("next"),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [index("one_time_tokens_user_idx").on(t.userId)],
);

export const events = pgTable("events", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  title: text("title").notNull(),
  description: text("description").notNull().default(""),
  timeZone: text("time_zone").notNull(),
  startsAt: ts("starts_at").notNull(),
  endsAt: ts("ends_at").notNull(),
  visibility: text("visibility", { enum: ["draft", "unlisted", "public"] })
    .notNull()
    .default("draft"),
  languages: jsonb("languages").$type<string[]>().notNull().default(["it"]),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  // Registration settings (0002).
  registrationEnabled: boolean("registration_enabled")
    .notNull()
    .default(sql`false`),
  registrationOpensAt: ts("registration_opens_at"),
  registrationClosesAt: ts("registration_closes_at"),
  /** Seats; null means no limit. */
  capacity: integer("capacity"),
  waitlistEnabled: boolean("waitlist_enabled")
    .notNull()
    .default(sql`true`),
  approvalRequired: boolean("approval_required")
    .notNull()
    .default(sql`false`),
  consentText: text("consent_text"),
  consentVersion: text("consent_version"),
});

/** Who holds which role in which event; one row per (event, person, role). */
export const eventMembers = pgTable(
  "event_members",
  {
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["organizer", "facilitator", "speaker", "attendee"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.userId, t.role] }),
    index("event_members_user_idx").on(t.userId),
  ],
);

/** Areas or tracks inside an event. */
export const spaces = pgTable(
  "spaces",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("spaces_event_name_key").on(t.eventId, t.name)],
);

/** Scheduled sessions of an event (plenaries, workshops, talks), stored in UTC. */
export const agendaSessions = pgTable(
  "agenda_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    spaceId: uuid("space_id").references(() => spaces.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    kind: text("kind", { enum: ["plenary", "workshop", "talk", "networking"] }).notNull(),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    createdAt: createdAt(),
    // Own seats and registration (0002).
    capacity: integer("capacity"),
    registrationEnabled: boolean("registration_enabled")
      .notNull()
      .default(sql`false`),
    waitlistEnabled: boolean("waitlist_enabled")
      .notNull()
      .default(sql`true`),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("agenda_sessions_event_idx").on(t.eventId, t.startsAt)],
);

/** Email written to the local outbox when no SMTP server is configured (and a record of what was sent). */
export const outbox = pgTable(
  "outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    to: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text_body").notNull(),
    html: text("html_body"),
    attachments: jsonb("attachments")
      .$type<{ filename: string; contentType: string; content: string }[]>()
      .notNull()
      .default([]),
    createdAt: createdAt(),
    deliveredVia: text("delivered_via").notNull(),
  },
  (t) => [index("outbox_created_idx").on(t.createdAt)],
);

/** Applied migrations, written by the migrator. */
export const schemaMigrations = pgTable("schema_migrations", {
  id: text("id").primaryKey(),
  checksum: text("checksum").notNull(),
  appliedAt: ts("applied_at").notNull().defaultNow(),
});

// ---- 0002_events_registrations ----

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/** Speakers and facilitators of one session. */
export const sessionPeople = pgTable(
  "session_people",
  {
    sessionId: uuid("session_id")
      .notNull()
      .references(() => agendaSessions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["speaker", "facilitator"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.userId, t.role] }),
    index("session_people_user_idx").on(t.userId),
  ],
);

/** Every consent text an event has shown, by version. */
export const consentTexts = pgTable(
  "consent_texts",
  {
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    version: text("version").notNull(),
    text: text("text").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.version] })],
);

export type QuestionKindValue = "text" | "single_choice" | "multiple_choice" | "checkbox";

/** Custom registration questions; archived ones keep their answers. */
export const registrationQuestions = pgTable(
  "registration_questions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["text", "single_choice", "multiple_choice", "checkbox"] }).notNull(),
    label: text("label").notNull(),
    help: text("help").notNull().default(""),
    options: jsonb("options").$type<string[]>().notNull().default([]),
    required: boolean("required")
      .notNull()
      .default(sql`false`),
    position: integer("position").notNull().default(0),
    archivedAt: ts("archived_at"),
    createdAt: createdAt(),
  },
  (t) => [index("registration_questions_event_idx").on(t.eventId, t.position)],
);

export const inviteCodes = pgTable(
  "invite_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    /** Null means unlimited. */
    maxUses: integer("max_uses"),
    uses: integer("uses").notNull().default(0),
    bypassCapacity: boolean("bypass_capacity")
      .notNull()
      .default(sql`false`),
    expiresAt: ts("expires_at"),
    disabledAt: ts("disabled_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("invite_codes_event_code_key").on(t.eventId, sql`lower(${t.code})`)],
);

export type RegistrationStatusValue = "pending" | "confirmed" | "waitlisted" | "cancelled" | "rejected";

/**
 * One person's registration for one event. `arrival` and `waitlist_order` come from the
 * `registration_order_seq` sequence while the event row is locked, so they follow arrival order.
 */
export const registrations = pgTable(
  "registrations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    locale: text("locale").notNull().default("it"),
    status: text("status", {
      enum: ["pending", "confirmed", "waitlisted", "cancelled", "rejected"],
    }).notNull(),
    arrival: bigint("arrival", { mode: "number" }).notNull(),
    waitlistOrder: bigint("waitlist_order", { mode: "number" }),
    /** Admitted beyond capacity (an invite code that bypasses it, or the organizer). */
    overCapacity: boolean("over_capacity")
      .notNull()
      .default(sql`false`),
    source: text("source", { enum: ["self", "organizer"] })
      .notNull()
      .default("self"),
    inviteCodeId: uuid("invite_code_id").references(() => inviteCodes.id, { onDelete: "set null" }),
    consentVersion: text("consent_version"),
    consentAt: ts("consent_at"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("registrations_event_email_key").on(t.eventId, sql`lower(${t.email})`),
    index("registrations_event_status_idx").on(t.eventId, t.status, t.waitlistOrder),
    index("registrations_user_idx").on(t.userId),
  ],
);

export const registrationAnswers = pgTable(
  "registration_answers",
  {
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    questionId: uuid("question_id")
      .notNull()
      .references(() => registrationQuestions.id, { onDelete: "cascade" }),
    value: jsonb("value").$type<string | string[] | boolean>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.registrationId, t.questionId] })],
);

/** A seat (or a waitlist place) in one session, held by an event registration. */
export const sessionRegistrations = pgTable(
  "session_registrations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => agendaSessions.id, { onDelete: "cascade" }),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["confirmed", "waitlisted", "cancelled"] }).notNull(),
    arrival: bigint("arrival", { mode: "number" }).notNull(),
    waitlistOrder: bigint("waitlist_order", { mode: "number" }),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("session_registrations_session_registration_key").on(t.sessionId, t.registrationId),
    index("session_registrations_session_status_idx").on(t.sessionId, t.status, t.waitlistOrder),
    index("session_registrations_registration_idx").on(t.registrationId),
  ],
);

/** Every status change of a registration (session_id null) or of one of its session seats. */
export const registrationHistory = pgTable(
  "registration_history",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id").references(() => agendaSessions.id, { onDelete: "cascade" }),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    actor: text("actor", { enum: ["attendee", "organizer", "system"] }).notNull(),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    reason: text("reason"),
    createdAt: createdAt(),
  },
  (t) => [index("registration_history_registration_idx").on(t.registrationId, t.createdAt)],
);

/** Emailed links managing one registration without signing in (SHA-256 of the token). */
export const registrationLinks = pgTable(
  "registration_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [index("registration_links_registration_idx").on(t.registrationId)],
);

/** Messages owed to a registrant, written with the change that caused them and sent once by a job. */
export const registrationMessages = pgTable(
  "registration_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    /** A sender holds it until then plus a lease; cleared when sending failed. */
    claimedAt: ts("claimed_at"),
    sentAt: ts("sent_at"),
  },
  (t) => [
    index("registration_messages_unsent_idx")
      .on(t.createdAt)
      .where(sql`sent_at IS NULL`),
    index("registration_messages_registration_idx").on(t.registrationId),
  ],
);

/** Reminders claimed and sent, one per registration, target ("event" or a session id), lead and announced start. */
export const reminderDeliveries = pgTable(
  "reminder_deliveries",
  {
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    target: text("target").notNull(),
    lead: text("lead").notNull(),
    startsAt: ts("starts_at").notNull(),
    claimedAt: ts("claimed_at").notNull().defaultNow(),
    sentAt: ts("sent_at"),
  },
  (t) => [primaryKey({ columns: [t.registrationId, t.target, t.lead, t.startsAt] })],
);

export const announcements = pgTable(
  "announcements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    audience: jsonb("audience").$type<{ statuses: string[]; sessionId: string | null }>().notNull(),
    recipients: integer("recipients").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("announcements_event_idx").on(t.eventId, t.createdAt)],
);

export const eventCovers = pgTable("event_covers", {
  eventId: uuid("event_id")
    .primaryKey()
    .references(() => events.id, { onDelete: "cascade" }),
  contentType: text("content_type").notNull(),
  data: bytea("data").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

// ---- 0003_boards ----

/**
 * A live idea board (issue 4): the latest snapshot of its state (after `stateVersion` events), its
 * revision `seq` (what clients see), `version` (the number of events, hidden votes included), and
 * the phase and running timer copied out of the state for listings and the start-up timer re-arm.
 */
export const boards = pgTable(
  "boards",
  {
    id: uuid("id").primaryKey(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id").references(() => agendaSessions.id, { onDelete: "cascade" }),
    /** A breakout table, once they exist. */
    tableId: text("table_id"),
    title: text("title").notNull(),
    /** Settings at creation: with id and createdAt they rebuild the initial state. */
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
    state: jsonb("state").$type<Record<string, unknown>>().notNull(),
    stateVersion: integer("state_version").notNull().default(0),
    seq: integer("seq").notNull().default(0),
    version: integer("version").notNull().default(0),
    phase: text("phase", { enum: ["collect", "group", "vote", "reveal", "closed"] })
      .notNull()
      .default("collect"),
    deadlineAt: ts("deadline_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("boards_event_idx").on(t.eventId, t.createdAt),
    index("boards_session_idx").on(t.sessionId),
    index("boards_deadline_idx")
      .on(t.deadlineAt)
      .where(sql`deadline_at IS NOT NULL`),
  ],
);

/** A board's event log: `ordinal` 1, 2, 3... per board, `seq` the board's seq after the event. */
export const boardEvents = pgTable(
  "board_events",
  {
    boardId: uuid("board_id")
      .notNull()
      .references(() => boards.id, { onDelete: "cascade" }),
    ordinal: integer("ordinal").notNull(),
    seq: integer("seq").notNull(),
    event: jsonb("event").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.boardId, t.ordinal] }),
    index("board_events_seq_idx").on(t.boardId, t.seq),
  ],
);

/** The first answer to each board command, keyed by the client's op id, for idempotent retries. */
export const boardOps = pgTable(
  "board_ops",
  {
    boardId: uuid("board_id")
      .notNull()
      .references(() => boards.id, { onDelete: "cascade" }),
    participantId: uuid("participant_id").notNull(),
    clientOpId: uuid("client_op_id").notNull(),
    ack: jsonb("ack").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.participantId, t.clientOpId] })],
);

/** LiveKit webhook deliveries already handled (LiveKit retries; each event id counts once). */
export const mediaWebhookEvents = pgTable("media_webhook_events", {
  id: text("id").primaryKey(),
  event: text("event").notNull(),
  receivedAt: ts("received_at").notNull().defaultNow(),
});

/** One visit of one person to one media room (a LiveKit participant sid), from join to leave. */
export const attendance = pgTable(
  "attendance",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => agendaSessions.id, { onDelete: "cascade" }),
    room: text("room").notNull(),
    tableId: text("table_id"),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    participantSid: text("participant_sid").notNull(),
    joinedAt: ts("joined_at"),
    leftAt: ts("left_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("attendance_visit_key").on(t.room, t.participantSid),
    index("attendance_session_idx").on(t.sessionId, t.userId),
  ],
);
