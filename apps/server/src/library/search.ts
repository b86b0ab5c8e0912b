// Library search: PostgreSQL full-text search over each item's stored vector (stemmed in the
// item's own language, GIN-indexed), the query read with both the Italian and the English
// dictionary so "mozioni" finds "mozione" and "motions" finds "motion". Filters, sort by relevance
// or date, pages. Visibility comes from `canSeeItem`, like every other listing.
import { and, communities, eq, gte, libraryItems, lt, sql, users, type Db, type SQL } from "@convivio/db";
import type { LibrarySearchHit, LibrarySearchQuery, LibrarySearchResponse } from "@convivio/protocol";
import { summaryColumns, toSummary } from "./items.js";
import { canSeeItem, viewerOf } from "./visibility.js";

type Query = {
  q?: string | undefined;
  kind?: LibrarySearchQuery["kind"];
  tag?: string | undefined;
  territory?: string | undefined;
  community?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  mine?: "true" | "false" | undefined;
  sort: "relevance" | "date";
  page: number;
  pageSize: number;
};

const DAY_MS = 86_400_000;
/** When an item counts as dated: published, or last changed for an unpublished one. */
const itemDate = sql`coalesce(${libraryItems.publishedAt}, ${libraryItems.updatedAt})`;

/**
 * The user's words read in each item's own language: an Italian item is matched with the words
 * stemmed (and stop words dropped) the Italian way, an English one the English way.
 */
function tsQuery(q: string): { it: SQL; en: SQL; forRow: SQL } {
  const it = sql`websearch_to_tsquery('italian', ${q})`;
  const en = sql`websearch_to_tsquery('english', ${q})`;
  return { it, en, forRow: sql`(CASE ${libraryItems.language} WHEN 'en' THEN ${en} ELSE ${it} END)` };
}

export async function searchItems(
  db: Db,
  viewerId: string | null,
  query: Query,
): Promise<LibrarySearchResponse> {
  const q = query.q?.trim() ?? "";
  const conditions: SQL[] = [canSeeItem(await viewerOf(db, viewerId))];
  const tsq = q ? tsQuery(q) : undefined;
  // One branch per language, so each can use the GIN index (a bitmap OR). Words that are all stop
  // words in a language ("il", "the") make an empty query there: it filters nothing. numnode() of a
  // constant is folded when the statement is planned, so the index still applies.
  if (tsq) {
    conditions.push(sql`(
      (${libraryItems.language} = 'en' AND (numnode(${tsq.en}) = 0 OR ${libraryItems.search} @@ ${tsq.en}))
      OR (${libraryItems.language} <> 'en' AND (numnode(${tsq.it}) = 0 OR ${libraryItems.search} @@ ${tsq.it})))`);
  }
  if (query.kind) conditions.push(eq(libraryItems.kind, query.kind));
  if (query.tag) conditions.push(sql`${libraryItems.tags} @> ${JSON.stringify([query.tag])}::jsonb`);
  if (query.territory) conditions.push(sql`lower(${libraryItems.territory}) = lower(${query.territory})`);
  if (query.community) {
    conditions.push(
      sql`${libraryItems.communityId} = (SELECT id FROM ${communities} WHERE ${communities.slug} = ${query.community})`,
    );
  }
  if (query.from) conditions.push(gte(itemDate, new Date(`${query.from}T00:00:00Z`)));
  if (query.to) conditions.push(lt(itemDate, new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY_MS)));
  if (query.mine === "true" && viewerId) {
    conditions.push(
      sql`(${libraryItems.authorId} = ${viewerId} OR ${libraryItems.communityId} IN (SELECT community_id FROM community_members WHERE user_id = ${viewerId}))`,
    );
  }
  const rank = tsq ? sql`ts_rank(${libraryItems.search}, ${tsq.forRow})` : sql`0::real`;
  const offset = (query.page - 1) * query.pageSize;
  // One statement: the page (ranked, counted) in a CTE, then only its rows joined for the summaries
  // and highlighted (ts_headline re-parses the text, so it runs on the page's rows only).
  const page = db.$with("page").as(
    db
      .select({
        pageId: sql<string>`${libraryItems.id}`.as("page_id"),
        rank: sql<number>`${rank}`.as("rank"),
        dated: sql<Date>`${itemDate}`.as("dated"),
        total: sql<number>`count(*) OVER ()`.as("total"),
      })
      .from(libraryItems)
      .where(and(...conditions))
      .orderBy(
        ...(query.sort === "relevance" && tsq
          ? [sql`${rank} DESC`, sql`${itemDate} DESC`, libraryItems.id]
          : [sql`${itemDate} DESC`, libraryItems.id]),
      )
      .limit(query.pageSize)
      .offset(offset),
  );
  const snippet = tsq
    ? sql<string | null>`ts_headline(
        CASE ${libraryItems.language} WHEN 'en' THEN 'english'::regconfig ELSE 'italian'::regconfig END,
        ${libraryItems.summary} || ' ' || ${libraryItems.body}, ${tsq.forRow},
        'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')`
    : sql<string | null>`NULL`;
  const rows = await db
    .with(page)
    .select({ ...summaryColumns, total: page.total, snippet })
    .from(page)
    .innerJoin(libraryItems, eq(libraryItems.id, page.pageId))
    .innerJoin(communities, eq(communities.id, libraryItems.communityId))
    .leftJoin(users, eq(users.id, libraryItems.authorId))
    .orderBy(
      ...(query.sort === "relevance" && tsq
        ? [sql`${page.rank} DESC`, sql`${page.dated} DESC`, page.pageId]
        : [sql`${page.dated} DESC`, page.pageId]),
    );
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (rows.length === 0 && offset > 0) {
    // Past the last page: still say how many there are.
    const [row] = await db
      .select({ n: sql<number>`count(*)` })
      .from(libraryItems)
      .where(and(...conditions));
    total = Number(row?.n ?? 0);
  }
  const items: LibrarySearchHit[] = rows.map((row) => ({
    ...toSummary(row),
    snippet: row.snippet === null ? null : safeSnippet(row.snippet),
  }));
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** ts_headline returns the stored text as it is: escape it all, then restore only our own marks. */
export function safeSnippet(snippet: string): string {
  const escaped = snippet
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
  return escaped.replaceAll("&lt;mark&gt;", "<mark>").replaceAll("&lt;/mark&gt;", "</mark>").trim();
}
