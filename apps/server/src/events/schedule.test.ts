import { describe, expect, it } from "vitest";
import { scheduleWarnings, type ScheduledSession } from "./schedule.js";

const H = 3_600_000;
const base = Date.parse("2026-05-10T07:00:00Z");
const s = (
  id: string,
  fromH: number,
  toH: number,
  spaceId: string | null,
  people: string[] = [],
): ScheduledSession => ({
  id,
  spaceId,
  startsAt: new Date(base + fromH * H),
  endsAt: new Date(base + toH * H),
  people,
});
const event = { startsAt: new Date(base), endsAt: new Date(base + 10 * H) };

describe("schedule warnings", () => {
  it("warns about two sessions at once in one space and a person booked twice", () => {
    const sessions = [
      s("a", 0, 2, "hall", ["u1"]),
      s("b", 1, 3, "hall"),
      s("c", 1.5, 2.5, "room", ["u1"]),
      s("d", 3, 4, "hall", ["u1"]),
    ];
    expect(scheduleWarnings(sessions, event)).toEqual([
      { type: "space_overlap", spaceId: "hall", sessionIds: ["a", "b"] },
      { type: "person_double_booked", userId: "u1", sessionIds: ["a", "c"] },
    ]);
  });

  it("touching sessions do not overlap, and sessions without a space never clash by space", () => {
    expect(
      scheduleWarnings(
        [s("a", 0, 1, "hall"), s("b", 1, 2, "hall"), s("c", 0, 2, null), s("d", 0, 2, null)],
        event,
      ),
    ).toEqual([]);
  });

  it("warns about sessions outside the event, and can focus on one session", () => {
    const sessions = [s("a", -1, 1, "hall"), s("b", 0.5, 1.5, "hall"), s("c", 9, 11, "room")];
    expect(scheduleWarnings(sessions, event).map((w) => w.type)).toEqual([
      "outside_event",
      "outside_event",
      "space_overlap",
    ]);
    expect(scheduleWarnings(sessions, event, "c")).toEqual([{ type: "outside_event", sessionId: "c" }]);
  });
});
