// iCalendar files (RFC 5545) for attendees: times written as wall-clock times with the event's TZID,
// and a VTIMEZONE built from the runtime's zone data (Intl) for the span the file covers, so any
// client shows the right instant whether or not it knows the zone name.
import { wallTimeAt, zoneOffsetMs, zoneTransitions } from "@convivio/protocol";

export interface CalendarEntry {
  /** Stable across updates of the same event or session. */
  uid: string;
  title: string;
  description: string;
  location?: string;
  url?: string;
  startsAt: Date;
  endsAt: Date;
  /** Grows with each change, so a calendar replaces its copy. */
  sequence: number;
  status: "CONFIRMED" | "TENTATIVE" | "CANCELLED";
}

export interface Calendar {
  name: string;
  timeZone: string;
  entries: CalendarEntry[];
  /** DTSTAMP of every entry. */
  now: Date;
}

const CRLF = "\r\n";
const MAX_LINE_OCTETS = 75;
const DAY_MS = 86_400_000;
const encoder = new TextEncoder();

/** Drops control characters other than tab and line breaks: they are not allowed in content lines. */
function stripControls(value: string): string {
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code === 9 || code === 10 || code === 13 || (code >= 32 && code !== 127)) out += char;
  }
  return out;
}

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return stripControls(value)
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** Folds a content line at 75 octets (§3.1), never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= MAX_LINE_OCTETS) return line;
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  // The first line holds 75 octets; continuation lines start with a space, leaving 74.
  let limit = MAX_LINE_OCTETS;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      limit = MAX_LINE_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** `YYYYMMDDTHHMMSS`: the wall clock of `instant` in `timeZone` (DATE-TIME "local time" form). */
function localStamp(instant: number, timeZone: string): string {
  const w = wallTimeAt(instant, timeZone);
  const p = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${p(w.year, 4)}${p(w.month)}${p(w.day)}T${p(w.hour)}${p(w.minute)}${p(w.second)}`;
}
const utcStamp = (date: Date) => `${date.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;

function formatOffset(ms: number): string {
  const sign = ms < 0 ? "-" : "+";
  const minutes = Math.abs(ms) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${sign}${hh}${mm}`;
}

// Finding a zone's transitions takes a hundred Intl lookups; every email of one event asks for the
// same window (the registration storm spent 8% of the server's CPU here), so answers are kept.
const ZONE_LINES_CACHED = 256;
const zoneLinesCache = new Map<string, readonly string[]>();

/** VTIMEZONE lines with one observance per offset in force from a year before `from` to `to`. */
function timeZoneLines(timeZone: string, from: number, to: number): readonly string[] {
  const key = `${timeZone} ${from} ${to}`;
  let lines = zoneLinesCache.get(key);
  if (!lines) {
    if (zoneLinesCache.size >= ZONE_LINES_CACHED) zoneLinesCache.clear();
    lines = computeTimeZoneLines(timeZone, from, to);
    zoneLinesCache.set(key, lines);
  }
  return lines;
}

function computeTimeZoneLines(timeZone: string, from: number, to: number): string[] {
  const windowStart = from - 366 * DAY_MS;
  const transitions = zoneTransitions(windowStart, to + 1, timeZone);
  const initial = zoneOffsetMs(windowStart, timeZone);
  const offsets = [initial, ...transitions.map((t) => zoneOffsetMs(t, timeZone))];
  const standard = Math.min(...offsets);
  const lines = ["BEGIN:VTIMEZONE", `TZID:${timeZone}`];
  const observance = (onset: string, fromOffset: number, toOffset: number) => {
    const kind = toOffset > standard ? "DAYLIGHT" : "STANDARD";
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${onset}`,
      `TZOFFSETFROM:${formatOffset(fromOffset)}`,
      `TZOFFSETTO:${formatOffset(toOffset)}`,
      `END:${kind}`,
    );
  };
  observance("19700101T000000", initial, initial);
  let previous = initial;
  for (const instant of transitions) {
    const next = zoneOffsetMs(instant, timeZone);
    // The onset is the wall-clock time just before the change, read with the old offset.
    observance(localStamp(instant + previous, "UTC"), previous, next);
    previous = next;
  }
  lines.push("END:VTIMEZONE");
  return lines;
}

/** The whole .ics file, CRLF line endings, folded. */
export function buildCalendar(calendar: Calendar): string {
  const { timeZone, entries } = calendar;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Convivio//Convivio//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
    `X-WR-TIMEZONE:${timeZone}`,
  ];
  if (entries.length > 0) {
    const from = Math.min(...entries.map((e) => e.startsAt.getTime()));
    const to = Math.max(...entries.map((e) => e.endsAt.getTime()));
    lines.push(...timeZoneLines(timeZone, from, to));
  }
  for (const entry of entries) {
    const local = (date: Date) => localStamp(date.getTime(), timeZone);
    lines.push(
      "BEGIN:VEVENT",
      `UID:${entry.uid}`,
      `DTSTAMP:${utcStamp(calendar.now)}`,
      `DTSTART;TZID=${timeZone}:${local(entry.startsAt)}`,
      `DTEND;TZID=${timeZone}:${local(entry.endsAt)}`,
      `SEQUENCE:${entry.sequence}`,
      `STATUS:${entry.status}`,
      `SUMMARY:${escapeText(entry.title)}`,
    );
    if (entry.description) lines.push(`DESCRIPTION:${escapeText(entry.description)}`);
    if (entry.location) lines.push(`LOCATION:${escapeText(entry.location)}`);
    if (entry.url) lines.push(`URL:${entry.url.replace(/[\r\n]/g, "")}`);
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join(CRLF) + CRLF;
}

const SEQUENCE_EPOCH_MS = Date.UTC(2024, 0, 1);

/** A SEQUENCE from the last change: seconds since 2024, so it grows with every edit (until 2092). */
export function sequenceOf(updatedAt: Date): number {
  return Math.max(0, Math.floor((updatedAt.getTime() - SEQUENCE_EPOCH_MS) / 1000));
}
