// From live work to the library: a facilitator publishes a board's ranked results as a session
// outcome in one action, or turns one idea into a draft item. The results are built for nobody in
// particular (a participant id no one has), so an anonymous idea's author is never named, not even
// when the facilitator wrote it; named authors are shown by name. After a breakout roll-up each
// plenary idea names the table it came from (breakout_rollups) and that table's author.
import {
  agendaSessions,
  and,
  asc,
  boards,
  breakoutRollups,
  breakoutTables,
  eq,
  events,
  inArray,
  isNull,
  libraryItems,
  ne,
  sql,
  users,
  type Db,
} from "@convivio/db";
import { markdownCell, resultsFor, viewFor } from "@convivio/board";
import {
  ErrorCode,
  Permission,
  type IdeaId,
  type ItemAudience,
  type Locale,
  type ParticipantId,
} from "@convivio/protocol";
import type { Actor } from "../auth/actor.js";
import { authorizeEvent } from "../access/permissions.js";
import { HttpError } from "../http/problem.js";
import type { BoardStore } from "../boards/store.js";
import { assertAudienceFits, findCommunity, isEditor, roleIn } from "./communities.js";
import { insertItem, reviseItem } from "./items.js";
import { outcomeBody, outcomeSummary, wordsFor, type TableName } from "./outcomeText.js";
import { removedBySanitizer } from "./scriptGuard.js";

/** A participant id no person has: results built for it show no anonymous author. */
const NOBODY = "00000000-0000-4000-8000-000000000000" as ParticipantId;

async function boardContext(db: Db, store: BoardStore, actor: Actor, boardId: string) {
  const [found] = await db
    .select({ board: boards, event: events, sessionTitle: agendaSessions.title })
    .from(boards)
    .innerJoin(events, eq(events.id, boards.eventId))
    .leftJoin(agendaSessions, eq(agendaSessions.id, boards.sessionId))
    .where(eq(boards.id, boardId));
  if (!found) throw new HttpError(ErrorCode.notFound);
  await authorizeEvent(db, actor, found.event, Permission.facilitateSession);
  const loaded = await store.load(boardId);
  if (!loaded) throw new HttpError(ErrorCode.notFound);
  return { ...found, state: loaded.state };
}

/**
 * Where an item from this board goes: the named community (the caller must be one of its editors),
 * or else the event's own community (facilitating the event is enough there).
 */
async function targetCommunity(
  db: Db,
  actor: Actor,
  eventCommunityId: string | null,
  named: string | undefined,
) {
  if (named && named !== eventCommunityId) {
    const community = await findCommunity(db, named);
    if (!isEditor(await roleIn(db, community.id, actor.user.id))) {
      throw new HttpError(ErrorCode.forbidden, "Only editors may publish to that community");
    }
    return community;
  }
  if (!eventCommunityId) {
    throw new HttpError(ErrorCode.validationFailed, "This event belongs to no community: choose one", [
      { path: "communityId", message: "required" },
    ]);
  }
  return findCommunity(db, eventCommunityId);
}

/** Names of the given people, "" for anyone unknown. */
async function namesOf(db: Db, ids: string[]): Promise<(id: string) => string> {
  const unique = [...new Set(ids)];
  const rows = unique.length
    ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, unique))
    : [];
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return (id) => names.get(id) ?? "";
}

/** A rolled-up idea's origin: its breakout table, and its author as the table's board shows them. */
interface Origin extends TableName {
  authorId: string | null;
}

/**
 * Where each idea of a plenary board came from, when a roll-up copied it there. The copy was
 * proposed by the facilitator, so its author is read from the table's board, where an anonymous
 * idea stays anonymous.
 */
async function originsOf(db: Db, store: BoardStore, boardId: string): Promise<Map<string, Origin>> {
  const rows = await db
    .select({
      ideaId: breakoutRollups.plenaryIdeaId,
      sourceIdeaId: breakoutRollups.sourceIdeaId,
      number: breakoutTables.number,
      topic: breakoutTables.topic,
      tableBoardId: breakoutTables.boardId,
    })
    .from(breakoutRollups)
    .innerJoin(breakoutTables, eq(breakoutTables.id, breakoutRollups.tableId))
    .where(eq(breakoutRollups.plenaryBoardId, boardId));
  const states = new Map<string, Awaited<ReturnType<BoardStore["load"]>>>();
  const origins = new Map<string, Origin>();
  for (const row of rows) {
    let authorId: string | null = null;
    if (row.tableBoardId) {
      if (!states.has(row.tableBoardId)) states.set(row.tableBoardId, await store.load(row.tableBoardId));
      const idea = states.get(row.tableBoardId)?.state.ideas[row.sourceIdeaId as IdeaId];
      authorId = idea && !idea.anonymous ? idea.authorId : null;
    }
    origins.set(row.ideaId, { number: row.number, topic: row.topic, authorId });
  }
  return origins;
}

/** The board's own breakout table, when it is a table's board. */
async function boardTableOf(db: Db, tableId: string | null): Promise<TableName | null> {
  if (!tableId) return null;
  const [row] = await db
    .select({ number: breakoutTables.number, topic: breakoutTables.topic })
    .from(breakoutTables)
    .where(sql`${breakoutTables.id}::text = ${tableId}`);
  return row ?? null;
}

const eventLanguage = (languages: string[]): Locale => (languages[0] === "en" ? "en" : "it");

export interface PublishOptions {
  communityId?: string | undefined;
  title?: string | undefined;
  audience: ItemAudience;
  language?: Locale | undefined;
  tags: string[];
}

