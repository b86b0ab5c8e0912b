import { describe, expect, it } from "vitest";
import { addHours, isAfter, isLocalDateTime, timeZoneGroups, toLocalInput } from "./zonedTime";

describe("toLocalInput", () => {
  it("shows an instant as the event's wall clock, across daylight saving", () => {
    expect(toLocalInput("2026-05-10T07:30:00.000Z", "Europe/Rome")).toBe("2026-05-10T09:30");
    expect(toLocalInput("2026-01-10T08:30:00.000Z", "Europe/Rome")).toBe("2026-01-10T09:30");
    expect(toLocalInput("2026-05-10T07:30:00.000Z", "America/New_York")).toBe("2026-05-10T03:30");
  });

  it("gives an empty value for nothing or garbage", () => {
    expect(toLocalInput(null, "UTC")).toBe("");
    expect(toLocalInput("not a date", "UTC")).toBe("");
  });
});

describe("local date checks", () => {
  it("accepts real dates only and orders them", () => {
    expect(isLocalDateTime("2026-02-28T10:00")).toBe(true);
    expect(isLocalDateTime("2026-02-30T10:00")).toBe(false);
    expect(isLocalDateTime("")).toBe(false);
    expect(isAfter("2026-02-28T10:01", "2026-02-28T10:00")).toBe(true);
    expect(isAfter("2026-02-28T10:00", "2026-02-28T10:00")).toBe(false);
  });
});

describe("timeZoneGroups", () => {
  it("groups zones by region, UTC first, and keeps the current zone even if unknown", () => {
    const groups = timeZoneGroups("Mars/Olympus", ["Europe/Rome", "America/New_York", "Europe/Berlin"]);
    expect(groups.map((g) => g.region)).toEqual(["UTC", "America", "Europe", "Mars"]);
    expect(groups.find((g) => g.region === "Europe")?.zones).toEqual(["Europe/Berlin", "Europe/Rome"]);
  });
});

describe("addHours", () => {
  it("moves a wall-clock time, across midnight too", () => {
    expect(addHours("2026-05-10T09:30", 2)).toBe("2026-05-10T11:30");
    expect(addHours("2026-05-10T23:00", 2)).toBe("2026-05-11T01:00");
    expect(addHours("nope", 2)).toBe("");
  });
});
