// The event's team: organizers invite co-organizers, facilitators and speakers by email. The person
// is found or created by email, gets the role, and a job emails them a sign-in link.
import {
  and,
  eq,
  eventMembers,
  sessionPeople,
  agendaSessions,
  inArray,
  sql,
  users,
  type Db,
} from "@convivio/db";
import {
  ErrorCode,
  type EventRole,
  type Locale,
  type TeamInviteJob,
  type TeamRole,
} from "@convivio/protocol";
import { HttpError } from "../http/problem.js";

export interface TeamInvite {
  email: string;
  name?: string | undefined;
  role: TeamRole;
  locale?: Locale | undefined;
}

/** Adds the role (a no-op if held already) and returns the member with all their team roles. */
export async function inviteTeamMember(
  db: Db,
  eventId: string,
  invite: TeamInvite,
  invitedBy: string,
  scheduleInvite: (job: TeamInviteJob) => Promise<void>,
) {
  const member = await db.transaction(async (tx) => {
    await tx
      .insert(users)
      .values({
        email: invite.email,
        name: invite.name ?? invite.email.split("@")[0]!.slice(0, 120),
        locale: invite.locale ?? "it",
      })
      .onConflictDoNothing();
    const [user] = await tx
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${invite.email.toLowerCase()}`);
    const added = await tx
      .insert(eventMembers)
      .values({ eventId, userId: user!.id, role: invite.role })
      .onConflictDoNothing()
      .returning();
    const roles = await tx
      .select({ role: eventMembers.role })
      .from(eventMembers)
      .where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.userId, user!.id)));
    return {
      user: user!,
      added: added.length > 0,
      roles: roles.map((r) => r.role).filter((r): r is Exclude<EventRole, "attendee"> => r !== "attendee"),
    };
  });
  if (member.added) {
    await scheduleInvite({ eventId, userId: member.user.id, role: invite.role, invitedBy });
  }
  return { userId: member.user.id, name: member.user.name, email: member.user.email, roles: member.roles };
}

/** Takes a team role away; the event keeps at least one organizer, and the person leaves the sessions of that role. */
export async function removeTeamMember(
  db: Db,
  eventId: string,
  userId: string,
  role: TeamRole,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (role === "organizer") {
      // Lock the organizers' rows so two organizers cannot remove each other at once.
      const organizers = await tx
        .select({ userId: eventMembers.userId })
        .from(eventMembers)
        .where(and(eq(eventMembers.eventId, eventId), eq(eventMembers.role, "organizer")))
        .for("update");
      if (organizers.length === 1 && organizers[0]!.userId === userId) {
        throw new HttpError(ErrorCode.conflict, "An event needs at least one organizer");
      }
    }
    const removed = await tx
      .delete(eventMembers)
      .where(
        and(eq(eventMembers.eventId, eventId), eq(eventMembers.userId, userId), eq(eventMembers.role, role)),
      )
      .returning();
    if (removed.length === 0) throw new HttpError(ErrorCode.notFound);
    if (role !== "organizer") {
      const sessions = tx
        .select({ id: agendaSessions.id })
        .from(agendaSessions)
        .where(eq(agendaSessions.eventId, eventId));
      await tx
        .delete(sessionPeople)
        .where(
          and(
            eq(sessionPeople.userId, userId),
            eq(sessionPeople.role, role),
            inArray(sessionPeople.sessionId, sessions),
          ),
        );
    }
  });
}
