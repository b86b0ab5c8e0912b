// Schedule warnings in words: the server names sessions, spaces and people by id; the organizer
// reads their titles and names.
import type { EventDetail, EventTeamResponse, ScheduleWarning } from "@convivio/protocol";
import type { Message } from "../ui/message";

type Named = Pick<EventDetail, "sessions" | "spaces">;

/** One sentence per warning, with the titles and names filled in. */
export function describeWarning(
  warning: ScheduleWarning,
  event: Named,
  team: EventTeamResponse["members"] = [],
): Message {
  const title = (id: string) => event.sessions.find((s) => s.id === id)?.title ?? "?";
  switch (warning.type) {
    case "space_overlap":
      return {
        key: "registrations.warnings.spaceOverlap",
        values: {
          space: event.spaces.find((s) => s.id === warning.spaceId)?.name ?? "?",
          first: title(warning.sessionIds[0]),
          second: title(warning.sessionIds[1]),
        },
      };
    case "person_double_booked":
      return {
        key: "registrations.warnings.doubleBooked",
        values: {
          person: team.find((m) => m.userId === warning.userId)?.name ?? "?",
          first: title(warning.sessionIds[0]),
          second: title(warning.sessionIds[1]),
        },
      };
    case "outside_event":
      return { key: "registrations.warnings.outsideEvent", values: { session: title(warning.sessionId) } };
  }
}

/** The sessions a warning is about, so each can be flagged in the list. */
export function sessionsOfWarning(warning: ScheduleWarning): string[] {
  return warning.type === "outside_event" ? [warning.sessionId] : [...warning.sessionIds];
}
