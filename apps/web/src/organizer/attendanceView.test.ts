import { describe, expect, it } from "vitest";
import type { TFunction } from "i18next";
import { attendanceNotice, minutesText, roomLabel } from "./attendanceView";

// Shows which key was asked for, with which values.
const t = ((key: string, values?: Record<string, unknown>) =>
  `${key}${values ? JSON.stringify(values) : ""}`) as unknown as TFunction;
const room = { key: "table:x", kind: "table" as const, tableId: "x", number: 3, topic: "", breakout: null };

describe("the attendance page", () => {
  it("says plainly that video is off, whether or not something was recorded before", () => {
    expect(attendanceNotice(false, false)).toBe("videoOff");
    expect(attendanceNotice(false, true)).toBe("videoOffEarlier");
    expect(attendanceNotice(true, false)).toBe("empty");
    expect(attendanceNotice(true, true)).toBeNull();
  });

  it("names rooms by table number and topic, never by id", () => {
    expect(roomLabel(t, { ...room, kind: "plenary", number: null, tableId: null })).toBe(
      "attendance.room.plenary",
    );
    expect(roomLabel(t, room)).toBe('attendance.room.table{"number":3}');
    expect(roomLabel(t, { ...room, topic: "Parchi" })).toBe(
      'attendance.room.tableWithTopic{"number":3,"topic":"Parchi"}',
    );
    expect(roomLabel(t, { ...room, breakout: 2 })).toBe(
      'attendance.room.breakout{"room":"attendance.room.table{\\"number\\":3}","number":2}',
    );
    expect(roomLabel(t, { ...room, number: null })).toBe("attendance.room.removed");
  });

  it("shows whole minutes, a dash for none and <1 for a moment", () => {
    const format = new Intl.NumberFormat("it-IT");
    expect(minutesText(undefined, format)).toBeNull();
    expect(minutesText(0, format)).toBeNull();
    expect(minutesText(0.2, format)).toBe("<1");
    expect(minutesText(12.4, format)).toBe("12");
    expect(minutesText(12345.6, format)).toBe("12.346");
  });
});
