// Table hosts (the person who stays at a table every World-Café round). A host must be someone who
// may be in the session — the rule of boards/access.ts (`boardRoleIn`): a draft's sessions are for
// its organizers only; otherwise a member of the event's team, an attendee or speaker, or a
// confirmed registration — present now or not, and one person hosts one table. Checked wherever a
// host is set (opening tables, planning them), so an unknown id is a clear `table_host_invalid` and
// never a foreign-key failure. Both the check and the picker read the standing of everyone they ask
// about in one statement and decide with `boardRoleFrom`, the rule `boardRoleIn` itself applies
// (a contract test holds the two paths to the same answers: hosts.integration.test.ts).
import { and, eq, eventMembers, inArray, registrations, sql, users } from "@convivio/db";
import { ErrorCode, type EventRole, type HostCandidatesResponse } from "@convivio/protocol";
import { HttpError } from "../http/problem.js";
import { boardRoleFrom, type Standing } from "../boards/access.js";
import type { PresentPerson } from "./notify.js";
import type { Executor, SessionContext } from "./store.js";

/** The host picker lists at most this many people (present ones first, then by name). */
export const HOST_CANDIDATES_MAX = 500;

/**
 * The standing (and name) of everyone the event knows — or only of `userIds` — in one statement: its
 * team's roles (by the members' primary key) and its confirmed registrations (by their event index).
 * People with neither are absent.
 */
export async function standingsIn(
  db: Executor,
  eventId: string,
  userIds?: readonly string[],
): Promise<Map<string, Standing & { name: string }>> {
  const only = (column: typeof eventMembers.userId | typeof registrations.userId) =>
    userIds ? inArray(column, [...userIds]) : undefined;
  const rows = await db
    .select({
      userId: users.id,
      name: users.name,
      role: sql<EventRole | null>`${eventMembers.role}`,
      registered: sql<boolean>`false`,
    })
    .from(eventMembers)
    .innerJoin(users, eq(users.id, eventMembers.userId))
    .where(and(eq(eventMembers.eventId, eventId), only(eventMembers.userId)))
    .unionAll(
      db
        .select({
          userId: users.id,
          name: users.name,
          role: sql<EventRole | null>`null`,
          registered: sql<boolean>`true`,
        })
        .from(registrations)
        .innerJoin(users, eq(users.id, registrations.userId))
        .where(
          and(
            eq(registrations.eventId, eventId),
            eq(registrations.status, "confirmed"),
            only(registrations.userId),
          ),
        ),
    );
  const standings = new Map<string, Standing & { name: string }>();
  for (const row of rows) {
    const standing = standings.get(row.userId) ?? { name: row.name, roles: [], registered: false };
    if (row.role) standing.roles.push(row.role);
    if (row.registered) standing.registered = true;
    standings.set(row.userId, standing);
  }
  return standings;
}

const NOBODY: Standing = { roles: [], registered: false };

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
  if (distinct.length === 0) return;
  const standings = await standingsIn(db, ctx.eventId, distinct);
  if (distinct.some((id) => boardRoleFrom(standings.get(id) ?? NOBODY, ctx.visibility) === null))
    throw new HttpError(
      ErrorCode.tableHostInvalid,
      "A table's host must be someone who may be in this session",
    );
}

/** Everyone who may host a table of the session, for the facilitators' picker. */
export async function hostCandidates(
  db: Executor,
  ctx: SessionContext,
  present: readonly PresentPerson[],
): Promise<HostCandidatesResponse> {
  const people = new Map<string, string>();
  for (const [userId, standing] of await standingsIn(db, ctx.eventId))
    if (boardRoleFrom(standing, ctx.visibility) !== null) people.set(userId, standing.name);
  // Present now means they joined the session's breakouts, which asks the same rule.
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
