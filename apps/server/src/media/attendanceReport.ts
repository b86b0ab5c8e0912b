// Attendance reports from recorded visits, with no I/O: the routes load the rows, these functions
// turn them into minutes per person, per session and per room. Time is the union of a person's
// intervals, so a facilitator in two rooms at once (listening in at a table) or a visit whose leave
// and rejoin overlap is not counted twice; the per-room columns are unions within each room.
import type {
  AttendanceReport,
  AttendanceRoom,
  AttendanceRow,
  EventAttendancePerson,
  EventAttendanceReport,
} from "@convivio/protocol";

export interface VisitRow {
  sessionId: string;
  userId: string;
  name: string;
  email: string;
  tableId: string | null;
  joinedAt: Date | null;
  leftAt: Date | null;
}

/** A breakout table as the report labels it; `openedAt` orders the openings of a session's tables. */
export interface TableRow {
  id: string;
  sessionId: string;
  number: number;
  topic: string;
  runId: string | null;
  openedAt: Date | null;
}

export interface SessionRow {
  id: string;
  title: string;
  startsAt: Date;
  /** When the session was last ended, while it stays ended: a visit whose leave never came ends there. */
  endedAt: Date | null;
}

export const PLENARY_KEY = "plenary";
export const roomKey = (tableId: string | null): string => (tableId ? `table:${tableId}` : PLENARY_KEY);

const MINUTE_MS = 60_000;
const round = (minutes: number) => Math.round(minutes * 10) / 10;

type Interval = readonly [start: number, end: number];

/** Minutes covered by the union of the intervals (overlaps count once). */
export function unionMinutes(intervals: readonly Interval[]): number {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: [number, number] | null = null;
  for (const [start, end] of sorted) {
    if (current && start <= current[1]) current[1] = Math.max(current[1], end);
    else {
      if (current) total += current[1] - current[0];
      current = [start, end];
    }
  }
  if (current) total += current[1] - current[0];
  return total / MINUTE_MS;
}

/** A visit's interval: an open one (no leave yet) runs until now, or until its session ended. */
function intervalOf(visit: VisitRow, now: Date, endedAt: Date | null): Interval | null {
  if (!visit.joinedAt) return null;
  const open = endedAt && endedAt < now ? endedAt : now;
  const end = visit.leftAt ?? open;
  return [visit.joinedAt.getTime(), Math.max(visit.joinedAt.getTime(), end.getTime())];
}

/**
 * The columns of one session: the plenary first, then its tables by opening and number. A table's
 * `breakout` is set only when the session's tables were opened more than once (numbers repeat then).
 */
export function roomsOf(
  sessionId: string,
  keys: ReadonlySet<string>,
  tables: readonly TableRow[],
): AttendanceRoom[] {
  const own = tables.filter((t) => t.sessionId === sessionId);
  const openings = [...new Set(own.map((t) => t.runId ?? `table:${t.id}`))]
    .map((group) => {
      const members = own.filter((t) => (t.runId ?? `table:${t.id}`) === group);
      const first = Math.min(...members.map((t) => t.openedAt?.getTime() ?? Number.MAX_SAFE_INTEGER));
      return { group, first };
    })
    .sort((a, b) => a.first - b.first || a.group.localeCompare(b.group));
  const ordinal = new Map(openings.map((o, i) => [o.group, i + 1]));
  const several = openings.length > 1;
  const rooms: (AttendanceRoom & { order: number })[] = [];
  for (const key of keys) {
    if (key === PLENARY_KEY) {
      rooms.push({ key, kind: "plenary", tableId: null, number: null, topic: "", breakout: null, order: -1 });
      continue;
    }
    const tableId = key.slice("table:".length);
    const table = own.find((t) => t.id === tableId);
    const breakout = table ? (ordinal.get(table.runId ?? `table:${table.id}`) ?? null) : null;
    rooms.push({
      key,
      kind: "table",
      tableId,
      number: table?.number ?? null,
      topic: table?.topic ?? "",
      breakout: several ? breakout : null,
      order: table ? (breakout ?? 0) * 100_000 + table.number : Number.MAX_SAFE_INTEGER,
    });
  }
  return rooms
    .sort((a, b) => a.order - b.order || a.key.localeCompare(b.key))
    .map(({ order: _order, ...room }) => room);
}

