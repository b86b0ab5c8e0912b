import { describe, expect, it } from "vitest";
import ical, { type VEvent, type VTimeZone } from "node-ical";
import { buildCalendar, escapeText, foldLine, sequenceOf } from "./ics.js";

const NOW = new Date("2026-03-01T10:00:00Z");

function calendar(timeZone: string, startsAt: string, endsAt: string, title = "Laboratorio") {
  return buildCalendar({
    name: "Test",
    timeZone,
    now: NOW,
    entries: [
      {
        uid: "event-1@convivio",
        title,
        description: "Line one\nLine two; with, punctuation \\ backslash",
        location: "Sala 1",
        url: "https://convivio.test/registrations/1#token=abc",
        startsAt: new Date(startsAt),
        endsAt: new Date(endsAt),
        sequence: 3,
        status: "CONFIRMED",
      },
    ],
  });
}

const eventsOf = (text: string) =>
  Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === "VEVENT");

describe("iCalendar files", () => {
  it("parse with node-ical to the right instants and the event's time zone, across a DST change", () => {
    // 28 March 2026 09:00 CET (UTC+1) to 29 March 12:00 CEST (UTC+2): the clocks change in between.
    const text = calendar("Europe/Rome", "2026-03-28T08:00:00Z", "2026-03-29T10:00:00Z");
    expect(text).toContain("DTSTART;TZID=Europe/Rome:20260328T090000\r\n");
    expect(text).toContain("DTEND;TZID=Europe/Rome:20260329T120000\r\n");
    const [event] = eventsOf(text);
    expect(event!.start.toISOString()).toBe("2026-03-28T08:00:00.000Z");
    expect(event!.end!.toISOString()).toBe("2026-03-29T10:00:00.000Z");
    expect(event!.start.tz).toBe("Europe/Rome");
    expect(event!.summary).toBe("Laboratorio");
    expect(event!.description).toBe("Line one\nLine two; with, punctuation \\ backslash");
    expect(event!.location).toBe("Sala 1");
    expect(Number(event!.sequence)).toBe(3);
  });

  it("carries a VTIMEZONE whose observances give the zone's offsets", () => {
    const text = calendar("Europe/Rome", "2026-07-10T07:00:00Z", "2026-07-10T15:00:00Z");
    const zone = Object.values(ical.sync.parseICS(text)).find((c): c is VTimeZone => c?.type === "VTIMEZONE");
    expect(zone?.tzid).toBe("Europe/Rome");
    expect(text).toMatch(
      /BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:\+0100\r\nTZOFFSETTO:\+0200/,
    );
    expect(text).toMatch(
      /BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nTZOFFSETFROM:\+0200\r\nTZOFFSETTO:\+0100/,
    );
  });

  it("handles zones without daylight saving and with negative or half-hour offsets", () => {
    for (const [zone, start] of [
      ["Asia/Kolkata", "2026-05-01T04:30:00Z"],
      ["America/New_York", "2026-11-01T14:00:00Z"],
      ["Australia/Adelaide", "2026-04-05T00:00:00Z"],
    ] as const) {
      const end = new Date(new Date(start).getTime() + 2 * 3_600_000).toISOString();
      const [event] = eventsOf(calendar(zone, start, end));
      expect(event!.start.toISOString(), zone).toBe(new Date(start).toISOString());
      expect(event!.end!.toISOString(), zone).toBe(new Date(end).toISOString());
    }
  });

  it("folds long lines at 75 octets without splitting a character, with CRLF endings", () => {
    const text = calendar("Europe/Rome", "2026-07-10T07:00:00Z", "2026-07-10T15:00:00Z", "è".repeat(100));
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
    const [event] = eventsOf(text);
    expect(event!.summary).toBe("è".repeat(100));
    expect(foldLine("x".repeat(75))).toBe("x".repeat(75));
    expect(foldLine("x".repeat(76))).toBe(`${"x".repeat(75)}\r\n x`);
  });

  it("escapes text and drops control characters", () => {
    expect(escapeText("a,b;c\\d\ne\u0007")).toBe("a\\,b\\;c\\\\d\\ne");
  });

  it("gives later changes a higher sequence", () => {
    expect(sequenceOf(new Date("2026-01-01T00:00:01Z"))).toBeGreaterThan(
      sequenceOf(new Date("2026-01-01T00:00:00Z")),
    );
  });
});
