// Small pure helpers of the live pages: which sessions the lobby offers to join, and initials.
import type { AgendaSession, SessionLiveState, SessionStatus } from "@convivio/protocol";

/** A session's status from the lobby's list (a session never started is `scheduled`). */
export function statusOf(states: readonly SessionLiveState[] | undefined, sessionId: string): SessionStatus {
  return states?.find((s) => s.sessionId === sessionId)?.status ?? "scheduled";
}

/** What the lobby offers for a session: join it (live), open it to start it (the team), or nothing. */
export function lobbyAction(status: SessionStatus, leads: boolean): "join" | "open" | null {
  if (status === "live") return "join";
  return leads ? "open" : null;
}

/** Sessions live now, in agenda order (the lobby puts them on top). */
export function liveNow(sessions: readonly AgendaSession[], states: readonly SessionLiveState[] | undefined) {
  return sessions
    .filter((session) => statusOf(states, session.id) === "live")
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

/** Up to two initials for an avatar ("Sara Conti" -> "SC"). */
export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts.at(-1)!] : parts;
  return letters.map((part) => Array.from(part)[0]!.toUpperCase()).join("") || "?";
}
