import { describe, expect, it } from "vitest";
import {
  LocalDateTime,
  TimeZone,
  canonicalTimeZone,
  formatLocalDateTime,
  parseLocalDateTime,
  zoneOffsetMs,
  zoneTransitions,
  zonedTimeToUtc,
} from "./time.js";

const utc = (local: string, zone: string) =>
  new Date(zonedTimeToUtc(parseLocalDateTime(local)!, zone)).toISOString();

describe("wall-clock times in a zone", () => {
  it("converts to UTC with the offset in force on that day", () => {
    expect(utc("2026-01-15T09:00", "Europe/Rome")).toBe("2026-01-15T08:00:00.000Z");
    expect(utc("2026-07-15T09:00", "Europe/Rome")).toBe("2026-07-15T07:00:00.000Z");
    expect(utc("2026-07-15T09:00", "America/New_York")).toBe("2026-07-15T13:00:00.000Z");
    expect(utc("2026-07-15T09:00", "Asia/Kolkata")).toBe("2026-07-15T03:30:00.000Z");
    expect(utc("2026-07-15T09:00:30", "UTC")).toBe("2026-07-15T09:00:30.000Z");
  });

  it("moves a time skipped by the spring change forward, and takes the first of a repeated one", () => {
    // Rome: 02:00 -> 03:00 on 29 March 2026; 03:00 -> 02:00 on 25 October 2026.
    expect(utc("2026-03-29T02:30", "Europe/Rome")).toBe("2026-03-29T01:30:00.000Z");
    expect(formatLocalDateTime(Date.parse("2026-03-29T01:30:00Z"), "Europe/Rome")).toBe("2026-03-29T03:30");
    expect(utc("2026-10-25T02:30", "Europe/Rome")).toBe("2026-10-25T00:30:00.000Z");
  });

  it("round-trips through the formatter", () => {
    for (const zone of ["Europe/Rome", "America/Los_Angeles", "Australia/Lord_Howe", "Pacific/Chatham"]) {
      for (const local of ["2026-01-01T00:00", "2026-06-30T23:59", "2026-11-02T12:15"]) {
        expect(
          formatLocalDateTime(zonedTimeToUtc(parseLocalDateTime(local)!, zone), zone),
          `${zone} ${local}`,
        ).toBe(local);
      }
    }
  });

  it("finds offset changes to the minute", () => {
    const changes = zoneTransitions(
      Date.parse("2026-01-01T00:00:00Z"),
      Date.parse("2027-01-01T00:00:00Z"),
      "Europe/Rome",
    );
    expect(changes.map((t) => new Date(t).toISOString())).toEqual([
      "2026-03-29T01:00:00.000Z",
      "2026-10-25T01:00:00.000Z",
    ]);
    expect(zoneOffsetMs(Date.parse("2026-07-01T00:00:00Z"), "Europe/Rome")).toBe(2 * 3_600_000);
    expect(
      zoneTransitions(Date.parse("2026-01-01T00:00:00Z"), Date.parse("2027-01-01T00:00:00Z"), "Asia/Tokyo"),
    ).toEqual([]);
  });
});

describe("schemas", () => {
  it("accept real dates and refuse impossible ones", () => {
    expect(LocalDateTime.safeParse("2028-02-29T10:00").success).toBe(true);
    for (const bad of [
      "2026-02-29T10:00",
      "2026-04-31T10:00",
      "2026-13-01T10:00",
      "2026-01-01T24:00",
      "2026-01-01",
      "2026-01-01T10:00Z",
      "",
    ]) {
      expect(LocalDateTime.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("accept IANA zones, canonicalised, and refuse anything else", () => {
    expect(TimeZone.parse("Europe/Rome")).toBe("Europe/Rome");
    expect(TimeZone.parse("UTC")).toBe("UTC");
    expect(canonicalTimeZone("europe/rome")).toBe("Europe/Rome");
    for (const bad of ["Mars/Olympus", "+01:00", "Europe/Rome; DROP", "", "a".repeat(70)]) {
      expect(TimeZone.safeParse(bad).success, bad).toBe(false);
    }
  });
});
