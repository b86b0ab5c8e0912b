// The communities' REST side: the tree, creating a community (a top-level one needs a platform
// operator, a child the parent's admin), members and their roles (admins; the last admin stays),
// the inbox of items sent down, and which community an event belongs to. Handlers parse nothing
// themselves (the route binder did) and check permissions through communities.ts.
import {
  and,
  communities,
  communityMembers,
  eq,
  events,
  isUniqueViolation,
  sql,
  users,
  type Db,
} from "@convivio/db";
import {
  ErrorCode,
  Permission,
  type CommunityId,
  type CommunityMember,
  type UserId,
} from "@convivio/protocol";
import type { Clock } from "../auth/clock.js";
import { authorizeEvent, findEventBySlug } from "../access/permissions.js";
import { bindRoutes } from "../http/routes.js";
import { HttpError } from "../http/problem.js";
import {
  communityDetail,
  findCommunity,
  findCommunityBySlug,
  isEditor,
  listCommunities,
  mayCreateTopLevel,
  roleIn,
} from "./communities.js";
import type { Sharing } from "./sharing.js";

export interface CommunityRouteDeps {
  db: Db;
  clock: Clock;
  sharing: Sharing;
  /** Platform operators by email (PLATFORM_OPERATOR_EMAILS): who may start a top-level community. */
  operatorEmails: readonly string[];
}

