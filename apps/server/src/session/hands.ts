// Raised hands of a live session, in the database so that every node sees one queue. Order is
// raising order (then user id, for hands raised in the same millisecond). A hand stays in the
// queue while its person is on stage; lowering it or taking it back removes it.
import { and, asc, eq, sessionHands, users, type Db } from "@convivio/db";
import type { RaisedHand } from "@convivio/protocol";

/** The session's raised hands, in raising order. */
export async function listHands(db: Db, sessionId: string): Promise<RaisedHand[]> {
  const rows = await db
    .select({ hand: sessionHands, name: users.name })
    .from(sessionHands)
    .innerJoin(users, eq(users.id, sessionHands.userId))
    .where(eq(sessionHands.sessionId, sessionId))
    .orderBy(asc(sessionHands.raisedAt), asc(sessionHands.userId));
  return rows.map(({ hand, name }) => ({
    userId: hand.userId,
    name,
    raisedAt: hand.raisedAt.toISOString(),
    onStage: hand.onStageAt !== null,
  }));
}

/** Raises a hand; raising it again keeps its place. True when it was not raised before. */
export async function raiseHand(db: Db, sessionId: string, userId: string, now: Date): Promise<boolean> {
  const inserted = await db
    .insert(sessionHands)
    .values({ sessionId, userId, raisedAt: now })
    .onConflictDoNothing()
    .returning({ userId: sessionHands.userId });
  return inserted.length > 0;
}

/** Removes a hand (lowered, or taken back from the stage). Null when there was none. */
export async function removeHand(
  db: Db,
  sessionId: string,
  userId: string,
): Promise<{ wasOnStage: boolean } | null> {
  const [removed] = await db
    .delete(sessionHands)
    .where(and(eq(sessionHands.sessionId, sessionId), eq(sessionHands.userId, userId)))
    .returning({ onStageAt: sessionHands.onStageAt });
  return removed ? { wasOnStage: removed.onStageAt !== null } : null;
}

/** Brings a raised hand on stage. False when that person has no raised hand. */
export async function bringOnStage(db: Db, sessionId: string, userId: string, now: Date): Promise<boolean> {
  const updated = await db
    .update(sessionHands)
    .set({ onStageAt: now })
    .where(and(eq(sessionHands.sessionId, sessionId), eq(sessionHands.userId, userId)))
    .returning({ userId: sessionHands.userId });
  return updated.length > 0;
}
