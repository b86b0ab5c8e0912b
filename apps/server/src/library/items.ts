// Library items: writing (every change of text is a new version), reading one item with its family
// tree (origins up the chain, and the whole tree of adaptations below: national -> regional ->
// local, as far as the caller may see), and the summaries listings show.
import {
  and,
  asc,
  communities,
  desc,
  eq,
  inArray,
  libraryAttachments,
  libraryComments,
  libraryItemVersions,
  libraryItems,
  libraryUsefulMarks,
  sql,
  users,
  type Db,
  type SQL,
  type Tx,
} from "@convivio/db";
import {
  ErrorCode,
  LIBRARY_LIMITS,
  type AdaptationNode,
  type AttachmentId,
  type BoardId,
  type ItemCommentId,
  type ItemVersion,
  type LibraryItemDetail,
  type LibraryItemId,
  type LibraryItemSummary,
  type RelatedItem,
  type UserId,
} from "@convivio/protocol";
import { HttpError } from "../http/problem.js";
import { renderMarkdown } from "../events/markdown.js";
import { assertAudienceFits, descendantsOf, findCommunity, isEditor, refOf, roleIn } from "./communities.js";
import { canSeeItem, viewerOf, type ItemViewer } from "./visibility.js";

export type ItemRow = typeof libraryItems.$inferSelect;
type ItemInsert = typeof libraryItems.$inferInsert;

/** How far up the "adapted from" chain an item page looks. */
const MAX_ORIGINS = 10;
/**
 * How many adaptations below an item a page reads to list the visible ones and count the others
 * (an act sent down to thousands of councils may have thousands of copies).
 */
const ADAPTATIONS_READ_MAX = 1_000;

/** The fields a new item takes; `version` 1 is written with it. */
export type NewItem = Pick<
  ItemInsert,
  | "kind"
  | "title"
  | "summary"
  | "body"
  | "tags"
  | "territory"
  | "language"
  | "communityId"
  | "status"
  | "audience"
  | "authorId"
  | "adaptedFromId"
  | "sourceBoardId"
>;

