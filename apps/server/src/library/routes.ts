// The library's REST side: items (write, read, versions, search), vertical sharing (send down,
// tally, adopt / decline / outcome), feedback, follows, attachments, and publishing from a board.
// Each handler parses nothing itself (the route binder did) and checks permissions through
// communities.ts and visibility.ts. Communities and members are in communityRoutes.ts.
import type { Db } from "@convivio/db";
import { ErrorCode } from "@convivio/protocol";
import type { Clock } from "../auth/clock.js";
import { bindRoutes } from "../http/routes.js";
import { HttpError } from "../http/problem.js";
import type { BoardStore } from "../boards/store.js";
import type { BlobStore } from "./blobStore.js";
import { addAttachment, deleteAttachment, readAttachment, readAttachmentBytes } from "./attachments.js";
import { assertAudienceFits, findCommunity, isEditor, listCommunities, roleIn } from "./communities.js";
import { addComment, deleteComment, follow, listFollows, setUseful, unfollow } from "./feedback.js";
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
      searchLibrary: async ({ actor, query }) => ({
        status: 200,
        body: await searchItems(db, actor?.user.id ?? null, query),
      }),
      createLibraryItem: async ({ actor, body }) => {
        assertNoScript(body.body);
        const role = await roleIn(db, body.communityId, actor.user.id);
        if (role === null) throw new HttpError(ErrorCode.forbidden, "Write in a community you belong to");
        assertAudienceFits(await findCommunity(db, body.communityId), body.audience);
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
        const change = await editItem(db, actor.user.id, params.itemId, body, clock.now());
        if (change.statusBefore !== change.statusAfter) await sharing.copyChanged(params.itemId);
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
      deleteItemComment: async ({ actor, params }) => {
        await deleteComment(db, actor, params.itemId, params.commentId);
        return { status: 204 };
      },
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
        const { id, created } = await publishBoardResults(
          db,
          boards,
          actor,
          params.boardId,
          body,
          clock.now(),
        );
        return detail(actor.user.id, id, created ? 201 : 200);
      },
      promoteIdeaToLibrary: async ({ actor, params, body }) => {
        const id = await promoteIdea(db, boards, actor, params.boardId, params.ideaId, body, clock.now());
        return detail(actor.user.id, id, 201);
      },
    },
    { uploadItemAttachment: readAttachment(db) },
  );
}
