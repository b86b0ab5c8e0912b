// A session's live state in the database: no row is `scheduled`; starting writes `live` (again,
// after an end); ending writes `ended` and lowers every hand. Each change is one statement or one
// transaction, so every node reads the same state.
import { and, eq, sessionHands, sessionLive, type Db } from "@convivio/db";
import type { SessionLiveState } from "@convivio/protocol";

type LiveRow = typeof sessionLive.$inferSelect;

function stateOf(sessionId: string, row: LiveRow | undefined): SessionLiveState {
  return {
    sessionId: sessionId as SessionLiveState["sessionId"],
    status: row?.status ?? "scheduled",
    startedAt: row?.startedAt.toISOString() ?? null,
    endedAt: row?.endedAt?.toISOString() ?? null,
  };
}

/** The live state of one session. */
export async function liveStateOf(db: Db, sessionId: string): Promise<SessionLiveState> {
  const [row] = await db.select().from(sessionLive).where(eq(sessionLive.sessionId, sessionId));
  return stateOf(sessionId, row);
}

/** The live state of every session of an event that has ever been started, by session id. */
export async function eventLiveStates(db: Db, eventId: string): Promise<Map<string, SessionLiveState>> {
  const rows = await db.select().from(sessionLive).where(eq(sessionLive.eventId, eventId));
  return new Map(rows.map((row) => [row.sessionId, stateOf(row.sessionId, row)]));
}

/** Starts (or restarts) a session; starting a live one changes nothing. */
export async function startLive(
  db: Db,
  input: { sessionId: string; eventId: string; userId: string; now: Date },
): Promise<{ state: SessionLiveState; changed: boolean }> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(sessionLive)
      .where(eq(sessionLive.sessionId, input.sessionId))
      .for("update");
    if (current?.status === "live") return { state: stateOf(input.sessionId, current), changed: false };
    const values = {
      status: "live" as const,
      startedAt: input.now,
      startedBy: input.userId,
      endedAt: null,
      endedBy: null,
      updatedAt: input.now,
    };
    const [row] = await tx
      .insert(sessionLive)
      .values({ sessionId: input.sessionId, eventId: input.eventId, ...values })
      .onConflictDoUpdate({ target: sessionLive.sessionId, set: values })
      .returning();
    return { state: stateOf(input.sessionId, row), changed: true };
  });
}

/**
 * Ends a live session and lowers every hand. Null when it is not live (never started); ending an
 * ended session changes nothing.
 */
export async function endLive(
  db: Db,
  input: { sessionId: string; userId: string; now: Date },
): Promise<{ state: SessionLiveState; changed: boolean } | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(sessionLive)
      .where(eq(sessionLive.sessionId, input.sessionId))
      .for("update");
    if (!current) return null;
    if (current.status === "ended") return { state: stateOf(input.sessionId, current), changed: false };
    const [row] = await tx
      .update(sessionLive)
      .set({ status: "ended", endedAt: input.now, endedBy: input.userId, updatedAt: input.now })
      .where(and(eq(sessionLive.sessionId, input.sessionId), eq(sessionLive.status, "live")))
      .returning();
    await tx.delete(sessionHands).where(eq(sessionHands.sessionId, input.sessionId));
    return { state: stateOf(input.sessionId, row), changed: true };
  });
}