/**
 * Publishes the board's results as a session outcome in the item's language (the one asked for,
 * or the event's). Publishing the same board to the same community again updates that outcome as
 * a new version (a facilitator publishes again after more votes came in), keeping its status and
 * audience, which are its community's editors' to decide once it is out; the board's row is
 * locked meanwhile, so two clicks make one outcome. Only the board's own outcome is updated: a copy
 * another community adopted (it keeps the board as its source) is that community's adaptation and
 * is never touched, and an outcome its editors withdrew stays withdrawn as it was, so publishing
 * again makes a new outcome, published, which later publishing updates. Returns the item's id and
 * whether it is new.
 */
export async function publishBoardResults(
  db: Db,
  store: BoardStore,
  actor: Actor,
  boardId: string,
  options: PublishOptions,
  now: Date,
): Promise<{ id: string; created: boolean }> {
  const { board, event, sessionTitle, state } = await boardContext(db, store, actor, boardId);
  const outcome = resultsFor(state, { participantId: NOBODY, role: "facilitator" });
  if (!outcome.ok) {
    throw new HttpError(ErrorCode.votesHidden, "Reveal the votes before publishing the results");
  }
  const community = await targetCommunity(db, actor, event.communityId, options.communityId);
  const results = outcome.results;
  const language = options.language ?? eventLanguage(event.languages);
  const origins = await originsOf(db, store, board.id);
  const names = await namesOf(db, [
    ...results.overall.flatMap((row) => (row.authorId ? [row.authorId] : [])),
    ...[...origins.values()].flatMap((o) => (o.authorId ? [o.authorId] : [])),
  ]);
  const body = outcomeBody(
    results,
    { eventTitle: event.title, sessionTitle, boardTable: await boardTableOf(db, board.tableId) },
    language,
    {
      tableOf: (ideaId) => origins.get(ideaId),
      // Shown only when the board shows it; a rolled-up copy names its table's author instead.
      authorOf: (row) => {
        if (!row.authorId) return "";
        const origin = origins.get(row.ideaId);
        if (!origin) return names(row.authorId);
        return origin.authorId ? names(origin.authorId) : "";
      },
    },
  );
  const summary = outcomeSummary(results);
  return db.transaction(async (tx) => {
    await tx.select({ id: boards.id }).from(boards).where(eq(boards.id, board.id)).for("update");
    const [existing] = await tx
      .select()
      .from(libraryItems)
      .where(
        and(
          eq(libraryItems.sourceBoardId, board.id),
          eq(libraryItems.communityId, community.id),
          eq(libraryItems.kind, "session_outcome"),
          // An adopted copy keeps the board as its source but is the adopting community's own
          // adaptation, never the outcome to revise; a withdrawn outcome stays as it was withdrawn.
          isNull(libraryItems.adaptedFromId),
          ne(libraryItems.status, "withdrawn"),
        ),
      )
      .orderBy(asc(libraryItems.createdAt), asc(libraryItems.id))
      .limit(1)
      .for("update");
    if (existing) {
      await reviseItem(
        tx,
        existing,
        {
          title: options.title ?? existing.title,
          summary,
          body,
          tags: options.tags.length ? options.tags : existing.tags,
          territory: existing.territory,
          language,
        },
        actor.user.id,
        now,
      );
      return { id: existing.id, created: false };
    }
    assertAudienceFits(community, options.audience);
    const title = options.title ?? `${board.title} — ${sessionTitle ?? event.title}`;
    const item = await insertItem(
      tx,
      {
        kind: "session_outcome",
        title: title.slice(0, 200),
        summary,
        body,
        tags: options.tags,
        territory: null,
        language,
        communityId: community.id,
        status: "published",
        audience: options.audience,
        authorId: actor.user.id,
        adaptedFromId: null,
        sourceBoardId: board.id,
      },
      now,
    );
    return { id: item.id, created: true };
  });
}

/** Text a participant typed, kept as Markdown unless the page's sanitizer would cut it: then shown as typed, in a code block. */
function asMarkdown(text: string): string {
  if (removedBySanitizer(text).length === 0) return text;
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** Turns one idea (as the facilitator sees it) into a draft item; returns the new item's id. */
export async function promoteIdea(
  db: Db,
  store: BoardStore,
  actor: Actor,
  boardId: string,
  ideaId: string,
  options: { communityId?: string | undefined; kind: "act" | "practice" | "resource" },
  now: Date,
): Promise<string> {
  const { board, event, sessionTitle, state } = await boardContext(db, store, actor, boardId);
  const view = viewFor(state, { participantId: NOBODY, role: "facilitator" });
  const idea = (view.ideas as Record<string, { text: string; details: string | null } | undefined>)[ideaId];
  if (!idea) throw new HttpError(ErrorCode.notFound, "No such idea on this board");
  const community = await targetCommunity(db, actor, event.communityId, options.communityId);
  const language = eventLanguage(event.languages);
  const source = [event.title, sessionTitle, board.title].filter(Boolean).join(" · ");
  const item = await db.transaction((tx) =>
    insertItem(
      tx,
      {
        kind: options.kind,
        title: idea.text.slice(0, 200),
        summary: wordsFor(language).fromBoard(board.title).slice(0, 1_000),
        body: `${idea.details ? asMarkdown(idea.details) : ""}\n\n_${markdownCell(source)}_`.trim(),
        tags: [],
        territory: null,
        language,
        communityId: community.id,
        status: "draft",
        audience: "community",
        authorId: actor.user.id,
        adaptedFromId: null,
        sourceBoardId: board.id,
      },
      now,
    ),
  );
  return item.id;
}
