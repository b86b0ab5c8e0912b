// Table hosts (the person who stays at a table every World-Café round). A host must be someone who
// may be in the session — the same rule as everywhere (boards/access.ts): a member of the event's
// team, an attendee or speaker, or a confirmed registration — present now or not, and one person
// hosts one table. Checked wherever a host is set (opening tables, planning them), so an unknown id
// is a clear `table_host_invalid` and never a foreign-key failure.
import { and, eq, eventMembers, registrations, users, type Db } from "@convivio/db";
import {
  ErrorCode,
  Permission,
  rolesAllow,
  type EventRole,
  type HostCandidatesResponse,
} from "@convivio/protocol";
import { HttpError } from "../http/problem.js";
import { boardRoleIn } from "../boards/access.js";
import type { PresentPerson } from "./notify.js";
import type { Executor, SessionContext } from "./store.js";

/** The host picker lists at most this many people (present ones first, then by name). */
export const HOST_CANDIDATES_MAX = 500;

/** Refuses hosts who may not be in the session, and anyone hosting two tables. */
export async function checkHosts(
  db: Executor,
  ctx: SessionContext,
  hostIds: readonly (string | null | undefined)[],
): Promise<void> {
  const ids = hostIds.filter((id): id is string => typeof id === "string");
  const distinct = [...new Set(ids)];
  if (distinct.length !== ids.length)
    throw new HttpError(ErrorCode.tableHostInvalid, "One person can host one table only");
  const event = { id: ctx.eventId, visibility: ctx.visibility };
  const roles = await Promise.all(distinct.map((id) => boardRoleIn(db as Db, event, id)));
  if (roles.some((role) => role === null))
    throw new HttpError(
      ErrorCode.tableHostInvalid,
      "A table's host must be someone who may be in this session",
    );
}

/** Everyone who may host a table of the session, for the facilitators' picker. */
export async function hostCandidates(
  db: Db,
  ctx: SessionContext,
  present: readonly PresentPerson[],
): Promise<HostCandidatesResponse> {
  const [members, registered] = await Promise.all([
    db
      .select({ userId: eventMembers.userId, role: eventMembers.role, name: users.name })
      .from(eventMembers)
      .innerJoin(users, eq(users.id, eventMembers.userId))
      .where(eq(eventMembers.eventId, ctx.eventId)),
    db
      .select({ userId: users.id, name: users.name })
      .from(registrations)
      .innerJoin(users, eq(users.id, registrations.userId))
      .where(and(eq(registrations.eventId, ctx.eventId), eq(registrations.status, "confirmed"))),
  ]);
  const draft = ctx.visibility === "draft";
  const rolesOf = new Map<string, { name: string; roles: EventRole[] }>();
  for (const m of members) {
    const entry = rolesOf.get(m.userId) ?? { name: m.name, roles: [] };
    entry.roles.push(m.role);
    rolesOf.set(m.userId, entry);
  }
  // boardRoleIn, for many people at once: a draft's sessions are for its team only.
  const people = new Map<string, string>();
  for (const [userId, { name, roles }] of rolesOf) {
    const seesDraft = !draft || rolesAllow(roles, Permission.viewDraft);
    if (
      rolesAllow(roles, Permission.facilitateSession) ||
      (seesDraft && rolesAllow(roles, Permission.joinSession))
    )
      people.set(userId, name);
  }
  for (const r of registered) {
    const roles = rolesOf.get(r.userId)?.roles ?? [];
    if (!draft || rolesAllow(roles, Permission.viewDraft)) people.set(r.userId, r.name);
  }
  for (const p of present) people.set(p.userId, p.name);
  const here = new Set(present.map((p) => p.userId));
  const sorted = [...people]
    .map(([userId, name]) => ({ userId, name, present: here.has(userId) }))
    .sort(
      (a, b) =>
        Number(b.present) - Number(a.present) ||
        a.name.localeCompare(b.name) ||
        a.userId.localeCompare(b.userId),
    );
  return { people: sorted.slice(0, HOST_CANDIDATES_MAX), truncated: sorted.length > HOST_CANDIDATES_MAX };
}
