// Who may be on a board, and as what. The event role decides, through the one permission table:
// whoever may facilitate a session (organizers, facilitators) acts as `facilitator`; whoever may
// join one (speakers, attendees) or holds a confirmed registration acts as `participant`; anyone
// else is refused. Drafts stay with their organizers.
import { and, boards, eq, events, registrations, type Db } from "@convivio/db";
import { Permission, rolesAllow, type BoardRole, type ParticipantId, type User } from "@convivio/protocol";
import { rolesIn } from "../access/permissions.js";

/** A person on a board is their user: the participant id is the user id. */
export function participantOf(user: User): ParticipantId {
  return user.id as string as ParticipantId;
}

export interface BoardRow {
  id: string;
  eventId: string;
  sessionId: string | null;
  eventVisibility: "draft" | "unlisted" | "public";
}

/** The board's event, or undefined when there is no such board. */
export async function findBoard(db: Db, boardId: string): Promise<BoardRow | undefined> {
  const [row] = await db
    .select({
      id: boards.id,
      eventId: boards.eventId,
      sessionId: boards.sessionId,
      eventVisibility: events.visibility,
    })
    .from(boards)
    .innerJoin(events, eq(events.id, boards.eventId))
    .where(eq(boards.id, boardId));
  return row;
}

/** The board role of a person in an event, or null when they may not be on its boards. */
export async function boardRoleIn(
  db: Db,
  event: { id: string; visibility: "draft" | "unlisted" | "public" },
  userId: string,
): Promise<BoardRole | null> {
  const roles = await rolesIn(db, event.id, userId);
  // First: a draft's boards and sessions are for its organizers only, facilitators included.
  if (event.visibility === "draft" && !rolesAllow(roles, Permission.viewDraft)) return null;
  if (rolesAllow(roles, Permission.facilitateSession)) return "facilitator";
  if (rolesAllow(roles, Permission.joinSession)) return "participant";
  const [registration] = await db
    .select({ id: registrations.id })
    .from(registrations)
    .where(
      and(
        eq(registrations.eventId, event.id),
        eq(registrations.userId, userId),
        eq(registrations.status, "confirmed"),
      ),
    )
    .limit(1);
  return registration ? "participant" : null;
}
