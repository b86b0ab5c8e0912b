import { describe, expect, it } from "vitest";
import type { UserId } from "@convivio/protocol";
import type { Actor } from "./actor.js";
import { SESSION_CACHE_SIZE, SessionCache } from "./sessionCache.js";

const actor = (userId: string, sessionId: string): Actor => ({
  sessionId,
  user: {
    id: userId as UserId,
    email: `${userId}@example.org`,
    name: userId,
    locale: "it",
    hasPassword: false,
    createdAt: "2026-12-07T00:00:00.000Z",
  },
});
const FAR = Number.MAX_SAFE_INTEGER;

describe("the session cache", () => {
  it("keeps an entry for its time to live, and never past the session's expiry", () => {
    const cache = new SessionCache(2_000);
    cache.set("a", actor("u1", "s1"), 1_000, FAR);
    cache.set("b", actor("u1", "s2"), 1_000, 1_500);
    expect(cache.get("a", 2_999)?.sessionId).toBe("s1");
    expect(cache.get("a", 3_000)).toBeUndefined();
    expect(cache.get("b", 1_499)?.sessionId).toBe("s2");
    expect(cache.get("b", 1_500)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("forgets one session, a person's sessions, or all of them but the one in use", () => {
    const cache = new SessionCache(10_000);
    cache.set("a", actor("u1", "s1"), 0, FAR);
    cache.set("b", actor("u1", "s2"), 0, FAR);
    cache.set("c", actor("u1", "s3"), 0, FAR);
    cache.set("d", actor("u2", "s4"), 0, FAR);
    cache.forget({ sessionId: "s1" });
    expect(cache.get("a", 1)).toBeUndefined();
    cache.forget({ userId: "u1", exceptSessionId: "s2" });
    expect(cache.get("b", 1)?.sessionId).toBe("s2");
    expect(cache.get("c", 1)).toBeUndefined();
    cache.forget({ userId: "u1" });
    expect(cache.get("b", 1)).toBeUndefined();
    expect(cache.get("d", 1)?.sessionId).toBe("s4");
  });

  it("holds a bounded number of entries, dropping the oldest", () => {
    const cache = new SessionCache(10_000);
    for (let i = 0; i <= SESSION_CACHE_SIZE; i++) cache.set(`t${i}`, actor(`u${i}`, `s${i}`), 0, FAR);
    expect(cache.size).toBe(SESSION_CACHE_SIZE);
    expect(cache.get("t0", 1)).toBeUndefined();
    expect(cache.get(`t${SESSION_CACHE_SIZE}`, 1)?.sessionId).toBe(`s${SESSION_CACHE_SIZE}`);
  });

  it("caches nothing with a time to live of 0", () => {
    const cache = new SessionCache(0);
    cache.set("a", actor("u1", "s1"), 0, FAR);
    expect(cache.get("a", 0)).toBeUndefined();
  });
});