export function communityRoutes({ db, clock, sharing, operatorEmails }: CommunityRouteDeps) {
  const requireAdmin = async (communityId: string, userId: string) => {
    if ((await roleIn(db, communityId, userId)) !== "admin") {
      throw new HttpError(ErrorCode.forbidden, "Only the community's admins may change its members");
    }
  };

  return bindRoutes({
    listCommunities: async ({ actor }) => ({
      status: 200,
      body: {
        communities: await listCommunities(db, actor?.user.id),
        canCreateTopLevel: await mayCreateTopLevel(db, operatorEmails, actor?.user.id),
      },
    }),
    createCommunity: async ({ actor, body }) => {
      if (body.parentId) {
        const parent = await findCommunity(db, body.parentId);
        if ((await roleIn(db, parent.id, actor.user.id)) !== "admin") {
          throw new HttpError(ErrorCode.forbidden, "Only admins of the parent may add a community below it");
        }
      } else if (!(await mayCreateTopLevel(db, operatorEmails, actor.user.id))) {
        throw new HttpError(
          ErrorCode.forbidden,
          "Only the platform's operators start a top-level community; ask the admins of a community to add one below it",
        );
      }
      const now = clock.now();
      const created = await db
        .transaction(async (tx) => {
          const [row] = await tx
            .insert(communities)
            .values({
              slug: body.slug,
              name: body.name,
              kind: body.kind,
              description: body.description ?? "",
              parentId: body.parentId ?? null,
              createdBy: actor.user.id,
              createdAt: now,
            })
            .returning();
          await tx
            .insert(communityMembers)
            .values({ communityId: row!.id, userId: actor.user.id, role: "admin", createdAt: now });
          return row!;
        })
        .catch((err: unknown) => {
          if (isUniqueViolation(err)) throw new HttpError(ErrorCode.conflict, "That address is taken");
          throw err;
        });
      return {
        status: 201,
        body: { community: await communityDetail(db, created, actor.user.id, clock.now()) },
      };
    },
    getCommunity: async ({ actor, params }) => {
      const community = await findCommunityBySlug(db, params.slug);
      return {
        status: 200,
        body: { community: await communityDetail(db, community, actor?.user.id, clock.now()) },
      };
    },
    addCommunityMember: async ({ actor, params, body }) => {
      const community = await findCommunityBySlug(db, params.slug);
      await requireAdmin(community.id, actor.user.id);
      const [person] = await db
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(sql`lower(${users.email}) = ${body.email.toLowerCase()}`);
      if (!person) throw new HttpError(ErrorCode.notFound, "Nobody has an account with that email yet");
      await setRole(db, community.id, person.id, body.role, clock.now(), true);
      const member: CommunityMember = { userId: person.id as UserId, name: person.name, role: body.role };
      return { status: 201, body: { member } };
    },
    updateCommunityMember: async ({ actor, params, body }) => {
      const community = await findCommunityBySlug(db, params.slug);
      await requireAdmin(community.id, actor.user.id);
      const [person] = await db
        .select({ id: users.id, name: users.name })
        .from(communityMembers)
        .innerJoin(users, eq(users.id, communityMembers.userId))
        .where(
          and(eq(communityMembers.communityId, community.id), eq(communityMembers.userId, params.userId)),
        );
      if (!person) throw new HttpError(ErrorCode.notFound, "Not a member of this community");
      await setRole(db, community.id, person.id, body.role, clock.now(), false);
      const member: CommunityMember = { userId: person.id as UserId, name: person.name, role: body.role };
      return { status: 200, body: { member } };
    },
    removeCommunityMember: async ({ actor, params }) => {
      const community = await findCommunityBySlug(db, params.slug);
      // Anyone may leave; removing someone else is for admins.
      if (params.userId !== actor.user.id) await requireAdmin(community.id, actor.user.id);
      await db.transaction(async (tx) => {
        await lockCommunity(tx, community.id);
        await tx
          .delete(communityMembers)
          .where(
            and(eq(communityMembers.communityId, community.id), eq(communityMembers.userId, params.userId)),
          );
        await keepAnAdmin(tx, community.id);
      });
      return { status: 204 };
    },
    getCommunityInbox: async ({ actor, params }) => {
      const community = await findCommunityBySlug(db, params.slug);
      return { status: 200, body: { entries: await sharing.inbox(actor.user.id, community.id) } };
    },
    getEventCommunity: async ({ actor, params }) => {
      const event = await findEventBySlug(db, params.slug);
      await authorizeEvent(db, actor, event, Permission.viewEvent);
      if (!event.communityId) return { status: 200, body: { community: null } };
      const community = await findCommunity(db, event.communityId);
      return {
        status: 200,
        body: {
          community: {
            id: community.id as CommunityId,
            slug: community.slug,
            name: community.name,
            kind: community.kind,
            parentId: community.parentId as CommunityId | null,
            myRole: await roleIn(db, community.id, actor?.user.id),
          },
        },
      };
    },
    setEventCommunity: async ({ actor, params, body }) => {
      const event = await findEventBySlug(db, params.slug);
      await authorizeEvent(db, actor, event, Permission.editEvent);
      let summary = null;
      if (body.communityId) {
        const community = await findCommunity(db, body.communityId);
        const role = await roleIn(db, community.id, actor.user.id);
        if (!isEditor(role))
          throw new HttpError(ErrorCode.forbidden, "Only editors of the community may add events to it");
        summary = {
          id: body.communityId,
          slug: community.slug,
          name: community.name,
          kind: community.kind,
          parentId: community.parentId as typeof body.communityId | null,
          myRole: role,
        };
      }
      await db
        .update(events)
        .set({ communityId: body.communityId, updatedAt: clock.now() })
        .where(eq(events.id, event.id));
      return { status: 200, body: { community: summary } };
    },
  });
}

/** Gives a person a role (adding them when `add`), keeping at least one admin. */
async function setRole(
  db: Db,
  communityId: string,
  userId: string,
  role: CommunityMember["role"],
  now: Date,
  add: boolean,
): Promise<void> {
  await db.transaction(async (tx) => {
    await lockCommunity(tx, communityId);
    if (add) {
      await tx
        .insert(communityMembers)
        .values({ communityId, userId, role, createdAt: now })
        .onConflictDoUpdate({
          target: [communityMembers.communityId, communityMembers.userId],
          set: { role },
        });
    } else {
      await tx
        .update(communityMembers)
        .set({ role })
        .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, userId)));
    }
    await keepAnAdmin(tx, communityId);
  });
}

/** Serializes membership changes of one community, so two demotions cannot both pass the check. */
async function lockCommunity(tx: Db, communityId: string): Promise<void> {
  await tx
    .select({ id: communities.id })
    .from(communities)
    .where(eq(communities.id, communityId))
    .for("update");
}

/** A community always keeps at least one admin (checked inside the changing transaction). */
async function keepAnAdmin(tx: Db, communityId: string): Promise<void> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(communityMembers)
    .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.role, "admin")));
  if (Number(row?.n ?? 0) === 0)
    throw new HttpError(ErrorCode.conflict, "A community keeps at least one admin");
}