const byName = (a: { name: string; email: string }, b: { name: string; email: string }) =>
  a.name.localeCompare(b.name) || a.email.localeCompare(b.email);

interface PersonSession {
  visits: number;
  minutesPresent: number;
  minutesByRoom: Record<string, number>;
  firstJoinedAt: string | null;
  lastLeftAt: string | null;
}

/** One person's time in one session, from their visits there. */
function personSession(visits: readonly VisitRow[], now: Date, endedAt: Date | null): PersonSession {
  const all: Interval[] = [];
  const byRoom = new Map<string, Interval[]>();
  let firstJoinedAt: string | null = null;
  let lastLeftAt: string | null = null;
  for (const visit of visits) {
    const interval = intervalOf(visit, now, endedAt);
    const key = roomKey(visit.tableId);
    if (!byRoom.has(key)) byRoom.set(key, []);
    if (interval) {
      all.push(interval);
      byRoom.get(key)!.push(interval);
    }
    const joined = visit.joinedAt?.toISOString() ?? null;
    if (joined && (!firstJoinedAt || joined < firstJoinedAt)) firstJoinedAt = joined;
    const left = visit.leftAt?.toISOString() ?? null;
    if (left && (!lastLeftAt || left > lastLeftAt)) lastLeftAt = left;
  }
  return {
    visits: visits.length,
    minutesPresent: round(unionMinutes(all)),
    minutesByRoom: Object.fromEntries([...byRoom].map(([key, list]) => [key, round(unionMinutes(list))])),
    firstJoinedAt,
    lastLeftAt,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Minutes per person in one session's rooms (an open visit counts until now or the session's end). */
export function sessionReport(
  session: { id: string; endedAt: Date | null },
  visits: readonly VisitRow[],
  tables: readonly TableRow[],
  now: Date,
): AttendanceReport {
  const mine = visits.filter((v) => v.sessionId === session.id);
  const people: AttendanceRow[] = [...groupBy(mine, (v) => v.userId).values()].map((list) => ({
    userId: list[0]!.userId,
    name: list[0]!.name,
    email: list[0]!.email,
    ...personSession(list, now, session.endedAt),
  }));
  const keys = new Set(mine.map((v) => roomKey(v.tableId)));
  return { sessionId: session.id, rooms: roomsOf(session.id, keys, tables), people: people.sort(byName) };
}

/** The whole event: a row per person, sessions (only those somebody attended) in agenda order. */
export function eventReport(
  eventId: string,
  sessions: readonly SessionRow[],
  visits: readonly VisitRow[],
  tables: readonly TableRow[],
  now: Date,
): EventAttendanceReport {
  const ordered = [...sessions].sort(
    (a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.title.localeCompare(b.title),
  );
  const endedAt = new Map(ordered.map((s) => [s.id, s.endedAt]));
  const known = visits.filter((v) => endedAt.has(v.sessionId));
  const people: EventAttendancePerson[] = [...groupBy(known, (v) => v.userId).values()].map((list) => {
    const bySession = groupBy(list, (v) => v.sessionId);
    const all = list.flatMap((v) => {
      const interval = intervalOf(v, now, endedAt.get(v.sessionId) ?? null);
      return interval ? [interval] : [];
    });
    return {
      userId: list[0]!.userId,
      name: list[0]!.name,
      email: list[0]!.email,
      minutesPresent: round(unionMinutes(all)),
      sessions: Object.fromEntries(
        [...bySession].map(([sessionId, own]) => {
          const {
            visits: count,
            minutesPresent,
            minutesByRoom,
          } = personSession(own, now, endedAt.get(sessionId) ?? null);
          return [sessionId, { visits: count, minutesPresent, minutesByRoom }];
        }),
      ),
    };
  });
  const attended = groupBy(known, (v) => v.sessionId);
  return {
    eventId,
    sessions: ordered
      .filter((s) => attended.has(s.id))
      .map((s) => ({
        sessionId: s.id,
        title: s.title,
        startsAt: s.startsAt.toISOString(),
        rooms: roomsOf(s.id, new Set(attended.get(s.id)!.map((v) => roomKey(v.tableId))), tables),
      })),
    people: people.sort(byName),
  };
}
