// The attendance reports as spreadsheets, encoded like the registrations export (one encoder:
// registrations/csv.ts): headers in the reader's language, times in the event's zone, tables by
// number and topic. Minutes are whole numbers here: a decimal point reads as text (or a date) in a
// spreadsheet set to Italian, and nobody needs tenths of a minute in a register.
import type { AttendanceReport, AttendanceRoom, EventAttendanceReport, Locale } from "@convivio/protocol";
import { csvTime, toCsv } from "../registrations/csv.js";

const WORDS = {
  en: {
    name: "Name",
    email: "Email",
    visits: "Visits",
    minutesPresent: "Minutes present",
    eventMinutes: "Minutes present (whole event)",
    firstJoined: "First joined",
    lastLeft: "Last left",
    plenary: "Plenary",
    table: "Table",
    removedTable: "Table (removed)",
    breakout: (n: number) => `breakout ${n}`,
    total: "total",
    minutes: "min",
  },
  it: {
    name: "Nome",
    email: "Email",
    visits: "Accessi",
    minutesPresent: "Minuti di presenza",
    eventMinutes: "Minuti di presenza (tutto l'evento)",
    firstJoined: "Primo ingresso",
    lastLeft: "Ultima uscita",
    plenary: "Plenaria",
    table: "Tavolo",
    removedTable: "Tavolo (eliminato)",
    breakout: (n: number) => `tavoli n. ${n}`,
    total: "totale",
    minutes: "min",
  },
} as const;

type Words = (typeof WORDS)[Locale];

/** "Table 3 · Mobility", with the opening when a session opened tables more than once. */
export function roomLabel(room: AttendanceRoom, words: Words): string {
  if (room.kind === "plenary") return words.plenary;
  if (room.number === null) return words.removedTable;
  const name = room.topic ? `${words.table} ${room.number} · ${room.topic}` : `${words.table} ${room.number}`;
  return room.breakout === null ? name : `${name} (${words.breakout(room.breakout)})`;
}

const whole = (minutes: number | undefined) => Math.round(minutes ?? 0);

/** One session: a row per person, a column per room. */
export function sessionAttendanceCsv(report: AttendanceReport, locale: Locale, timeZone: string): string {
  const w = WORDS[locale];
  const header = [
    w.name,
    w.email,
    w.visits,
    w.minutesPresent,
    ...report.rooms.map((room) => `${roomLabel(room, w)} (${w.minutes})`),
    w.firstJoined,
    w.lastLeft,
  ];
  const rows = report.people.map((p) => [
    p.name,
    p.email,
    p.visits,
    whole(p.minutesPresent),
    ...report.rooms.map((room) => whole(p.minutesByRoom[room.key])),
    p.firstJoinedAt ? csvTime(new Date(p.firstJoinedAt), timeZone) : "",
    p.lastLeftAt ? csvTime(new Date(p.lastLeftAt), timeZone) : "",
  ]);
  return toCsv(header, rows);
}

/**
 * The whole event: a row per person; per session (in agenda order) a column group "<session> —
 * total", "<session> — Plenary", "<session> — Table 1 · Topic". Sessions sharing a title carry
 * their start, so the groups stay apart.
 */
export function eventAttendanceCsv(report: EventAttendanceReport, locale: Locale, timeZone: string): string {
  const w = WORDS[locale];
  const titles = report.sessions.map((s) => s.title);
  const sessionName = (s: EventAttendanceReport["sessions"][number]) =>
    titles.filter((title) => title === s.title).length > 1
      ? `${s.title} (${csvTime(new Date(s.startsAt), timeZone)})`
      : s.title;
  const header: string[] = [w.name, w.email, w.eventMinutes];
  for (const session of report.sessions) {
    const name = sessionName(session);
    header.push(`${name} — ${w.total} (${w.minutes})`);
    for (const room of session.rooms) header.push(`${name} — ${roomLabel(room, w)} (${w.minutes})`);
  }
  const rows = report.people.map((p) => {
    const cells: (string | number)[] = [p.name, p.email, whole(p.minutesPresent)];
    for (const session of report.sessions) {
      const mine = p.sessions[session.sessionId];
      cells.push(whole(mine?.minutesPresent));
      for (const room of session.rooms) cells.push(whole(mine?.minutesByRoom[room.key]));
    }
    return cells;
  });
  return toCsv(header, rows);
}
