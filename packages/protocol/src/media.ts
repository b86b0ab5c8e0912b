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

export const AttendanceRow = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  visits: z.number().int(),
  minutesPresent: z.number(),
  minutesByRoom: z.record(z.string(), z.number()),
  firstJoinedAt: z.string().nullable(),
  lastLeftAt: z.string().nullable(),
});
export const AttendanceReport = z.object({ sessionId: z.string(), people: z.array(AttendanceRow) });
export type AttendanceReport = z.infer<typeof AttendanceReport>;
