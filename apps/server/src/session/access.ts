// Who may be in a live session, and as what. The same rules as the boards (boards/access.ts):
// whoever may facilitate a session of the event (organizers, facilitators) leads it; speakers,
// attendees and people with a confirmed registration take part; anyone else is refused, and a
// draft event's sessions do not exist outside its team.
import { agendaSessions, eq, events, type Db } from "@convivio/db";
import type { SessionRole } from "@convivio/protocol";
import { boardRoleIn } from "../boards/access.js";
import type { EventRow } from "../access/permissions.js";

export interface SessionWithEvent {
  session: typeof agendaSessions.$inferSelect;
  event: EventRow;
}

/** The session and its event, or undefined when there is no such session. */
export async function findSession(db: Db, sessionId: string): Promise<SessionWithEvent | undefined> {
  const [row] = await db
    .select({ session: agendaSessions, event: events })
    .from(agendaSessions)
    .innerJoin(events, eq(events.id, agendaSessions.eventId))
    .where(eq(agendaSessions.id, sessionId));
  return row;
}

/** The role of a person in a session of `event`, or null when they may not be in it. */
export async function sessionRoleIn(
  db: Db,
  event: { id: string; visibility: "draft" | "unlisted" | "public" },
  userId: string,
): Promise<SessionRole | null> {
  return boardRoleIn(db, event, userId);
}
