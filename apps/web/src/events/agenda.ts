import type { AgendaSession, EventDetail } from "@convivio/protocol";
import { dayKey } from "./datetime";

type Space = EventDetail["spaces"][number];

export interface AgendaTrack {
  /** `null` for sessions that belong to no single space (a plenary for everyone, say). */
  space: Space | null;
  sessions: AgendaSession[];
}

export interface AgendaDay {
  /** `YYYY-MM-DD` in the time zone the agenda was grouped in. */
  day: string;
  /** The first session's start, to format the day's heading. */
  firstStartsAt: string;
  tracks: AgendaTrack[];
}

const byStart = (a: AgendaSession, b: AgendaSession) =>
  Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.title.localeCompare(b.title);

/**
 * Groups an event's sessions by day (as seen in `timeZone`) and, within a day, by space in the
 * organizer's order, with space-less sessions first. Sessions are sorted by start time.
 */
export function groupAgenda(event: Pick<EventDetail, "spaces" | "sessions">, timeZone: string): AgendaDay[] {
  const spaces = [...event.spaces].sort((a, b) => a.position - b.position);
  const days = new Map<string, AgendaSession[]>();
  for (const session of [...event.sessions].sort(byStart)) {
    const key = dayKey(session.startsAt, timeZone);
    days.set(key, [...(days.get(key) ?? []), session]);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, sessions]) => {
      const known = new Set(spaces.map((space) => space.id));
      const tracks: AgendaTrack[] = [
        // Sessions whose space is unknown are shown with everyone's rather than dropped.
        { space: null, sessions: sessions.filter((s) => s.spaceId === null || !known.has(s.spaceId)) },
        ...spaces.map((space) => ({ space, sessions: sessions.filter((s) => s.spaceId === space.id) })),
      ].filter((track) => track.sessions.length > 0);
      return { day, firstStartsAt: sessions[0]?.startsAt ?? "", tracks };
    });
}
