// The library's visibility rules, in one place: every query that returns items (a page, a listing,
// search, the family tree, comments, attachments) filters with `canSeeItem`. A draft or a withdrawn
// item is seen only by its author and the editors and admins of its community; a published item by
// everyone (audience "everyone"), by the members of its community, by the members of its sibling
// communities (audience "siblings": the same parent), by the members of every community it was
// sent down to, and — when it is a published adaptation — by the editors of the community whose
// item it adapts (the sender sees who adapted its act, whatever audience the copy has; a copy still
// being adapted stays with its own team). Anonymous callers see only published items for everyone.
//
// The caller's memberships are read first (`viewerOf`) and passed into the condition as arrays,
// so the search query carries no per-row subquery but the delivery lookup (indexed).
import { libraryItems, sql, type Db, type SQL } from "@convivio/db";

/** Who is looking, with the communities that decide what they see. */
export interface ItemViewer {
  id: string;
  /** Communities the viewer belongs to, in any role. */
  memberOf: string[];
  /** Communities where the viewer is an editor or admin. */
  editorOf: string[];
  /** Communities sharing a parent with one of the viewer's communities (their siblings, and those). */
  siblingsOf: string[];
}

/** Reads the viewer's memberships and their communities' siblings (one round trip). */
export async function viewerOf(db: Db, userId: string | null | undefined): Promise<ItemViewer | null> {
  if (!userId) return null;
  const { rows } = await db.execute<{ id: string; role: string | null }>(sql`
    SELECT m.community_id AS id, m.role FROM community_members m WHERE m.user_id = ${userId}
    UNION ALL
    SELECT s.id, NULL FROM communities s WHERE s.parent_id IN (
      SELECT c.parent_id FROM community_members m JOIN communities c ON c.id = m.community_id
       WHERE m.user_id = ${userId})`);
  const memberships = rows.filter((r) => r.role !== null);
  return {
    id: userId,
    memberOf: memberships.map((m) => m.id),
    editorOf: memberships.filter((m) => m.role === "editor" || m.role === "admin").map((m) => m.id),
    siblingsOf: [...new Set(rows.filter((r) => r.role === null).map((r) => r.id))],
  };
}

/** A uuid[] literal as one bound parameter (ids come from the database, so they are uuids). */
const uuidArray = (ids: string[]): SQL => sql`${`{${ids.join(",")}}`}::uuid[]`;

/** The SQL condition "the viewer may see this row of library_items" (the table unaliased). */
export function canSeeItem(viewer: ItemViewer | null): SQL {
  const published = sql`${libraryItems.status} = 'published'`;
  const forEveryone = sql`${libraryItems.audience} = 'everyone'`;
  if (viewer === null) return sql`(${published} AND ${forEveryone})`;
  const reach: SQL[] = [forEveryone];
  if (viewer.memberOf.length) {
    const mine = uuidArray(viewer.memberOf);
    reach.push(sql`${libraryItems.communityId} = ANY(${mine})`);
    if (viewer.siblingsOf.length) {
      reach.push(
        sql`(${libraryItems.audience} = 'siblings' AND ${libraryItems.communityId} = ANY(${uuidArray(viewer.siblingsOf)}))`,
      );
    }
    reach.push(
      sql`${libraryItems.id} IN (SELECT d.item_id FROM library_deliveries d WHERE d.community_id = ANY(${mine}))`,
    );
    if (viewer.editorOf.length) {
      reach.push(
        sql`${libraryItems.adaptedFromId} IN (SELECT o.id FROM library_items o WHERE o.community_id = ANY(${uuidArray(viewer.editorOf)}))`,
      );
    }
  }
  const team: SQL[] = [sql`${libraryItems.authorId} = ${viewer.id}`];
  if (viewer.editorOf.length)
    team.push(sql`${libraryItems.communityId} = ANY(${uuidArray(viewer.editorOf)})`);
  return sql`((${published} AND (${sql.join(reach, sql` OR `)})) OR ${sql.join(team, sql` OR `)})`;
}
