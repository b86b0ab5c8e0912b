import { agendaSessions, asc, attendance, eq, mediaWebhookEvents, sql, users, type Db } from "@convivio/db";
import type { AttendanceReport, LiveKitWebhookEvent } from "@convivio/protocol";
import { parseRoomName } from "./roomNames.js";

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

/** Minutes present per person in a session's rooms; an open visit counts until `now`. */
export async function sessionAttendance(db: Db, sessionId: string, now: Date): Promise<AttendanceReport> {
  const rows = await db
    .select({ visit: attendance, name: users.name, email: users.email })
    .from(attendance)
    .innerJoin(users, eq(users.id, attendance.userId))
    .where(eq(attendance.sessionId, sessionId))
    .orderBy(asc(users.name), asc(attendance.joinedAt), sql`${attendance.id}`);
  const people = new Map<string, AttendanceReport["people"][number]>();
  for (const { visit, name, email } of rows) {
    const person = people.get(visit.userId) ?? {
      userId: visit.userId,
      name,
      email,
      visits: 0,
      minutesPresent: 0,
      minutesByRoom: {},
      firstJoinedAt: null,
      lastLeftAt: null,
    };
    person.visits += 1;
    if (visit.joinedAt) {
      const end = visit.leftAt ?? now;
      const minutes = Math.max(0, (end.getTime() - visit.joinedAt.getTime()) / 60_000);
      const key = visit.tableId ? `table:${visit.tableId}` : "plenary";
      person.minutesPresent += minutes;
      person.minutesByRoom[key] = (person.minutesByRoom[key] ?? 0) + minutes;
      const joined = visit.joinedAt.toISOString();
      if (!person.firstJoinedAt || joined < person.firstJoinedAt) person.firstJoinedAt = joined;
    }
    if (visit.leftAt) {
      const left = visit.leftAt.toISOString();
      if (!person.lastLeftAt || left > person.lastLeftAt) person.lastLeftAt = left;
    }
    people.set(visit.userId, person);
  }
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    sessionId,
    people: [...people.values()].map((p) => ({
      ...p,
      minutesPresent: round(p.minutesPresent),
      minutesByRoom: Object.fromEntries(Object.entries(p.minutesByRoom).map(([k, v]) => [k, round(v)])),
    })),
  };
}

const csvCell = (value: string | number | null) => {
  let text = value === null ? "" : String(value);
  // A cell a spreadsheet would run as a formula is neutralised.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The report as CSV (UTF-8 with BOM so spreadsheets read accents), one column per room. */
export function attendanceCsv(report: AttendanceReport): string {
  const rooms = [...new Set(report.people.flatMap((p) => Object.keys(p.minutesByRoom)))].sort();
  const header = [
    "name",
    "email",
    "visits",
    "minutes_present",
    ...rooms.map((r) => `minutes_${r}`),
    "first_joined_at",
    "last_left_at",
  ];
  const lines = report.people.map((p) =>
    [
      p.name,
      p.email,
      p.visits,
      p.minutesPresent,
      ...rooms.map((r) => p.minutesByRoom[r] ?? 0),
      p.firstJoinedAt,
      p.lastLeftAt,
    ]
      .map(csvCell)
      .join(","),
  );
  return `\uFEFF${[header.join(","), ...lines].join("\r\n")}\r\n`;
}
