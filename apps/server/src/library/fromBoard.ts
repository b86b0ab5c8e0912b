// From live work to the library: a facilitator publishes a board's ranked results as a session
// outcome in one action, or turns one idea into a draft item. The results are built for nobody in
// particular (a participant id no one has), so an anonymous idea's author is never named, not even
// when the facilitator wrote it; named authors are shown by name.
import { agendaSessions, boards, eq, events, inArray, users, type Db } from "@convivio/db";
import { resultsFor, toMarkdown, viewFor } from "@convivio/board";
import {
  ErrorCode,
  Permission,
  type BoardResults,
  type ItemAudience,
  type Locale,
  type ParticipantId,
} from "@convivio/protocol";
import type { Actor } from "../auth/actor.js";
import { authorizeEvent } from "../access/permissions.js";
import { HttpError } from "../http/problem.js";
import type { BoardStore } from "../boards/store.js";
import { findCommunity, isEditor, roleIn } from "./communities.js";
import { insertItem } from "./items.js";

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

async function namesOf(db: Db, results: BoardResults): Promise<(id: ParticipantId) => string> {
  const ids = [...new Set(results.overall.flatMap((row) => (row.authorId ? [row.authorId] : [])))];
  const rows = ids.length
    ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))
    : [];
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return (id) => names.get(id) ?? "";
}

export interface PublishOptions {
  communityId?: string | undefined;
  title?: string | undefined;
  audience: ItemAudience;
  language?: Locale | undefined;
  tags: string[];
}

/** Publishes the board's results as a session outcome; returns the new item's id. */
export async function publishBoardResults(
  db: Db,
  store: BoardStore,
  actor: Actor,
  boardId: string,
  options: PublishOptions,
  now: Date,
): Promise<string> {
  const { board, event, sessionTitle, state } = await boardContext(db, store, actor, boardId);
  const outcome = resultsFor(state, { participantId: NOBODY, role: "facilitator" });
  if (!outcome.ok) {
    throw new HttpError(ErrorCode.votesHidden, "Reveal the votes before publishing the results");
  }
  const community = await targetCommunity(db, actor, event.communityId, options.communityId);
  const results = outcome.results;
  const title = options.title ?? `${board.title} — ${sessionTitle ?? event.title}`;
  const context = [
    `**Event:** ${event.title}`,
    ...(sessionTitle ? [`**Session:** ${sessionTitle}`] : []),
    ...(board.tableId ? [`**Table:** ${board.tableId}`] : []),
    `**Ideas ranked:** ${results.overall.length} · **Votes:** ${results.overall.reduce((n, r) => n + r.votes, 0)}`,
  ].join("  \n");
  // One column's table would repeat the overall one; the item's own title replaces the heading.
  const tables = toMarkdown(results.columns.length > 1 ? results : { ...results, columns: [] }, {
    authorName: await namesOf(db, results),
  }).replace(/^# .*\n\n/, "");
  const top = results.overall.slice(0, 3).map((row) => `${row.rank}. ${row.text} (${row.votes})`);
  const item = await db.transaction((tx) =>
    insertItem(
      tx,
      {
        kind: "session_outcome",
        title: title.slice(0, 200),
        summary: top.join(" · ").slice(0, 1_000),
        body: `${context}\n\n${tables}`,
        tags: options.tags,
        territory: null,
        language: options.language ?? (event.languages[0] === "en" ? "en" : "it"),
        communityId: community.id,
        status: "published",
        audience: options.audience,
        authorId: actor.user.id,
        adaptedFromId: null,
        sourceBoardId: board.id,
      },
      now,
    ),
  );
  return item.id;
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
  const source = [event.title, sessionTitle, board.title].filter(Boolean).join(" · ");
  const item = await db.transaction((tx) =>
    insertItem(
      tx,
      {
        kind: options.kind,
        title: idea.text.slice(0, 200),
        summary: `From the board "${board.title}"`.slice(0, 1_000),
        body: `${idea.details ?? ""}\n\n_${source}_`.trim(),
        tags: [],
        territory: null,
        language: event.languages[0] === "en" ? "en" : "it",
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
