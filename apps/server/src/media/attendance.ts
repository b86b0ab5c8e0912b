import {
  agendaSessions,
  asc,
  attendance,
  breakoutRuns,
  breakoutTables,
  eq,
  mediaWebhookEvents,
  sessionLive,
  sql,
  users,
  type Db,
} from "@convivio/db";
import type { LiveKitWebhookEvent } from "@convivio/protocol";
import { parseRoomName } from "./roomNames.js";
import type { TableRow, VisitRow } from "./attendanceReport.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JOIN_EVENTS = new Set(["participant_joined"]);
const LEAVE_EVENTS = new Set(["participant_left", "participant_connection_aborted"]);

/** LiveKit stamps events in seconds since the epoch (a bigint or a string once through JSON). */
function eventTime(event: LiveKitWebhookEvent, fallback: Date): Date {
  const raw = event.createdAt;
  const seconds = typeof raw === "bigint" ? Number(raw) : typeof raw === "string" ? Number(raw) : raw;
  return seconds && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : fallback;
}

/**
 * Records a verified webhook event once: the event id is remembered in the same transaction as the
 * attendance change, so LiveKit's retries and deliveries to several nodes count once. Joins and
 * leaves may arrive in either order; each visit (participant sid) is one row.
 */
export async function recordWebhookEvent(
  db: Db,
  event: LiveKitWebhookEvent,
  now: Date,
): Promise<"recorded" | "duplicate" | "ignored"> {
  return db.transaction(async (tx) => {
    const fresh = await tx
      .insert(mediaWebhookEvents)
      .values({ id: event.id, event: event.event })
      .onConflictDoNothing()
      .returning({ id: mediaWebhookEvents.id });
    if (fresh.length === 0) return "duplicate";
    const isJoin = JOIN_EVENTS.has(event.event);
    if (!isJoin && !LEAVE_EVENTS.has(event.event)) return "ignored";
    const roomName = event.room?.name ?? "";
    const room = parseRoomName(roomName);
    const identity = event.participant?.identity ?? "";
    const sid = event.participant?.sid ?? "";
    if (!room || !UUID.test(identity) || !sid) return "ignored";
    const [session] = await tx
      .select({ eventId: agendaSessions.eventId })
      .from(agendaSessions)
      .where(eq(agendaSessions.id, room.sessionId));
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, identity));
    if (!session || !user) return "ignored";
    const at = eventTime(event, now);
    await tx
      .insert(attendance)
      .values({
        eventId: session.eventId,
        sessionId: room.sessionId,
        room: roomName,
        tableId: room.tableId,
        userId: identity,
        participantSid: sid,
        ...(isJoin ? { joinedAt: at } : { leftAt: at }),
      })
      .onConflictDoUpdate({
        target: [attendance.room, attendance.participantSid],
        set: isJoin ? { joinedAt: at } : { leftAt: at },
      });
    return "recorded";
  });
}

/** Every visit to the rooms of one session, or of every session of one event, with who it was. */
export async function loadVisits(
  db: Db,
  scope: { sessionId: string } | { eventId: string },
): Promise<VisitRow[]> {
  return db
    .select({
      sessionId: attendance.sessionId,
      userId: attendance.userId,
      name: users.name,
      email: users.email,
      tableId: attendance.tableId,
      joinedAt: attendance.joinedAt,
      leftAt: attendance.leftAt,
    })
    .from(attendance)
    .innerJoin(users, eq(users.id, attendance.userId))
    .where(
      "sessionId" in scope
        ? eq(attendance.sessionId, scope.sessionId)
        : eq(attendance.eventId, scope.eventId),
    )
    .orderBy(asc(attendance.joinedAt), sql`${attendance.id}`);
}

/** The breakout tables the visits may name: their number and topic label the report's columns. */
export async function loadTables(
  db: Db,
  scope: { sessionId: string } | { eventId: string },
): Promise<TableRow[]> {
  const rows = await db
    .select({
      id: breakoutTables.id,
      sessionId: breakoutTables.sessionId,
      number: breakoutTables.number,
      topic: breakoutTables.topic,
      runId: breakoutTables.runId,
      openedAt: breakoutTables.openedAt,
      runCreatedAt: breakoutRuns.createdAt,
      createdAt: breakoutTables.createdAt,
    })
    .from(breakoutTables)
    .leftJoin(breakoutRuns, eq(breakoutRuns.id, breakoutTables.runId))
    .where(
      "sessionId" in scope
        ? eq(breakoutTables.sessionId, scope.sessionId)
        : eq(breakoutTables.eventId, scope.eventId),
    );
  return rows.map(({ runCreatedAt, createdAt, ...table }) => ({
    ...table,
    openedAt: table.openedAt ?? runCreatedAt ?? createdAt,
  }));
}

/** When each session was ended (null while live or never started): open visits stop counting there. */
export async function loadEndings(
  db: Db,
  scope: { sessionId: string } | { eventId: string },
): Promise<Map<string, Date | null>> {
  const rows = await db
    .select({ sessionId: sessionLive.sessionId, status: sessionLive.status, endedAt: sessionLive.endedAt })
    .from(sessionLive)
    .where(
      "sessionId" in scope
        ? eq(sessionLive.sessionId, scope.sessionId)
        : eq(sessionLive.eventId, scope.eventId),
    );
  return new Map(rows.map((r) => [r.sessionId, r.status === "ended" ? r.endedAt : null]));
}
