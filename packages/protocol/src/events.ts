import { z } from "zod";
import { EVENT_ROLES } from "./roles.js";
import { EventId, SessionId, SpaceId, UserId } from "./ids.js";
import { Email, LOCALES, Locale, PersonName } from "./common.js";
import { LocalDateTime, TimeZone, parseLocalDateTime } from "./time.js";

export const EventVisibility = z.enum(["draft", "unlisted", "public"]);
export type EventVisibility = z.infer<typeof EventVisibility>;
export const SessionKind = z.enum(["plenary", "workshop", "talk", "networking"]);
export const Slug = z
  .string()
  .min(3)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single dashes");

export const Space = z.object({ id: SpaceId, name: z.string(), position: z.number().int() });

export const SessionPerson = z.object({ userId: UserId, name: z.string() });
export type SessionPerson = z.infer<typeof SessionPerson>;

export const AgendaSession = z.object({
  id: SessionId,
  spaceId: SpaceId.nullable(),
  title: z.string(),
  /** Markdown as the organizer wrote it (the editor's field). */
  description: z.string(),
  /** The description rendered from Markdown and sanitized: what pages show. */
  descriptionHtml: z.string(),
  kind: SessionKind,
  startsAt: z.string(),
  endsAt: z.string(),
  speakers: z.array(SessionPerson),
});
export type AgendaSession = z.infer<typeof AgendaSession>;

export const EventSummary = z.object({
  id: EventId,
  slug: Slug,
  title: z.string(),
  timeZone: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  visibility: EventVisibility,
  roles: z.array(z.enum(EVENT_ROLES)),
});
export type EventSummary = z.infer<typeof EventSummary>;

export const EventDetail = EventSummary.extend({
  description: z.string(),
  languages: z.array(z.enum(LOCALES)),
  spaces: z.array(Space),
  sessions: z.array(AgendaSession),
  /** The description rendered from Markdown and sanitized. */
  descriptionHtml: z.string().optional(),
  /** Where the cover image is served, when there is one. */
  coverUrl: z.string().nullable().optional(),
});
export type EventDetail = z.infer<typeof EventDetail>;

export const MyEventsResponse = z.object({ events: z.array(EventSummary) });
export type MyEventsResponse = z.infer<typeof MyEventsResponse>;

/** Limits of the public list of events. */
export const PUBLIC_EVENTS_LIMITS = { pageMax: 50, summaryMaxLength: 240 } as const;

/**
 * The public list: upcoming (not yet ended, soonest first) or past (most recent first). Only
 * public events are listed; unlisted ones are for people with the link.
 */
export const PublicEventsQuery = z.strictObject({
  period: z.enum(["upcoming", "past"]).default("upcoming"),
  limit: z.coerce.number().int().min(1).max(PUBLIC_EVENTS_LIMITS.pageMax).default(12),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type PublicEventsQuery = z.input<typeof PublicEventsQuery>;

export const PublicEventSummary = z.object({
  id: EventId,
  slug: Slug,
  title: z.string(),
  timeZone: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  languages: z.array(z.enum(LOCALES)),
  /** The start of the description as plain text (Markdown and markup removed). */
  summary: z.string(),
  coverUrl: z.string().nullable(),
});
export type PublicEventSummary = z.infer<typeof PublicEventSummary>;

export const PublicEventsResponse = z.object({
  events: z.array(PublicEventSummary),
  /** Events in this period in all, for paging. */
  total: z.number().int(),
});
export type PublicEventsResponse = z.infer<typeof PublicEventsResponse>;

export const EventSlugParams = z.strictObject({ slug: Slug });

export const TeamMember = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  roles: z.array(z.enum(EVENT_ROLES)),
});
export const EventTeamResponse = z.object({ members: z.array(TeamMember) });
export type EventTeamResponse = z.infer<typeof EventTeamResponse>;

// ---- Editing events, spaces, sessions and the team (issue 3) ----

/** Length limits of event and session texts, shared by the schemas and the web forms. */
export const EVENT_LIMITS = {
  titleMaxLength: 200,
  descriptionMaxLength: 20_000,
  spaceNameMaxLength: 80,
  maxSpaces: 50,
  maxSessionPeople: 20,
  /** An event spans at most this many days. */
  eventMaxDays: 366,
  /** A session lasts at most this many hours. */
  sessionMaxHours: 72,
  capacityMax: 100_000,
  coverMaxBytes: 2 * 1024 * 1024,
} as const;

