import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
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

export const events = pgTable(
  "events",
  {
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
    /** The community the event belongs to (0007). */
    communityId: uuid("community_id").references((): AnyPgColumn => communities.id, { onDelete: "set null" }),
  },
  (t) => [
    index("events_community_idx").on(t.communityId),
    // 0010: the public list of upcoming and past events.
    index("events_visibility_ends_idx").on(t.visibility, t.endsAt),
  ],
);

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
    // 0010: a deleted session leaves its seat history behind, with the title it had.
    sessionId: uuid("session_id").references(() => agendaSessions.id, { onDelete: "set null" }),
    sessionTitle: text("session_title"),
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
    /** Sends tried (claims); unsent at the server's bound means given up. */
    attempts: integer("attempts").notNull().default(0),
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
    // 0009: the per-event report.
    index("attendance_event_idx").on(t.eventId, t.userId),
  ],
);

// ---- 0007_library (issue 8): communities and the shared library ----

export type CommunityKindValue = "national" | "regional" | "local" | "thematic";
export type CommunityRoleValue = "member" | "editor" | "admin";

/** A community (a national group, a region, a council group, a thematic community) in a tree. */
export const communities = pgTable(
  "communities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["national", "regional", "local", "thematic"] }).notNull(),
    description: text("description").notNull().default(""),
    parentId: uuid("parent_id").references((): AnyPgColumn => communities.id, { onDelete: "restrict" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("communities_parent_idx").on(t.parentId)],
);

/** One role per person and community. */
export const communityMembers = pgTable(
  "community_members",
  {
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["member", "editor", "admin"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.userId] }),
    index("community_members_user_idx").on(t.userId),
  ],
);

const tsvector = customType<{ data: string; driverData: string }>({ dataType: () => "tsvector" });
/** The text search configuration of an item's language (a constant per row, so the column can be generated). */
const searchConfig = sql.raw(
  `CASE language WHEN 'en' THEN 'english'::regconfig ELSE 'italian'::regconfig END`,
);

export type LibraryItemKindValue = "act" | "practice" | "resource" | "session_outcome";

/** An act, practice, resource or session outcome, with its search vector in its own language. */
export const libraryItems = pgTable(
  "library_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: ["act", "practice", "resource", "session_outcome"] }).notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    body: text("body").notNull().default(""),
    tags: jsonb("tags").$type<string[]>().notNull().default([]),
    territory: text("territory"),
    language: text("language", { enum: ["it", "en"] })
      .notNull()
      .default("it"),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["draft", "published", "withdrawn"] })
      .notNull()
      .default("draft"),
    audience: text("audience", { enum: ["community", "siblings", "everyone"] })
      .notNull()
      .default("community"),
    /** Provenance: the item this one was adopted from. */
    adaptedFromId: uuid("adapted_from_id").references((): AnyPgColumn => libraryItems.id, {
      onDelete: "set null",
    }),
    sourceBoardId: uuid("source_board_id").references(() => boards.id, { onDelete: "set null" }),
    version: integer("version").notNull().default(1),
    publishedAt: ts("published_at"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    search: tsvector("search").generatedAlwaysAs(
      sql`setweight(to_tsvector(${searchConfig}, title), 'A') || setweight(to_tsvector(${searchConfig}, summary || ' ' || (tags::text)), 'B') || setweight(to_tsvector(${searchConfig}, body), 'C')`,
    ),
  },
  (t) => [
    index("library_items_search_idx").using("gin", t.search),
    index("library_items_tags_idx").using("gin", sql`${t.tags} jsonb_path_ops`),
    index("library_items_community_idx").on(t.communityId, t.status),
    index("library_items_published_idx").on(t.status, t.audience, t.publishedAt),
    index("library_items_adapted_from_idx").on(t.adaptedFromId),
  ],
);