/** Inserts an item and its first version in the caller's transaction. */
export async function insertItem(tx: Tx, item: NewItem, now: Date): Promise<ItemRow> {
  const [row] = await tx
    .insert(libraryItems)
    .values({
      ...item,
      version: 1,
      publishedAt: item.status === "published" ? now : null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await tx.insert(libraryItemVersions).values({
    itemId: row!.id,
    version: 1,
    title: row!.title,
    summary: row!.summary,
    body: row!.body,
    tags: row!.tags,
    territory: row!.territory,
    editedBy: item.authorId ?? null,
    createdAt: now,
  });
  return row!;
}

/** The item if the viewer may see it; 404 otherwise, so an unseen item's existence does not leak. */
export async function visibleItem(db: Db, viewerId: string | null, itemId: string): Promise<ItemRow> {
  const [row] = await db
    .select()
    .from(libraryItems)
    .where(and(eq(libraryItems.id, itemId), canSeeItem(await viewerOf(db, viewerId))));
  if (!row) throw new HttpError(ErrorCode.notFound);
  return row;
}

/** Whether a person may edit an item: its author while still a member, or an editor of its community. */
export async function canEdit(db: Db, item: ItemRow, userId: string | undefined): Promise<boolean> {
  const role = await roleIn(db, item.communityId, userId);
  return isEditor(role) || (role !== null && item.authorId === userId);
}

export interface ItemEdit {
  kind?: ItemRow["kind"] | undefined;
  title?: string | undefined;
  summary?: string | undefined;
  body?: string | undefined;
  tags?: string[] | undefined;
  territory?: string | null | undefined;
  language?: ItemRow["language"] | undefined;
  status?: ItemRow["status"] | undefined;
  audience?: ItemRow["audience"] | undefined;
}

const TEXT_FIELDS = ["title", "summary", "body", "tags", "territory"] as const;

/**
 * Applies an edit. Publishing, withdrawing and changing the audience of an item that is no longer
 * a draft need the editor role; a change of text (title, summary, body, tags, territory) writes a
 * new version. The row is locked, so two concurrent edits make two versions, never one lost.
 * Returns the status before and after, so the caller can tell the sender's tally about a copy.
 */
export async function editItem(
  db: Db,
  userId: string,
  itemId: string,
  edit: ItemEdit,
  now: Date,
): Promise<{ statusBefore: ItemRow["status"]; statusAfter: ItemRow["status"] }> {
  await visibleItem(db, userId, itemId);
  return db.transaction(async (tx) => {
    const [item] = await tx.select().from(libraryItems).where(eq(libraryItems.id, itemId)).for("update");
    if (!item) throw new HttpError(ErrorCode.notFound);
    const role = await roleIn(tx, item.communityId, userId);
    const editor = isEditor(role);
    if (!editor && !(role !== null && item.authorId === userId)) throw new HttpError(ErrorCode.forbidden);
    const statusChanges = edit.status !== undefined && edit.status !== item.status;
    if (statusChanges && !editor) {
      throw new HttpError(ErrorCode.forbidden, "Publishing and withdrawing need the editor role");
    }
    // Once published, who reads an item is the community's decision: an author who is a plain
    // member may still fix its text, not take it to more (or fewer) readers. On a draft the
    // audience reaches nobody until an editor publishes it, so the author may set it there.
    const audienceChanges = edit.audience !== undefined && edit.audience !== item.audience;
    if (audienceChanges && item.status !== "draft" && !editor) {
      throw new HttpError(ErrorCode.forbidden, "Changing who sees a published item needs the editor role");
    }
    if (audienceChanges) assertAudienceFits(await findCommunity(tx, item.communityId), edit.audience);
    const textChanged = TEXT_FIELDS.some(
      (field) => edit[field] !== undefined && JSON.stringify(edit[field]) !== JSON.stringify(item[field]),
    );
    const next = {
      kind: edit.kind ?? item.kind,
      title: edit.title ?? item.title,
      summary: edit.summary ?? item.summary,
      body: edit.body ?? item.body,
      tags: edit.tags ?? item.tags,
      territory: edit.territory === undefined ? item.territory : edit.territory,
      language: edit.language ?? item.language,
      status: edit.status ?? item.status,
      audience: edit.audience ?? item.audience,
    };
    const version = textChanged ? item.version + 1 : item.version;
    await tx
      .update(libraryItems)
      .set({
        ...next,
        version,
        publishedAt: next.status === "published" ? (item.publishedAt ?? now) : item.publishedAt,
        updatedAt: now,
      })
      .where(eq(libraryItems.id, itemId));
    if (textChanged) {
      await tx.insert(libraryItemVersions).values({
        itemId,
        version,
        title: next.title,
        summary: next.summary,
        body: next.body,
        tags: next.tags,
        territory: next.territory,
        editedBy: userId,
        createdAt: now,
      });
    }
    return { statusBefore: item.status, statusAfter: next.status };
  });
}

/**
 * Writes new text into an item the caller has locked, as its next version when the text changed
 * (a republished board outcome). Status and audience stay as they are.
 */
export async function reviseItem(
  tx: Tx,
  item: ItemRow,
  next: Pick<ItemRow, (typeof TEXT_FIELDS)[number] | "language">,
  editorId: string,
  now: Date,
): Promise<void> {
  const textChanged = TEXT_FIELDS.some(
    (field) => JSON.stringify(next[field]) !== JSON.stringify(item[field]),
  );
  const version = textChanged ? item.version + 1 : item.version;
  await tx
    .update(libraryItems)
    .set({ ...next, version, updatedAt: now })
    .where(eq(libraryItems.id, item.id));
  if (textChanged) {
    await tx.insert(libraryItemVersions).values({
      itemId: item.id,
      version,
      title: next.title,
      summary: next.summary,
      body: next.body,
      tags: next.tags,
      territory: next.territory,
      editedBy: editorId,
      createdAt: now,
    });
  }
}

/** The columns a summary needs, for a select joined to communities and (left) users. */
export const summaryColumns = {
  item: libraryItems,
  community: { id: communities.id, slug: communities.slug, name: communities.name },
  authorName: users.name,
  usefulCount: sql<number>`(SELECT count(*)::int FROM library_useful_marks u WHERE u.item_id = ${libraryItems.id})`,
};

export function toSummary(r: {
  item: ItemRow;
  community: { id: string; slug: string; name: string };
  authorName: string | null;
  usefulCount: number;
}): LibraryItemSummary {
  const { item } = r;
  return {
    id: item.id as LibraryItemId,
    kind: item.kind,
    title: item.title,
    summary: item.summary,
    tags: item.tags,
    territory: item.territory,
    language: item.language,
    status: item.status,
    audience: item.audience,
    community: refOf(r.community),
    author: item.authorId && r.authorName ? { id: item.authorId as UserId, name: r.authorName } : null,
    adaptedFromId: item.adaptedFromId as LibraryItemId | null,
    version: item.version,
    usefulCount: Number(r.usefulCount),
    publishedAt: item.publishedAt?.toISOString() ?? null,
    updatedAt: item.updatedAt.toISOString(),
  };
}

/** Summaries of the given items (already filtered for visibility), in the order of `ids`. */
export async function summariesOf(db: Db, ids: string[]): Promise<LibraryItemSummary[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select(summaryColumns)
    .from(libraryItems)
    .innerJoin(communities, eq(communities.id, libraryItems.communityId))
    .leftJoin(users, eq(users.id, libraryItems.authorId))
    .where(inArray(libraryItems.id, ids));
  const byId = new Map(rows.map((r) => [r.item.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toSummary(r)] : [];
  });
}

async function relatedWhere(db: Db, viewerId: string | null, where: SQL): Promise<RelatedItem[]> {
  const rows = await db
    .select({
      id: libraryItems.id,
      title: libraryItems.title,
      status: libraryItems.status,
      community: { id: communities.id, slug: communities.slug, name: communities.name },
    })
    .from(libraryItems)
    .innerJoin(communities, eq(communities.id, libraryItems.communityId))
    .where(and(where, canSeeItem(await viewerOf(db, viewerId))))
    .orderBy(asc(communities.name), asc(libraryItems.createdAt));
  return rows.map((r) => ({
    id: r.id as LibraryItemId,
    title: r.title,
    status: r.status,
    community: refOf(r.community),
  }));
}

interface TreeRow extends Record<string, unknown> {
  id: string;
  parent_id: string;
  depth: number;
  visible: boolean;
}

/**
 * The tree of adaptations below an item (copies, copies of copies, ...), as far as the viewer may
 * see. A copy they may not see is counted, not listed; a visible copy below it is listed under its
 * nearest visible origin (its own page names where it came from, as far as the viewer may see).
 * Bounded: `LIBRARY_LIMITS.adaptationDepthMax` levels, `ADAPTATIONS_READ_MAX` copies read,
 * `LIBRARY_LIMITS.adaptationsShownMax` listed; `truncated` says the tree goes on.
 */
export async function adaptationTree(
  db: Db,
  viewerId: string | null,
  itemId: string,
): Promise<{ nodes: AdaptationNode[]; hidden: number; truncated: boolean }> {
  const viewer: ItemViewer | null = await viewerOf(db, viewerId);
  const depthMax = LIBRARY_LIMITS.adaptationDepthMax;
  // One level more than shown, to know whether the tree goes deeper. "adapted from" is set once,
  // on a new copy, to an item that exists: the links form a tree, so the walk cannot loop.
  const { rows } = await db.execute<TreeRow>(sql`
    WITH RECURSIVE below(id, parent_id, depth) AS (
      SELECT c.id, c.adapted_from_id, 1 FROM library_items c WHERE c.adapted_from_id = ${itemId}
      UNION ALL
      SELECT c.id, c.adapted_from_id, below.depth + 1
        FROM library_items c JOIN below ON c.adapted_from_id = below.id
       WHERE below.depth <= ${depthMax}
    )
    SELECT below.id, below.parent_id, below.depth, ${canSeeItem(viewer)} AS visible
      FROM below JOIN library_items ON library_items.id = below.id
     ORDER BY below.depth, below.id
     LIMIT ${ADAPTATIONS_READ_MAX + 1}`);
  let truncated = rows.length > ADAPTATIONS_READ_MAX;
  const parentOf = new Map<string, string>();
  const depthOf = new Map<string, number>();
  const visible = new Set<string>();
  let hidden = 0;
  // Level by level, so a copy's origin is always read before it.
  for (const row of rows.slice(0, ADAPTATIONS_READ_MAX)) {
    const depth = Number(row.depth);
    if (depth > depthMax || (row.parent_id !== itemId && !parentOf.has(row.parent_id))) {
      truncated = true;
      continue;
    }
    parentOf.set(row.id, row.parent_id);
    depthOf.set(row.id, depth);
    if (row.visible) visible.add(row.id);
    else hidden += 1;
  }
  const shownUnder = (id: string): string => {
    let parent = parentOf.get(id)!;
    while (parent !== itemId && !visible.has(parent)) parent = parentOf.get(parent)!;
    return parent;
  };
  const related = visible.size
    ? await relatedWhere(db, viewerId, inArray(libraryItems.id, [...visible]))
    : [];
  // relatedWhere orders by community name, so each one's children come out in that order.
  const children = new Map<string, RelatedItem[]>();
  for (const node of related) {
    const parent = shownUnder(node.id);
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  const nodes: AdaptationNode[] = [];
  const visit = (parentId: string): void => {
    for (const child of children.get(parentId) ?? []) {
      if (nodes.length >= LIBRARY_LIMITS.adaptationsShownMax) {
        truncated = true;
        return;
      }
      nodes.push({ ...child, parentId: parentId as LibraryItemId, depth: depthOf.get(child.id)! });
      visit(child.id);
    }
  };
  visit(itemId);
  return { nodes, hidden, truncated };
}

/** The item page: the item, its family tree, attachments, comments and what the caller may do. */
export async function itemDetail(
  db: Db,
  viewerId: string | null,
  itemId: string,
): Promise<LibraryItemDetail> {
  const item = await visibleItem(db, viewerId, itemId);
  const [summary] = await summariesOf(db, [item.id]);
  const origins: RelatedItem[] = [];
  let originId = item.adaptedFromId;
  const seen = new Set([item.id]);
  while (originId && origins.length < MAX_ORIGINS && !seen.has(originId)) {
    seen.add(originId);
    const [origin] = await relatedWhere(db, viewerId, eq(libraryItems.id, originId));
    if (!origin) break; // The caller may not see further up; the chain stops there.
    origins.push(origin);
    const [up] = await db
      .select({ adaptedFromId: libraryItems.adaptedFromId })
      .from(libraryItems)
      .where(eq(libraryItems.id, originId));
    originId = up?.adaptedFromId ?? null;
  }
  const [tree, attachments, comments, mine, role] = await Promise.all([
    adaptationTree(db, viewerId, item.id),
    db
      .select()
      .from(libraryAttachments)
      .where(eq(libraryAttachments.itemId, item.id))
      .orderBy(asc(libraryAttachments.createdAt)),
    db
      .select({ comment: libraryComments, authorName: users.name })
      .from(libraryComments)
      .leftJoin(users, eq(users.id, libraryComments.authorId))
      .where(eq(libraryComments.itemId, item.id))
      .orderBy(asc(libraryComments.createdAt), asc(libraryComments.id)),
    viewerId
      ? db
          .select({ userId: libraryUsefulMarks.userId })
          .from(libraryUsefulMarks)
          .where(and(eq(libraryUsefulMarks.itemId, item.id), eq(libraryUsefulMarks.userId, viewerId)))
      : Promise.resolve([]),
    roleIn(db, item.communityId, viewerId ?? undefined),
  ]);
  const editor = isEditor(role);
  const hasDescendants = editor && (await descendantsOf(db, item.communityId)).length > 0;
  return {
    ...summary!,
    body: item.body,
    bodyHtml: renderMarkdown(item.body),
    sourceBoardId: item.sourceBoardId as BoardId | null,
    origins,
    adaptations: tree.nodes,
    hiddenAdaptations: tree.hidden,
    adaptationsTruncated: tree.truncated,
    attachments: attachments.map((a) => ({
      id: a.id as AttachmentId,
      filename: a.filename,
      contentType: a.contentType,
      sizeBytes: a.sizeBytes,
      url: `/api/library/items/${item.id}/attachments/${a.id}`,
    })),
    comments: comments.map(({ comment, authorName }) => ({
      id: comment.id as ItemCommentId,
      author: comment.authorId && authorName ? { id: comment.authorId as UserId, name: authorName } : null,
      body: comment.body,
      createdAt: comment.createdAt.toISOString(),
    })),
    usefulByMe: mine.length > 0,
    canEdit: editor || (role !== null && item.authorId === viewerId),
    canModerateComments: editor,
    canSendDown: hasDescendants && item.status === "published",
  };
}

export async function itemVersions(db: Db, viewerId: string | null, itemId: string): Promise<ItemVersion[]> {
  const item = await visibleItem(db, viewerId, itemId);
  const rows = await db
    .select({ version: libraryItemVersions, editorName: users.name })
    .from(libraryItemVersions)
    .leftJoin(users, eq(users.id, libraryItemVersions.editedBy))
    .where(eq(libraryItemVersions.itemId, item.id))
    .orderBy(desc(libraryItemVersions.version));
  return rows.map(({ version: v, editorName }) => ({
    version: v.version,
    title: v.title,
    summary: v.summary,
    body: v.body,
    tags: v.tags,
    territory: v.territory,
    editedBy: v.editedBy && editorName ? { id: v.editedBy as UserId, name: editorName } : null,
    createdAt: v.createdAt.toISOString(),
  }));
}