/** Image types accepted as an event cover. */
export const COVER_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;

const Title = z.string().trim().min(1).max(EVENT_LIMITS.titleMaxLength);
const Description = z.string().max(EVENT_LIMITS.descriptionMaxLength);
const Languages = z
  .array(z.enum(LOCALES))
  .min(1)
  .max(LOCALES.length)
  .refine((l) => new Set(l).size === l.length, "languages must not repeat");
const Capacity = z.number().int().min(0).max(EVENT_LIMITS.capacityMax);

/** Minutes between two wall-clock strings of one zone, ignoring daylight-saving shifts (for limits). */
function wallMinutes(start: string, end: string): number | undefined {
  const a = parseLocalDateTime(start);
  const b = parseLocalDateTime(end);
  if (!a || !b) return undefined;
  const ms = (w: NonNullable<typeof a>) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return (ms(b) - ms(a)) / 60_000;
}

/** Refines a body whose `startsAt`/`endsAt` (both or neither given) must be in order and not too far apart. */
function inOrder(maxMinutes: number, what: string) {
  return (value: { startsAt?: string | undefined; endsAt?: string | undefined }, ctx: z.RefinementCtx) => {
    if (value.startsAt === undefined || value.endsAt === undefined) return;
    const minutes = wallMinutes(value.startsAt, value.endsAt);
    if (minutes === undefined) return;
    if (minutes <= 0) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after the start" });
    else if (minutes > maxMinutes) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: `${what} is too long` });
    }
  };
}

/** A new event; times are wall-clock times in `timeZone`. The creator becomes its organizer. */
export const CreateEventBody = z
  .strictObject({
    slug: Slug,
    title: Title,
    description: Description.default(""),
    timeZone: TimeZone,
    startsAt: LocalDateTime,
    endsAt: LocalDateTime,
    languages: Languages.default(["it"]),
  })
  .superRefine(inOrder(EVENT_LIMITS.eventMaxDays * 24 * 60, "the event"));
export type CreateEventBody = z.infer<typeof CreateEventBody>;

/** Changes to an event; new times are read in the (possibly new) time zone. */
export const UpdateEventBody = z
  .strictObject({
    slug: Slug.optional(),
    title: Title.optional(),
    description: Description.optional(),
    timeZone: TimeZone.optional(),
    startsAt: LocalDateTime.optional(),
    endsAt: LocalDateTime.optional(),
    languages: Languages.optional(),
  })
  .superRefine(inOrder(EVENT_LIMITS.eventMaxDays * 24 * 60, "the event"))
  .refine((v) => Object.keys(v).length > 0, "nothing to change");
export type UpdateEventBody = z.infer<typeof UpdateEventBody>;

export const VisibilityBody = z.strictObject({ visibility: EventVisibility });
export type VisibilityBody = z.infer<typeof VisibilityBody>;