/** Every version of an item, the first included. */
export const libraryItemVersions = pgTable(
  "library_item_versions",
  {
    itemId: uuid("item_id")
      .notNull()
      .references(() => libraryItems.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    body: text("body").notNull(),
    tags: jsonb("tags").$type<string[]>().notNull(),
    territory: text("territory"),
    editedBy: uuid("edited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.version] })],
);

/** One item sent down to one descendant community: what that community did with it and how it went. */
export const libraryDeliveries = pgTable(
  "library_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    itemId: uuid("item_id")
      .notNull()
      .references(() => libraryItems.id, { onDelete: "cascade" }),
    communityId: uuid("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    fromCommunityId: uuid("from_community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    sentBy: uuid("sent_by").references(() => users.id, { onDelete: "set null" }),
    note: text("note").notNull().default(""),
    status: text("status", { enum: ["received", "adopted", "declined"] })
      .notNull()
      .default("received"),
    adoptedItemId: uuid("adopted_item_id").references(() => libraryItems.id, { onDelete: "set null" }),
    outcome: text("outcome", { enum: ["tabled", "approved", "rejected"] }),
    /** The day of the outcome (YYYY-MM-DD). */
    outcomeOn: date("outcome_on", { mode: "string" }),
    outcomeNote: text("outcome_note"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("library_deliveries_item_community_key").on(t.itemId, t.communityId),
    index("library_deliveries_inbox_idx").on(t.communityId, t.createdAt),
  ],
);

export const libraryAttachments = pgTable(
  "library_attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    itemId: uuid("item_id")
      .notNull()
      .references(() => libraryItems.id, { onDelete: "cascade" }),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** Where the bytes are in the configured store. */
    storageKey: text("storage_key").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("library_attachments_item_idx").on(t.itemId),
    // 0008: adopted copies share the original's bytes; a delete asks whether a key is still named.
    index("library_attachments_storage_key_idx").on(t.storageKey),
  ],
);

export const libraryComments = pgTable(
  "library_comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    itemId: uuid("item_id")
      .notNull()
      .references(() => libraryItems.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("library_comments_item_idx").on(t.itemId, t.createdAt)],
);

export const libraryUsefulMarks = pgTable(
  "library_useful_marks",
  {
    itemId: uuid("item_id")
      .notNull()
      .references(() => libraryItems.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.userId] })],
);

/** A tag or a community (by id) a person follows for the weekly digest. */
export const libraryFollows = pgTable(
  "library_follows",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    targetKind: text("target_kind", { enum: ["tag", "community"] }).notNull(),
    target: text("target").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.targetKind, t.target] })],
);

/** Weekly digests claimed and sent, one per person and week. */
export const libraryDigests = pgTable(
  "library_digests",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    week: text("week").notNull(),
    items: integer("items").notNull(),
    sentAt: ts("sent_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.week] })],
);

/** Weeks whose digest run finished (0011): a start-up catches up a missed week only if absent. */
export const libraryDigestWeeks = pgTable("library_digest_weeks", {
  week: text("week").primaryKey(),
  recipients: integer("recipients").notNull(),
  finishedAt: ts("finished_at").notNull().defaultNow(),
});

// ---- 0005_live_sessions (helper "live") ----

/** A session that has been started: `live` until a facilitator ends it (no row = scheduled). */
export const sessionLive = pgTable(
  "session_live",
  {
    sessionId: uuid("session_id")
      .primaryKey()
      .references(() => agendaSessions.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["live", "ended"] })
      .notNull()
      .default("live"),
    startedAt: ts("started_at").notNull(),
    startedBy: uuid("started_by").references(() => users.id, { onDelete: "set null" }),
    endedAt: ts("ended_at"),
    endedBy: uuid("ended_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [index("session_live_event_idx").on(t.eventId)],
);

/** Raised hands of a live session, in raising order; `onStageAt` while a facilitator has them on stage. */
export const sessionHands = pgTable(
  "session_hands",
  {
    sessionId: uuid("session_id")
      .notNull()
      .references(() => agendaSessions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    raisedAt: ts("raised_at").notNull(),
    onStageAt: ts("on_stage_at"),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.userId] })],
);

