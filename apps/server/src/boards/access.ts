// Who may be on a board, and as what. The event role decides, through the one permission table:
// whoever may facilitate a session (organizers, facilitators) acts as `facilitator`; whoever may
// join one (speakers, attendees) or holds a confirmed registration acts as `participant`; anyone
// else is refused. Drafts stay with their organizers. A breakout table's board is narrower: it
// belongs to its table (boardAccessOf below).
import { and, boards, eq, events, registrations, type Db } from "@convivio/db";
import {
  Permission,
  rolesAllow,
  type BoardRole,
  type EventRole,
  type ParticipantId,
  type User,
} from "@convivio/protocol";
import { rolesIn, rolesOf } from "../access/permissions.js";
import { placeAt } from "../breakouts/tablePlace.js";

/** A person on a board is their user: the participant id is the user id. */
export function participantOf(user: User): ParticipantId {
  return user.id as string as ParticipantId;
}

export interface BoardRow {
  id: string;
  eventId: string;
  sessionId: string | null;
  /** The breakout table the board belongs to, or null for a session's or event's board. */
  tableId: string | null;
  eventVisibility: "draft" | "unlisted" | "public";
}

/** The board's event, or undefined when there is no such board. */
export async function findBoard(db: Db, boardId: string): Promise<BoardRow | undefined>;
/** The same, with `userId`'s roles in the board's event, read in the same round trip. */
export async function findBoard(
  db: Db,
  boardId: string,
  userId: string,
): Promise<(BoardRow & { roles: EventRole[] }) | undefined>;
export async function findBoard(db: Db, boardId: string, userId?: string) {
  const [row] = await db
    .select({
      id: boards.id,
      eventId: boards.eventId,
      sessionId: boards.sessionId,
      tableId: boards.tableId,
      eventVisibility: events.visibility,
      ...(userId === undefined ? {} : { roles: rolesOf(boards.eventId, userId) }),
    })
    .from(boards)
    .innerJoin(events, eq(events.id, boards.eventId))
    .where(eq(boards.id, boardId));
  return row;
}

/** What decides someone's role on an event's boards and in its sessions. */
export interface Standing {
  roles: EventRole[];
  /** Whether they hold a confirmed registration. */
  registered: boolean;
}

/**
 * The rule, on a standing read beforehand: a draft's boards and sessions are for its organizers
 * only, facilitators included; then the permission table; then a confirmed registration.
 */
export function boardRoleFrom(
  standing: Standing,
  visibility: "draft" | "unlisted" | "public",
): BoardRole | null {
  const { roles, registered } = standing;
  if (visibility === "draft" && !rolesAllow(roles, Permission.viewDraft)) return null;
  if (rolesAllow(roles, Permission.facilitateSession)) return "facilitator";
  if (rolesAllow(roles, Permission.joinSession)) return "participant";
  return registered ? "participant" : null;
}

/**
 * The board role of a person in an event, or null when they may not be on its boards. `knownRoles`:
 * their event roles when the caller read them already (findBoard with a user). The registration is
 * looked up only when it can decide.
 */
export async function boardRoleIn(
  db: Db,
  event: { id: string; visibility: "draft" | "unlisted" | "public" },
  userId: string,
  knownRoles?: EventRole[],
): Promise<BoardRole | null> {
  const roles = knownRoles ?? (await rolesIn(db, event.id, userId));
  const byRoles = boardRoleFrom({ roles, registered: false }, event.visibility);
  if (byRoles !== null || boardRoleFrom({ roles, registered: true }, event.visibility) === null)
    return byRoles;
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
  return boardRoleFrom({ roles, registered: registration !== undefined }, event.visibility);
}

/** What a person may do on one board: their role there, and whether they may only look. */
export interface BoardAccess {
  role: BoardRole;
  readOnly: boolean;
}

/**
 * A person's access to one board, or null when they may not be on it. A board of an event or a
 * session follows the event role (boardRoleIn). A breakout table's board belongs to its table, so
 * that only the people talking there propose and vote on what its roll-up carries to the plenary:
 * - facilitators (and organizers): always, as on every board of the event;
 * - a participant: while seated at that table in its run (a World-Café round moves people and the
 *   board stays with the table, so whoever sits there now), exactly as the table's chat and media
 *   (breakouts/tablePlace.ts);
 * - after the table has closed, whoever sat at it during its run may still look at it, read-only
 *   (its ideas, and its results once revealed), but changes nothing;
 * - anyone else, or a participant who has moved to another table while the run goes on: nothing.
 * `eventRole` skips looking the event role up again when the caller already knows it.
 */
export async function boardAccessOf(
  db: Db,
  board: Pick<BoardRow, "eventId" | "eventVisibility" | "tableId">,
  userId: string,
  eventRole?: BoardRole | null,
): Promise<BoardAccess | null> {
  const role =
    eventRole !== undefined
      ? eventRole
      : await boardRoleIn(db, { id: board.eventId, visibility: board.eventVisibility }, userId);
  if (!role) return null;
  if (role === "facilitator" || board.tableId === null) return { role, readOnly: false };
  const place = await placeAt(db, board.tableId, userId);
  if (place === "seated") return { role, readOnly: false };
  if (place === "sat") return { role, readOnly: true };
  return null;
}
