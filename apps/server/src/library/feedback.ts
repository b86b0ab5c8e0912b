// Feedback on items (comments, "useful" marks) and what people follow for the weekly digest. Every
// write first checks that the caller may see the item, through the same visibility rule. A comment
// is removed by its author, or by an editor or admin of the item's community (moderation: anyone
// who may read an item for everyone may comment on it).
import {
  and,
  asc,
  communities,
  eq,
  inArray,
  libraryComments,
  libraryFollows,
  libraryUsefulMarks,
  sql,
  type Db,
} from "@convivio/db";
import {
  ErrorCode,
  type FollowBody,
  type Follow,
  type ItemComment,
  type ItemCommentId,
  type UserId,
} from "@convivio/protocol";
import type { Actor } from "../auth/actor.js";
import { HttpError } from "../http/problem.js";
import { isEditor, roleIn } from "./communities.js";
import { visibleItem } from "./items.js";

export async function addComment(
  db: Db,
  actor: Actor,
  itemId: string,
  body: string,
  now: Date,
): Promise<ItemComment> {
  const item = await visibleItem(db, actor.user.id, itemId);
  const [row] = await db
    .insert(libraryComments)
    .values({ itemId: item.id, authorId: actor.user.id, body, createdAt: now })
    .returning();
  return {
    id: row!.id as ItemCommentId,
    author: { id: actor.user.id as UserId, name: actor.user.name },
    body: row!.body,
    createdAt: row!.createdAt.toISOString(),
  };
}

/**
 * Removes a comment of an item the caller may see: their own, or anyone's when they edit or admin
 * the item's community. A comment of another item is not found, whatever its id.
 */
export async function deleteComment(db: Db, actor: Actor, itemId: string, commentId: string): Promise<void> {
  const item = await visibleItem(db, actor.user.id, itemId);
  const [comment] = await db
    .select({ id: libraryComments.id, authorId: libraryComments.authorId })
    .from(libraryComments)
    .where(and(eq(libraryComments.id, commentId), eq(libraryComments.itemId, item.id)));
  if (!comment) throw new HttpError(ErrorCode.notFound, "No such comment on this item");
  if (comment.authorId !== actor.user.id && !isEditor(await roleIn(db, item.communityId, actor.user.id))) {
    throw new HttpError(
      ErrorCode.forbidden,
      "Only its author or an editor of the item's community may remove a comment",
    );
  }
  await db.delete(libraryComments).where(eq(libraryComments.id, comment.id));
}

export async function setUseful(db: Db, actor: Actor, itemId: string, useful: boolean, now: Date) {
  const item = await visibleItem(db, actor.user.id, itemId);
  if (useful) {
    await db
      .insert(libraryUsefulMarks)
      .values({ itemId: item.id, userId: actor.user.id, createdAt: now })
      .onConflictDoNothing();
  } else {
    await db
      .delete(libraryUsefulMarks)
      .where(and(eq(libraryUsefulMarks.itemId, item.id), eq(libraryUsefulMarks.userId, actor.user.id)));
  }
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(libraryUsefulMarks)
    .where(eq(libraryUsefulMarks.itemId, item.id));
  return { usefulCount: Number(count?.n ?? 0), usefulByMe: useful };
}

export async function listFollows(db: Db, userId: string): Promise<Follow[]> {
  const rows = await db
    .select()
    .from(libraryFollows)
    .where(eq(libraryFollows.userId, userId))
    .orderBy(asc(libraryFollows.targetKind), asc(libraryFollows.target));
  const communityIds = rows.filter((r) => r.targetKind === "community").map((r) => r.target);
  const names = new Map(
    communityIds.length
      ? (
          await db
            .select({ id: communities.id, name: communities.name })
            .from(communities)
            .where(inArray(communities.id, communityIds))
        ).map((c) => [c.id, c.name])
      : [],
  );
  return rows.map((r) => ({
    kind: r.targetKind,
    target: r.target,
    label: r.targetKind === "tag" ? r.target : (names.get(r.target) ?? r.target),
  }));
}

export async function follow(db: Db, userId: string, body: FollowBody, now: Date): Promise<void> {
  if (body.kind === "community") {
    const [community] = await db
      .select({ id: communities.id })
      .from(communities)
      .where(eq(communities.id, body.target));
    if (!community) throw new HttpError(ErrorCode.notFound, "No such community");
  }
  await db
    .insert(libraryFollows)
    .values({ userId, targetKind: body.kind, target: body.target, createdAt: now })
    .onConflictDoNothing();
}

export async function unfollow(db: Db, userId: string, body: FollowBody): Promise<void> {
  await db
    .delete(libraryFollows)
    .where(
      and(
        eq(libraryFollows.userId, userId),
        eq(libraryFollows.targetKind, body.kind),
        eq(libraryFollows.target, body.target),
      ),
    );
}
