// Schedule warnings: two sessions at once in one space, one person in two sessions at once, a
// session outside the event's dates. Warnings, not errors: a plenary may overlap on purpose.
import type { ScheduleWarning, SessionId, SpaceId, UserId } from "@convivio/protocol";

export interface ScheduledSession {
  id: string;
  spaceId: string | null;
  startsAt: Date;
  endsAt: Date;
  /** Speakers and facilitators. */
  people: readonly string[];
}

const overlaps = (a: ScheduledSession, b: ScheduledSession) => a.startsAt < b.endsAt && b.startsAt < a.endsAt;

/**
 * Every warning of a schedule; with `focus`, only those that involve that session. Pairs are listed
 * earlier session first.
 */
export function scheduleWarnings(
  sessions: readonly ScheduledSession[],
  event: { startsAt: Date; endsAt: Date },
  focus?: string,
): ScheduleWarning[] {
  const sorted = [...sessions].sort(
    (a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id),
  );
  const warnings: ScheduleWarning[] = [];
  for (const s of sorted) {
    if ((focus === undefined || s.id === focus) && (s.startsAt < event.startsAt || s.endsAt > event.endsAt)) {
      warnings.push({ type: "outside_event", sessionId: s.id as SessionId });
    }
  }
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      // Sorted by start: once b starts after a ends, no later session overlaps a either.
      if (b.startsAt >= a.endsAt) break;
      if (focus !== undefined && a.id !== focus && b.id !== focus) continue;
      if (!overlaps(a, b)) continue;
      const pair: [SessionId, SessionId] = [a.id as SessionId, b.id as SessionId];
      if (a.spaceId !== null && a.spaceId === b.spaceId) {
        warnings.push({ type: "space_overlap", spaceId: a.spaceId as SpaceId, sessionIds: pair });
      }
      for (const person of a.people) {
        if (b.people.includes(person)) {
          warnings.push({ type: "person_double_booked", userId: person as UserId, sessionIds: pair });
        }
      }
    }
  }
  return warnings;
}
