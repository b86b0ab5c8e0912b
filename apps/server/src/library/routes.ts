// The library's REST side: communities and members, items (write, read, versions, search),
// vertical sharing (send down, tally, inbox, adopt / decline / outcome), feedback, follows,
// attachments, and publishing from a board. Each handler parses nothing itself (the route binder
// did) and checks permissions through communities.ts and visibility.ts.
import {
  communities,
  communityMembers,
  eq,
  events,
  isUniqueViolation,
  and,
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
import type { BoardStore } from "../boards/store.js";
import type { BlobStore } from "./blobStore.js";
import { addAttachment, deleteAttachment, readAttachment, readAttachmentBytes } from "./attachments.js";
import {
  communityDetail,
  findCommunity,
  findCommunityBySlug,
  isEditor,
  listCommunities,
  roleIn,
} from "./communities.js";
import { addComment, follow, listFollows, setUseful, unfollow } from "./feedback.js";
import { promoteIdea, publishBoardResults } from "./fromBoard.js";
import { editItem, insertItem, itemDetail, itemVersions } from "./items.js";
import { assertNoScript } from "./scriptGuard.js";
import { searchItems } from "./search.js";
import type { Sharing } from "./sharing.js";

export interface LibraryRouteDeps {
  db: Db;
  clock: Clock;
  sharing: Sharing;
  blobs: BlobStore;
  boards: BoardStore;
}

export function libraryRoutes({ db, clock, sharing, blobs, boards }: LibraryRouteDeps) {
  const detail = async (viewerId: string, itemId: string, status = 200) => ({
    status,
    body: { item: await itemDetail(db, viewerId, itemId) },
  });

  return bindRoutes(
    {
      listCommunities: async ({ actor }) => ({
        status: 200,
        body: { communities: await listCommunities(db, actor?.user.id) },
      }),
      createCommunity: async ({ actor, body }) => {
        if (body.parentId) {
          const parent = await findCommunity(db, body.parentId);
          if ((await roleIn(db, parent.id, actor.user.id)) !== "admin") {
            throw new HttpError(
              ErrorCode.forbidden,
              "Only admins of the parent may add a community below it",
            );
          }
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
        return { status: 201, body: { community: await communityDetail(db, created, actor.user.id) } };
      },
      getCommunity: async ({ actor, params }) => {
        const community = await findCommunityBySlug(db, params.slug);
        return { status: 200, body: { community: await communityDetail(db, community, actor?.user.id) } };
      },
      addCommunityMember: async ({ actor, params, body }) => {
        const community = await findCommunityBySlug(db, params.slug);
        if ((await roleIn(db, community.id, actor.user.id)) !== "admin")
          throw new HttpError(ErrorCode.forbidden);
        const [person] = await db
          .select({ id: users.id, name: users.name })
          .from(users)
          .where(sql`lower(${users.email}) = ${body.email.toLowerCase()}`);
        if (!person) throw new HttpError(ErrorCode.notFound, "Nobody has an account with that email yet");
        await db.transaction(async (tx) => {
          await lockCommunity(tx, community.id);
          await tx
            .insert(communityMembers)
            .values({ communityId: community.id, userId: person.id, role: body.role, createdAt: clock.now() })
            .onConflictDoUpdate({
              target: [communityMembers.communityId, communityMembers.userId],
              set: { role: body.role },
            });
          await keepAnAdmin(tx, community.id);
        });
        const member: CommunityMember = { userId: person.id as UserId, name: person.name, role: body.role };
        return { status: 201, body: { member } };
      },
      removeCommunityMember: async ({ actor, params }) => {
        const community = await findCommunityBySlug(db, params.slug);
        const self = params.userId === actor.user.id;
        if (!self && (await roleIn(db, community.id, actor.user.id)) !== "admin") {
          throw new HttpError(ErrorCode.forbidden);
        }
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
      searchLibrary: async ({ actor, query }) => ({
        status: 200,
        body: await searchItems(db, actor?.user.id ?? null, query),
      }),
      createLibraryItem: async ({ actor, body }) => {
        assertNoScript(body.body);
        const role = await roleIn(db, body.communityId, actor.user.id);
        if (role === null) throw new HttpError(ErrorCode.forbidden, "Write in a community you belong to");
        if (body.status === "published" && !isEditor(role)) {
          throw new HttpError(ErrorCode.forbidden, "Publishing needs the editor role; save a draft");
        }
        const item = await db.transaction((tx) =>
          insertItem(
            tx,
            { ...body, authorId: actor.user.id, adaptedFromId: null, sourceBoardId: null },
            clock.now(),
          ),
        );
        return detail(actor.user.id, item.id, 201);
      },
      getLibraryItem: async ({ actor, params }) => ({
        status: 200,
        body: { item: await itemDetail(db, actor?.user.id ?? null, params.itemId) },
      }),
      updateLibraryItem: async ({ actor, params, body }) => {
        assertNoScript(body.body);
        await editItem(db, actor.user.id, params.itemId, body, clock.now());
        return detail(actor.user.id, params.itemId);
      },
      listItemVersions: async ({ actor, params }) => ({
        status: 200,
        body: { versions: await itemVersions(db, actor?.user.id ?? null, params.itemId) },
      }),
      listItemDescendants: async ({ actor, params }) => {
        const found = await sharing.descendants(actor.user.id, params.itemId);
        const mine = await listCommunities(db, actor.user.id);
        const roles = new Map(mine.map((c) => [c.id as string, c.myRole]));
        return {
          status: 200,
          body: {
            communities: found.map((c) => ({
              id: c.id,
              slug: c.slug,
              name: c.name,
              kind: c.kind,
              parentId: c.parentId,
              myRole: roles.get(c.id) ?? null,
              depth: c.depth,
            })),
          },
        };
      },
      sendItemDown: async ({ actor, params, body }) => ({
        status: 200,
        body: {
          tally: await sharing.sendDown(actor.user.id, params.itemId, body.target, body.note, clock.now()),
        },
      }),
      getItemTally: async ({ actor, params }) => ({
        status: 200,
        body: { tally: await sharing.tallyFor(actor.user.id, params.itemId) },
      }),
      adoptDelivery: async ({ actor, params }) => {
        const copyId = await sharing.adopt(actor.user.id, params.deliveryId, clock.now());
        return detail(actor.user.id, copyId, 201);
      },
      declineDelivery: async ({ actor, params }) => ({
        status: 200,
        body: { entry: await sharing.decline(actor.user.id, params.deliveryId, clock.now()) },
      }),
      reportDeliveryOutcome: async ({ actor, params, body }) => ({
        status: 200,
        body: { entry: await sharing.reportOutcome(actor.user.id, params.deliveryId, body, clock.now()) },
      }),
      addItemComment: async ({ actor, params, body }) => ({
        status: 201,
        body: { comment: await addComment(db, actor, params.itemId, body.body, clock.now()) },
      }),
      markItemUseful: async ({ actor, params }) => ({
        status: 200,
        body: await setUseful(db, actor, params.itemId, true, clock.now()),
      }),
      unmarkItemUseful: async ({ actor, params }) => ({
        status: 200,
        body: await setUseful(db, actor, params.itemId, false, clock.now()),
      }),
      uploadItemAttachment: async ({ actor, params, query, res }) => {
        const upload = res.locals.upload as { contentType: string; bytes: Uint8Array };
        const attachment = await addAttachment(
          db,
          blobs,
          actor,
          params.itemId,
          { ...upload, filename: query.filename },
          clock.now(),
        );
        return { status: 201, body: { attachment } };
      },
      getItemAttachment: async ({ actor, params, res }) => {
        const { row, bytes } = await readAttachmentBytes(
          db,
          blobs,
          actor?.user.id ?? null,
          params.itemId,
          params.attachmentId,
        );
        // PDFs and images are shown inline; the sandbox CSP keeps a crafted PDF from running script.
        res
          .status(200)
          .type(row.contentType)
          .setHeader(
            "Content-Security-Policy",
            "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
          )
          .setHeader("X-Content-Type-Options", "nosniff")
          .setHeader("Content-Disposition", `inline; filename*=UTF-8''${encodeURIComponent(row.filename)}`)
          .send(Buffer.from(bytes));
      },
      deleteItemAttachment: async ({ actor, params }) => {
        await deleteAttachment(db, blobs, actor, params.itemId, params.attachmentId);
        return { status: 204 };
      },
      listFollows: async ({ actor }) => ({
        status: 200,
        body: { follows: await listFollows(db, actor.user.id) },
      }),
      follow: async ({ actor, body }) => {
        await follow(db, actor.user.id, body, clock.now());
        return { status: 200, body: { follows: await listFollows(db, actor.user.id) } };
      },
      unfollow: async ({ actor, body }) => {
        await unfollow(db, actor.user.id, body);
        return { status: 200, body: { follows: await listFollows(db, actor.user.id) } };
      },
      publishBoardToLibrary: async ({ actor, params, body }) => {
        const id = await publishBoardResults(db, boards, actor, params.boardId, body, clock.now());
        return detail(actor.user.id, id, 201);
      },
      promoteIdeaToLibrary: async ({ actor, params, body }) => {
        const id = await promoteIdea(db, boards, actor, params.boardId, params.ideaId, body, clock.now());
        return detail(actor.user.id, id, 201);
      },
    },
    { uploadItemAttachment: readAttachment },
  );
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