/** Chat of a session's plenary (`tableId` null) or of one of its tables; deleted messages are kept. */
export const chatMessages = pgTable(
  "chat_messages",
  {
    id: uuid("id").primaryKey(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => agendaSessions.id, { onDelete: "cascade" }),
    tableId: text("table_id"),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    clientOpId: uuid("client_op_id").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
    deletedAt: ts("deleted_at"),
    deletedBy: uuid("deleted_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("chat_messages_op_key").on(t.authorId, t.clientOpId),
    index("chat_messages_room_idx").on(t.sessionId, t.tableId, t.createdAt),
  ],
);

// ---- 0006_breakouts (helper "tables") ----

/** One use of a session's breakout tables: strategy, rounds, the running timer, close-all countdown. */
export const breakoutRuns = pgTable(
  "breakout_runs",
  {
    id: uuid("id").primaryKey(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => agendaSessions.id, { onDelete: "cascade" }),
    strategy: text("strategy", {
      enum: ["random", "balanced", "manual", "topic", "registrations"],
    }).notNull(),
    state: text("state", { enum: ["open", "running", "closing", "closed"] })
      .notNull()
      .default("open"),
    rounds: integer("rounds").notNull().default(1),
    round: integer("round").notNull().default(1),
    roundMs: integer("round_ms"),
    endsAt: ts("ends_at"),
    warnAt: ts("warn_at"),
    closingAt: ts("closing_at"),
    /** World-Café: the planned seating of every round, {round: {userId: tableId}}. */
    plan: jsonb("plan").$type<Record<string, Record<string, string>>>(),
    seed: integer("seed").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    closedAt: ts("closed_at"),
  },
  (t) => [
    uniqueIndex("breakout_runs_active_key")
      .on(t.sessionId)
      .where(sql`state <> 'closed'`),
    index("breakout_runs_timers_idx")
      .on(t.state)
      .where(sql`state IN ('running', 'closing')`),
  ],
);

/** A session's breakout table: number, topic, seats, host, its own board, planned/open/closed. */
export const breakoutTables = pgTable(
  "breakout_tables",
  {
    id: uuid("id").primaryKey(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => events.id, { onDelete: "cascade" }),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => agendaSessions.id, { onDelete: "cascade" }),
    runId: uuid("run_id").references(() => breakoutRuns.id, { onDelete: "set null" }),
    number: integer("number").notNull(),
    topic: text("topic").notNull().default(""),
    seats: integer("seats"),
    hostId: uuid("host_id").references(() => users.id, { onDelete: "set null" }),
    boardId: uuid("board_id").references(() => boards.id, { onDelete: "set null" }),
    status: text("status", { enum: ["planned", "open", "closed"] })
      .notNull()
      .default("planned"),
    openedAt: ts("opened_at"),
    closedAt: ts("closed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("breakout_tables_session_number_key")
      .on(t.sessionId, t.number)
      .where(sql`status <> 'closed'`),
    index("breakout_tables_run_idx").on(t.runId),
  ],
);

/** Who sat at which table, from when to when, in which round (the open seat has no `untilAt`). */
export const breakoutAssignments = pgTable(
  "breakout_assignments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runId: uuid("run_id")
      .notNull()
      .references(() => breakoutRuns.id, { onDelete: "cascade" }),
    tableId: uuid("table_id")
      .notNull()
      .references(() => breakoutTables.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    round: integer("round").notNull().default(1),
    sinceAt: ts("since_at").notNull(),
    untilAt: ts("until_at"),
    reason: text("reason").notNull(),
    movedBy: uuid("moved_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("breakout_assignments_current_key")
      .on(t.runId, t.userId)
      .where(sql`until_at IS NULL`),
    index("breakout_assignments_table_idx").on(t.tableId, t.sinceAt),
  ],
);

/** An attendee's pick of a planned table before the session (the `registrations` strategy seats them there). */
export const breakoutSignups = pgTable(
  "breakout_signups",
  {
    sessionId: uuid("session_id")
      .notNull()
      .references(() => agendaSessions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tableId: uuid("table_id")
      .notNull()
      .references(() => breakoutTables.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.userId] }),
    index("breakout_signups_table_idx").on(t.tableId, t.createdAt),
  ],
);

/** A participant asking for a facilitator, from a table (or the plenary), until someone answers. */
export const breakoutCalls = pgTable(
  "breakout_calls",
  {
    id: uuid("id").primaryKey(),
    runId: uuid("run_id")
      .notNull()
      .references(() => breakoutRuns.id, { onDelete: "cascade" }),
    tableId: uuid("table_id").references(() => breakoutTables.id, { onDelete: "set null" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    message: text("message"),
    createdAt: createdAt(),
    resolvedAt: ts("resolved_at"),
    resolvedBy: uuid("resolved_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("breakout_calls_run_idx")
      .on(t.runId)
      .where(sql`resolved_at IS NULL`),
  ],
);

/** An idea a roll-up copied from a table's board to the plenary board: its origin, once per source idea. */
export const breakoutRollups = pgTable(
  "breakout_rollups",
  {
    runId: uuid("run_id")
      .notNull()
      .references(() => breakoutRuns.id, { onDelete: "cascade" }),
    sourceIdeaId: uuid("source_idea_id").notNull(),
    tableId: uuid("table_id")
      .notNull()
      .references(() => breakoutTables.id, { onDelete: "cascade" }),
    plenaryBoardId: uuid("plenary_board_id")
      .notNull()
      .references(() => boards.id, { onDelete: "cascade" }),
    plenaryIdeaId: uuid("plenary_idea_id").notNull(),
    votes: integer("votes").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.sourceIdeaId] }),
    index("breakout_rollups_board_idx").on(t.plenaryBoardId),
  ],
);
