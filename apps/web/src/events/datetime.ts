// Dates as the viewer reads them: Intl formatting in an explicit time zone, never the
// machine's implicit one, so the same function serves "your time" and "the event's time".

/** The viewer's IANA time zone, e.g. `Europe/Rome`. */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `YYYY-MM-DD` of an instant in a time zone: the calendar day someone there would say. */
export function dayKey(iso: string, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(iso));
}

/** An event's span as days, e.g. "Thu 12 – Fri 13 June 2025". */
export function formatDayRange(startIso: string, endIso: string, locale: string, timeZone: string): string {
  const format = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "long",
    year: "numeric",
  });
  return format.formatRange(new Date(startIso), new Date(endIso));
}

/** A span of hours on one day, e.g. "09:30–11:00". */
export function formatTimeRange(startIso: string, endIso: string, locale: string, timeZone: string): string {
  const format = new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  return format.formatRange(new Date(startIso), new Date(endIso));
}

/** A day heading, e.g. "Thursday 12 June". */
export function formatDayHeading(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, weekday: "long", day: "numeric", month: "long" }).format(
    new Date(iso),
  );
}

/** A calendar date, e.g. "12 June 2025". */
export function formatDate(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "long" }).format(new Date(iso));
}

/** An IANA zone name for reading: `America/New_York` -> `America/New York`. */
export function formatTimeZone(timeZone: string): string {
  return timeZone.replace(/_/g, " ");
}
