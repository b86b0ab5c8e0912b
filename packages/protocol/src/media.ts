import { z } from "zod";

/** Whether video is available on this server; the UI says plainly when it is not. */
export const MediaStatus = z.object({ configured: z.boolean(), url: z.string().nullable() });
export type MediaStatus = z.infer<typeof MediaStatus>;

export const SessionIdParams = z.strictObject({ sessionId: z.uuid() });

export const MediaTokenBody = z.strictObject({
  /** A facilitator listening in without appearing in the participant list. */
  hidden: z.boolean().optional(),
  /** A breakout table's room instead of the plenary: only one's own table, unless a facilitator. */
  tableId: z.uuid().optional(),
});
export type MediaTokenBody = z.infer<typeof MediaTokenBody>;

export const MediaTokenResponse = z.object({
  url: z.string(),
  token: z.string(),
  room: z.string(),
  canPublish: z.boolean(),
  expiresAt: z.string(),
});
export type MediaTokenResponse = z.infer<typeof MediaTokenResponse>;

/** The parts of a LiveKit webhook event that Convivio reads (after the SDK verified its signature). */
export const LiveKitWebhookEvent = z.object({
  id: z.string().min(1).max(200),
  event: z.string().min(1).max(100),
  createdAt: z.union([z.number(), z.string(), z.bigint()]).optional(),
  room: z
    .object({ name: z.string().max(300) })
    .partial()
    .optional(),
  participant: z
    .object({ identity: z.string().max(300), sid: z.string().max(200), joinedAt: z.unknown() })
    .partial()
    .optional(),
});
export type LiveKitWebhookEvent = z.infer<typeof LiveKitWebhookEvent>;

/**
 * One column of an attendance report: the plenary, or a breakout table by its number and topic.
 * `key` is what `minutesByRoom` is keyed by (`plenary`, or `table:<tableId>`); `breakout` counts
 * the times the session's tables were opened (1 = the first), since a later opening numbers its
 * tables from 1 again; `number` is null for a table no longer on record.
 */
export const AttendanceRoom = z.object({
  key: z.string(),
  kind: z.enum(["plenary", "table"]),
  tableId: z.string().nullable(),
  number: z.number().int().nullable(),
  topic: z.string(),
  breakout: z.number().int().nullable(),
});
export type AttendanceRoom = z.infer<typeof AttendanceRoom>;

export const AttendanceRow = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  visits: z.number().int(),
  /** Minutes in any of the session's rooms (time in two rooms at once counts once). */
  minutesPresent: z.number(),
  minutesByRoom: z.record(z.string(), z.number()),
  firstJoinedAt: z.string().nullable(),
  lastLeftAt: z.string().nullable(),
});
export type AttendanceRow = z.infer<typeof AttendanceRow>;

/** Who was in one session's video rooms and for how long; `rooms` are the columns, plenary first. */
export const AttendanceReport = z.object({
  sessionId: z.string(),
  rooms: z.array(AttendanceRoom),
  people: z.array(AttendanceRow),
});
export type AttendanceReport = z.infer<typeof AttendanceReport>;

/** A session of the event report: its column group. Only sessions somebody attended are listed. */
export const EventAttendanceSession = z.object({
  sessionId: z.string(),
  title: z.string(),
  startsAt: z.string(),
  rooms: z.array(AttendanceRoom),
});
export type EventAttendanceSession = z.infer<typeof EventAttendanceSession>;

export const EventAttendancePerson = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  /** Minutes in any room of any session of the event (overlaps count once). */
  minutesPresent: z.number(),
  /** Per session id: minutes in it and per room; a session the person missed is absent. */
  sessions: z.record(
    z.string(),
    z.object({
      visits: z.number().int(),
      minutesPresent: z.number(),
      minutesByRoom: z.record(z.string(), z.number()),
    }),
  ),
});
export type EventAttendancePerson = z.infer<typeof EventAttendancePerson>;

/** The whole event's attendance: one row per person, sessions as column groups in agenda order. */
export const EventAttendanceReport = z.object({
  eventId: z.string(),
  sessions: z.array(EventAttendanceSession),
  people: z.array(EventAttendancePerson),
});
export type EventAttendanceReport = z.infer<typeof EventAttendanceReport>;