export const SpaceBody = z.strictObject({
  name: z.string().trim().min(1).max(EVENT_LIMITS.spaceNameMaxLength),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type SpaceBody = z.infer<typeof SpaceBody>;
export const UpdateSpaceBody = SpaceBody.partial().refine(
  (v) => Object.keys(v).length > 0,
  "nothing to change",
);
export type UpdateSpaceBody = z.infer<typeof UpdateSpaceBody>;

const PeopleIds = z
  .array(UserId)
  .max(EVENT_LIMITS.maxSessionPeople)
  .refine((ids) => new Set(ids).size === ids.length, "people must not repeat");

const sessionFields = {
  title: Title,
  description: Description,
  spaceId: SpaceId.nullable(),
  kind: SessionKind,
  startsAt: LocalDateTime,
  endsAt: LocalDateTime,
  /** Seats of its own; null means no limit. */
  capacity: Capacity.nullable(),
  /** Whether attendees register for this session on its own (a workshop, a table). */
  registrationEnabled: z.boolean(),
  waitlist: z.boolean(),
  speakerIds: PeopleIds,
  facilitatorIds: PeopleIds,
};

/** A new session; times are wall-clock times in the event's time zone. */
export const CreateSessionBody = z
  .strictObject({
    ...sessionFields,
    description: sessionFields.description.default(""),
    spaceId: sessionFields.spaceId.default(null),
    capacity: sessionFields.capacity.default(null),
    registrationEnabled: sessionFields.registrationEnabled.default(false),
    waitlist: sessionFields.waitlist.default(true),
    speakerIds: sessionFields.speakerIds.default([]),
    facilitatorIds: sessionFields.facilitatorIds.default([]),
  })
  .superRefine(inOrder(EVENT_LIMITS.sessionMaxHours * 60, "the session"));
export type CreateSessionBody = z.infer<typeof CreateSessionBody>;

export const UpdateSessionBody = z
  .strictObject({
    title: sessionFields.title.optional(),
    description: sessionFields.description.optional(),
    spaceId: sessionFields.spaceId.optional(),
    kind: sessionFields.kind.optional(),
    startsAt: sessionFields.startsAt.optional(),
    endsAt: sessionFields.endsAt.optional(),
    capacity: sessionFields.capacity.optional(),
    registrationEnabled: sessionFields.registrationEnabled.optional(),
    waitlist: sessionFields.waitlist.optional(),
    speakerIds: sessionFields.speakerIds.optional(),
    facilitatorIds: sessionFields.facilitatorIds.optional(),
  })
  .superRefine(inOrder(EVENT_LIMITS.sessionMaxHours * 60, "the session"))
  .refine((v) => Object.keys(v).length > 0, "nothing to change");
export type UpdateSessionBody = z.infer<typeof UpdateSessionBody>;

export const SpaceParams = z.strictObject({ slug: Slug, spaceId: SpaceId });
export const SessionParams = z.strictObject({ slug: Slug, sessionId: SessionId });

/** A schedule problem worth a second look; saving is still allowed. */
export const ScheduleWarning = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("space_overlap"),
    spaceId: SpaceId,
    sessionIds: z.tuple([SessionId, SessionId]),
  }),
  z.object({
    type: z.literal("person_double_booked"),
    userId: UserId,
    sessionIds: z.tuple([SessionId, SessionId]),
  }),
  z.object({ type: z.literal("outside_event"), sessionId: SessionId }),
]);
export type ScheduleWarning = z.infer<typeof ScheduleWarning>;

/** One session with its people and seats, for its own page and the editor. */
export const SessionDetail = AgendaSession.extend({
  /** The wall-clock times in the event's time zone, as entered. */
  localStartsAt: z.string(),
  localEndsAt: z.string(),
  timeZone: z.string(),
  capacity: z.number().int().nullable(),
  registrationEnabled: z.boolean(),
  waitlist: z.boolean(),
  facilitators: z.array(SessionPerson),
  /** Confirmed seats taken; null when the session takes no registrations. */
  seatsTaken: z.number().int().nullable(),
});
export type SessionDetail = z.infer<typeof SessionDetail>;

export const SessionSaved = z.object({ session: SessionDetail, warnings: z.array(ScheduleWarning) });
export type SessionSaved = z.infer<typeof SessionSaved>;

export const ScheduleWarningsResponse = z.object({ warnings: z.array(ScheduleWarning) });

export const EventSaved = z.object({ event: EventDetail, warnings: z.array(ScheduleWarning) });
export type EventSaved = z.infer<typeof EventSaved>;

export const SpaceResponse = z.object({ space: Space });

/** Roles an organizer can invite someone to (attendees register instead). */
export const TeamRole = z.enum(["organizer", "facilitator", "speaker"]);
export type TeamRole = z.infer<typeof TeamRole>;

export const InviteTeamMemberBody = z.strictObject({
  email: Email,
  name: PersonName.optional(),
  role: TeamRole,
  locale: Locale.optional(),
});
export type InviteTeamMemberBody = z.infer<typeof InviteTeamMemberBody>;

export const TeamMemberParams = z.strictObject({ slug: Slug, userId: UserId });
export const TeamRoleQuery = z.strictObject({ role: TeamRole });
export const TeamMemberResponse = z.object({ member: TeamMember });
