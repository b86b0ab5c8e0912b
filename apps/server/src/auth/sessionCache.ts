// The sessions this node resolved in the last moments. A person arriving at a live session makes
// four requests within a second or so (sign-in, board snapshot, media token, socket handshake), and
// looking the session up for each was a third of a join's statements (the join storm,
// docs/performance.md). An entry lives `SESSION_CACHE_MS` at most and never past its session's
// expiry. Whatever ends a session or changes what an actor carries forgets it here at once
// (AuthService), and on the other nodes through the socket adapter (live/socket.ts); if that
// message were lost, another node could honour an ended session for at most `SESSION_CACHE_MS`.
import type { SessionForget } from "@convivio/protocol";
import type { Actor } from "./actor.js";

export const SESSION_CACHE_MS = 2_000;
/** Entries kept at most; the oldest goes first. */
export const SESSION_CACHE_SIZE = 20_000;

/** What to forget: one session, or every session of a person (all but one, for a password change). */
export type Forget = SessionForget;

interface Entry {
  actor: Actor;
  /** Epoch ms after which the entry is not used: the earlier of its time to live and the session's expiry. */
  until: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs: number = SESSION_CACHE_MS) {}

  get(tokenHash: string, now: number): Actor | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until > now) return entry.actor;
    this.entries.delete(tokenHash);
    return undefined;
  }

  set(tokenHash: string, actor: Actor, now: number, expiresAt: number): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(tokenHash);
    if (this.entries.size >= SESSION_CACHE_SIZE) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(tokenHash, { actor, until: Math.min(now + this.ttlMs, expiresAt) });
  }

  forget(what: Forget): void {
    for (const [key, { actor }] of this.entries) {
      const matches =
        "sessionId" in what
          ? actor.sessionId === what.sessionId
          : actor.user.id === what.userId && actor.sessionId !== what.exceptSessionId;
      if (matches) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
