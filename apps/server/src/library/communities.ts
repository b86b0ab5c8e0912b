// Communities: the tree (parents, children, descendants, ancestors), members and their roles, who
// may start a community at the top, and the public events a community's page lists.
import {
  and,
  asc,
  communities,
  communityMembers,
  eq,
  events,
  sql,
  users,
  type CommunityRoleValue,
  type Db,
} from "@convivio/db";
import {
  ErrorCode,
  type CommunityDetail,
  type CommunityEvent,
  type CommunityId,
  type CommunityRef,
  type CommunityRole,
  type CommunitySummary,
  type UserId,
} from "@convivio/protocol";
import { HttpError } from "../http/problem.js";

export type CommunityRow = typeof communities.$inferSelect;

/** Editors and admins act for a community (publish, send down, adopt, report outcomes). */
export const isEditor = (role: CommunityRole | null | undefined): boolean =>
  role === "editor" || role === "admin";

export async function roleIn(
  db: Db,
  communityId: string,
  userId: string | undefined,
): Promise<CommunityRoleValue | null> {
  if (!userId) return null;
  const [row] = await db
    .select({ role: communityMembers.role })
    .from(communityMembers)
    .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, userId)));
  return row?.role ?? null;
}

/**
 * A top-level community has no siblings (only a shared parent makes communities siblings, and
 * top-level ones are unrelated groups: sharing with "all other top-level communities" would reach
 * other organizations), so its items are for the community or for everyone. Refused with a 400
 * naming the field, on create, edit and publishing a board's results alike.
 */
export function assertAudienceFits(
  community: Pick<CommunityRow, "parentId">,
  audience: "community" | "siblings" | "everyone" | undefined,
): void {
  if (audience === "siblings" && community.parentId === null) {
    throw new HttpError(
      ErrorCode.validationFailed,
      "A top-level community has no sibling communities: share with the community or with everyone",
      [{ path: "audience", message: "siblings: not for an item of a top-level community" }],
    );
  }
}

export async function findCommunityBySlug(db: Db, slug: string): Promise<CommunityRow> {
  const [row] = await db.select().from(communities).where(eq(communities.slug, slug));
  if (!row) throw new HttpError(ErrorCode.notFound, "No such community");
  return row;
}

export async function findCommunity(db: Db, id: string): Promise<CommunityRow> {
  const [row] = await db.select().from(communities).where(eq(communities.id, id));
  if (!row) throw new HttpError(ErrorCode.notFound, "No such community");
  return row;
}

export const refOf = (row: { id: string; slug: string; name: string }): CommunityRef => ({
  id: row.id as CommunityId,
  slug: row.slug,
  name: row.name,
});

function summaryOf(row: CommunityRow, myRole: CommunityRole | null): CommunitySummary {
  return {
    id: row.id as CommunityId,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    parentId: row.parentId as CommunityId | null,
    myRole,
  };
}

async function myRoles(db: Db, userId: string | undefined): Promise<Map<string, CommunityRole>> {
  if (!userId) return new Map();
  const rows = await db
    .select({ id: communityMembers.communityId, role: communityMembers.role })
    .from(communityMembers)
    .where(eq(communityMembers.userId, userId));
  return new Map(rows.map((r) => [r.id, r.role]));
}

/** Every community, flat, in name order, with the caller's role. */
export async function listCommunities(db: Db, userId: string | undefined): Promise<CommunitySummary[]> {
  const [rows, roles] = await Promise.all([
    db.select().from(communities).orderBy(asc(communities.name), asc(communities.id)),
    myRoles(db, userId),
  ]);
  return rows.map((row) => summaryOf(row, roles.get(row.id) ?? null));
}

/** The communities strictly below `communityId`, each with its depth (1 = a child). */
export async function descendantsOf(db: Db, communityId: string): Promise<{ id: string; depth: number }[]> {
  const result = await db.execute<{ id: string; depth: number }>(sql`
    WITH RECURSIVE below(id, depth) AS (
      SELECT id, 1 FROM communities WHERE parent_id = ${communityId}
      UNION ALL
      SELECT c.id, below.depth + 1 FROM communities c JOIN below ON c.parent_id = below.id
    )
    SELECT id, depth FROM below`);
  return result.rows.map((r) => ({ id: r.id, depth: Number(r.depth) }));
}

/** The ancestors of a community, from the root down to its parent. */
export async function ancestorsOf(db: Db, community: CommunityRow): Promise<CommunityRow[]> {
  const chain: CommunityRow[] = [];
  let parentId = community.parentId;
  // Parents are set at creation and never change, so the chain has no cycle; the bound is a guard.
  while (parentId && chain.length < 50) {
    const parent = await findCommunity(db, parentId);
    chain.unshift(parent);
    parentId = parent.parentId;
  }
  return chain;
}

/**
 * Whether a person may start a community at the top of the tree: a platform operator, named by
 * email in the server's configuration, whose email is verified (signed in by an emailed link once),
 * so nobody can claim the role by signing up first with an operator's address. Everything below a
 * top-level community is then its admins' decision.
 */
export async function mayCreateTopLevel(
  db: Db,
  operatorEmails: readonly string[],
  userId: string | undefined,
): Promise<boolean> {
  if (!userId || operatorEmails.length === 0) return false;
  const [row] = await db
    .select({ email: users.email, verifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, userId));
  return Boolean(row?.verifiedAt) && operatorEmails.includes(row!.email.toLowerCase());
}

/** How many events a community's page lists. */
const COMMUNITY_EVENTS_MAX = 30;

/** The community's public events: coming ones first (soonest first), then past ones (latest first). */
async function publicEventsOf(db: Db, communityId: string, now: Date): Promise<CommunityEvent[]> {
  const rows = await db
    .select({
      slug: events.slug,
      title: events.title,
      startsAt: events.startsAt,
      endsAt: events.endsAt,
      timeZone: events.timeZone,
    })
    .from(events)
    .where(and(eq(events.communityId, communityId), eq(events.visibility, "public")))
    .orderBy(
      sql`(${events.endsAt} < ${now}) ASC`,
      sql`CASE WHEN ${events.endsAt} >= ${now} THEN ${events.startsAt} END ASC`,
      sql`${events.startsAt} DESC`,
    )
    .limit(COMMUNITY_EVENTS_MAX);
  return rows.map((r) => ({
    ...r,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
  }));
}

export async function communityDetail(
  db: Db,
  community: CommunityRow,
  userId: string | undefined,
  now: Date,
): Promise<CommunityDetail> {
  const roles = await myRoles(db, userId);
  const myRole = roles.get(community.id) ?? null;
  const [ancestors, children, members, eventList] = await Promise.all([
    ancestorsOf(db, community),
    db
      .select()
      .from(communities)
      .where(eq(communities.parentId, community.id))
      .orderBy(asc(communities.name)),
    db
      .select({ userId: communityMembers.userId, name: users.name, role: communityMembers.role })
      .from(communityMembers)
      .innerJoin(users, eq(users.id, communityMembers.userId))
      .where(eq(communityMembers.communityId, community.id))
      .orderBy(asc(users.name), asc(users.id)),
    publicEventsOf(db, community.id, now),
  ]);
  return {
    ...summaryOf(community, myRole),
    description: community.description,
    ancestors: ancestors.map((row) => summaryOf(row, roles.get(row.id) ?? null)),
    children: children.map((row) => summaryOf(row, roles.get(row.id) ?? null)),
    memberCount: members.length,
    // The member list is for members only.
    members: myRole ? members.map((m) => ({ userId: m.userId as UserId, name: m.name, role: m.role })) : [],
    events: eventList,
  };
}
