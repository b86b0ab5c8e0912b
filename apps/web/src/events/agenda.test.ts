import { describe, expect, it } from "vitest";
import type { AgendaSession, EventDetail } from "@convivio/protocol";
import { groupAgenda } from "./agenda";
import { dayKey, formatTimeRange } from "./datetime";

type Space = EventDetail["spaces"][number];

const space = (id: string, name: string, position: number) => ({ id, name, position }) as Space;
const session = (title: string, startsAt: string, spaceId: string | null): AgendaSession =>
  ({
    id: `id-${title}`,
    spaceId,
    title,
    description: "",
    kind: "workshop",
    startsAt,
    endsAt: startsAt,
  }) as AgendaSession;

const hall = space("hall", "Hall", 2);
const room = space("room", "Room", 1);

describe("groupAgenda", () => {
  const event = {
    spaces: [hall, room],
    sessions: [
      session("Tables", "2025-06-12T12:00:00Z", "room"),
      session("Welcome", "2025-06-12T07:00:00Z", null),
      session("Keynote", "2025-06-12T08:00:00Z", "hall"),
      // 00:30 on the 13th in Rome, still the evening of the 12th in New York.
      session("Late", "2025-06-12T22:30:00Z", "hall"),
    ],
  };

  it("groups by day in the given time zone, space-less sessions first, spaces by position", () => {
    const days = groupAgenda(event, "Europe/Rome");
    expect(days.map((d) => d.day)).toEqual(["2025-06-12", "2025-06-13"]);
    expect(days[0]?.tracks.map((t) => t.space?.name ?? null)).toEqual([null, "Room", "Hall"]);
    expect(days[0]?.tracks.map((t) => t.sessions.map((s) => s.title))).toEqual([
      ["Welcome"],
      ["Tables"],
      ["Keynote"],
    ]);
    expect(days[1]?.tracks[0]?.sessions.map((s) => s.title)).toEqual(["Late"]);
  });

  it("moves sessions across midnight for a viewer elsewhere", () => {
    const days = groupAgenda(event, "America/New_York");
    expect(days.map((d) => d.day)).toEqual(["2025-06-12"]);
    expect(days[0]?.firstStartsAt).toBe("2025-06-12T07:00:00Z");
  });

  it("keeps sessions of a space that no longer exists", () => {
    const days = groupAgenda(
      { spaces: [], sessions: [session("Orphan", "2025-06-12T08:00:00Z", "gone")] },
      "UTC",
    );
    expect(days[0]?.tracks).toEqual([
      { space: null, sessions: [expect.objectContaining({ title: "Orphan" })] },
    ]);
  });
});

describe("datetime", () => {
  it("reads days and hours in the requested zone", () => {
    expect(dayKey("2025-06-12T22:30:00Z", "Europe/Rome")).toBe("2025-06-13");
    expect(formatTimeRange("2025-06-12T07:00:00Z", "2025-06-12T08:30:00Z", "it-IT", "Europe/Rome")).toMatch(
      /^09:00\s*[–-]\s*10:30$/,
    );
  });
});
