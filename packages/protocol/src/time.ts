// Wall-clock times in an IANA time zone, converted with Intl only (no clock, no I/O), so the server,
// the browser and tests agree on what "09:00 in Europe/Rome" means on a given day.
import { z } from "zod";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const ZONE_NAME = /^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The canonical name of an IANA time zone, or undefined when the runtime does not know it. */
export function canonicalTimeZone(name: string): string | undefined {
  if (name.length > 64 || !ZONE_NAME.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Wall-clock fields of an instant in a zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time of `instant` (ms since the epoch) in `timeZone`. */
export function wallTimeAt(instant: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

const wallToMs = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** Offset of `timeZone` from UTC at `instant`, in ms (Europe/Rome in summer: +7,200,000). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallToMs(wallTimeAt(whole, timeZone)) - whole;
}

/** Parses `YYYY-MM-DDTHH:mm[:ss]` into wall-clock fields, or undefined if it is no real date. */
export function parseLocalDateTime(value: string): WallTime | undefined {
  const m = LOCAL_PATTERN.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1970 || year > 2200 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return undefined;
  return { year, month, day, hour, minute, second };
}

/**
 * The instant (ms since the epoch) at which the wall clock of `timeZone` shows `local`. A time that
 * a daylight-saving change skips moves forward by the gap; a time that happens twice takes the
 * first one (as Temporal's "compatible" disambiguation).
 */
export function zonedTimeToUtc(local: WallTime, timeZone: string): number {
  const asUtc = wallToMs(local);
  const before = zoneOffsetMs(asUtc - DAY_MS, timeZone);
  const after = zoneOffsetMs(asUtc + DAY_MS, timeZone);
  const candidates = [asUtc - before, asUtc - after].filter(
    (instant) => wallToMs(wallTimeAt(instant, timeZone)) === asUtc,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  // Skipped by a forward change: read the time with the offset in force before it.
  return asUtc - before;
}

/** Formats an instant as the zone's wall clock, `YYYY-MM-DDTHH:mm`. */
export function formatLocalDateTime(instant: number, timeZone: string): string {
  const w = wallTimeAt(instant, timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** Instants at which `timeZone` changes its offset in [from, to), to the minute. */
export function zoneTransitions(from: number, to: number, timeZone: string): number[] {
  const found: number[] = [];
  const stepMs = 7 * DAY_MS;
  let start = from;
  let offset = zoneOffsetMs(start, timeZone);
  while (start < to) {
    const end = Math.min(start + stepMs, to);
    const endOffset = zoneOffsetMs(end, timeZone);
    if (endOffset !== offset) {
      let lo = start;
      let hi = end;
      while (hi - lo > MINUTE_MS) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
        if (zoneOffsetMs(mid, timeZone) === offset) lo = mid;
        else hi = mid;
      }
      found.push(hi);
      offset = endOffset;
    }
    start = end;
  }
  return found;
}

/** An IANA time zone the runtime knows, normalised to its canonical name. */
export const TimeZone = z
  .string()
  .max(64)
  .refine((v) => canonicalTimeZone(v) !== undefined, "unknown time zone (use an IANA name like Europe/Rome)")
  .transform((v) => canonicalTimeZone(v)!);

/** A wall-clock date and time without offset, read in the event's time zone: `2026-05-10T09:30`. */
export const LocalDateTime = z
  .string()
  .max(19)
  .refine((v) => parseLocalDateTime(v) !== undefined, "not a real date and time (YYYY-MM-DDTHH:mm)");
