// Wall-clock times in an event's time zone, as organizers type them into `datetime-local` inputs
// (`2026-05-10T09:30`), and the list of zones to choose from.
import { formatLocalDateTime, parseLocalDateTime } from "@convivio/protocol";

/** The `datetime-local` value of an instant in `timeZone`; "" for a missing instant. */
export function toLocalInput(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? "" : formatLocalDateTime(ms, timeZone);
}

/** Whether a `datetime-local` value is a real date and time. */
export function isLocalDateTime(value: string): boolean {
  return parseLocalDateTime(value) !== undefined;
}

/** Whether wall-clock `end` comes after `start` (both valid `datetime-local` values). */
export function isAfter(end: string, start: string): boolean {
  // Same fixed-width format, so text order is time order.
  return end > start;
}

export interface TimeZoneGroup {
  region: string;
  zones: string[];
}

/** IANA time zones grouped by region (`Europe`, `America`…), with UTC and `current` always present. */
export function timeZoneGroups(
  current: string,
  known: readonly string[] = supportedTimeZones(),
): TimeZoneGroup[] {
  const all = new Set([...known, current, "UTC"]);
  const groups = new Map<string, string[]>();
  for (const zone of all) {
    const region = zone.includes("/") ? zone.slice(0, zone.indexOf("/")) : "UTC";
    groups.set(region, [...(groups.get(region) ?? []), zone]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)))
    .map(([region, zones]) => ({ region, zones: zones.sort((a, b) => a.localeCompare(b)) }));
}

function supportedTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    // Older engines: the zones most Convivio events use.
    return ["Europe/Rome", "Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York"];
  }
}

/** A date with hours, e.g. "Thu 12 June 2025, 09:30". */
export function formatDateTime(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
}

/** A span on one day or across days, e.g. "Thu 12 June, 09:30–11:00". */
export function formatSpan(startIso: string, endIso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatRange(new Date(startIso), new Date(endIso));
}

/** A `datetime-local` value moved by whole hours on the wall clock (for a default end time). */
export function addHours(local: string, hours: number): string {
  const wall = parseLocalDateTime(local);
  if (!wall) return "";
  const moved = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour + hours, wall.minute));
  return moved.toISOString().slice(0, 16);
}
