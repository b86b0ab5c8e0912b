// Who is in a live session, across every node: `fetchSockets()` on the session's room asks every
// node through the socket.io adapter (Redis in cluster mode) for its sockets there, with the role
// each joined as. A person with several tabs counts once. Changes are announced to the room at most
// once per PRESENCE_DEBOUNCE_MS per session and node, so a crowd arriving costs few round trips.
import type { Logger } from "pino";
import type { SessionParticipant, SessionRole } from "@convivio/protocol";
import type { LiveServer } from "../live/socket.js";

export const PRESENCE_DEBOUNCE_MS = 250;
/** Tries of one announcement when asking the other nodes fails. */
const PRESENCE_ATTEMPTS = 4;

/** The socket.io room of a session: its state, hands, participants and plenary chat. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
/** The socket.io room of one table's chat in a session. */
export const tableChatRoom = (sessionId: string, tableId: string) => `session:${sessionId}:table:${tableId}`;

/** The people in a session now, facilitators first, then by name. */
export async function participantsOf(io: LiveServer, sessionId: string): Promise<SessionParticipant[]> {
  const sockets = await io.in(sessionRoom(sessionId)).fetchSockets();
  const people = new Map<string, SessionParticipant>();
  for (const socket of sockets) {
    const user = socket.data.actor?.user;
    const role: SessionRole | undefined = socket.data.sessions?.[sessionId];
    if (!user || !role) continue;
    const known = people.get(user.id);
    if (!known || (known.role !== "facilitator" && role === "facilitator")) {
      people.set(user.id, { userId: user.id, name: user.name, role });
    }
  }
  return [...people.values()].sort(
    (a, b) =>
      (a.role === "facilitator" ? 0 : 1) - (b.role === "facilitator" ? 0 : 1) ||
      a.name.localeCompare(b.name) ||
      a.userId.localeCompare(b.userId),
  );
}

/** Announces a session's participants a moment after a change here, once for a burst of changes. */
export class PresenceAnnouncer {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  constructor(
    private readonly io: LiveServer,
    private readonly logger: Logger,
    private readonly debounceMs = PRESENCE_DEBOUNCE_MS,
  ) {}

  changed(sessionId: string, attempt = 1): void {
    if (this.pending.has(sessionId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(sessionId);
      participantsOf(this.io, sessionId)
        .then((participants) =>
          this.io.to(sessionRoom(sessionId)).emit("session:participants", {
            sessionId: sessionId as never,
            participants,
          }),
        )
        .catch((err: unknown) => {
          // A node that dies while answering makes the cluster-wide fetch time out: ask again, a
          // few times, so the last word on who is here is not a stale one.
          this.logger.warn({ err, sessionId, attempt }, "session presence failed");
          if (attempt < PRESENCE_ATTEMPTS && !this.stopped) this.changed(sessionId, attempt + 1);
        });
    }, this.debounceMs * attempt);
    timer.unref();
    this.pending.set(sessionId, timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
