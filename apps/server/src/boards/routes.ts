// The boards' REST side: create and list boards, a caller's snapshot, results and exports. Every
// answer is a projection for the caller (SPEC B23-B26): no counts while votes are hidden (results
// and exports answer `votes_hidden`), no anonymous author but the caller's own, no hidden idea for
// participants; the people route names only the authors of the caller's own view. Board events
// never leave the server. A breakout table's board answers only those who may be on it (access.ts:
// the people at that table, facilitators).
import { randomUUID } from "node:crypto";
import type { Response } from "express";
import { agendaSessions, and, asc, boards, eq, events, inArray, users, type Db } from "@convivio/db";
import { resultsFor, toCsv, toJson, toMarkdown, viewFor, type BoardState } from "@convivio/board";
import {
  DEFAULT_BOARD_SETTINGS,
  ErrorCode,
  Permission,
  type BoardId,
  type BoardResults,
  type BoardRole,
  type BoardSummary,
  type BoardView,
  type EventId,
  type ParticipantId,
  type SessionId,
} from "@convivio/protocol";
import type { Actor } from "../auth/actor.js";
import type { Clock } from "../auth/clock.js";
import { authorizeEvent, findEventBySlug, rolesOf, type EventRow } from "../access/permissions.js";
import { bindRoutes } from "../http/routes.js";
import { HttpError } from "../http/problem.js";
import { boardAccessOf, boardRoleIn, participantOf } from "./access.js";
import type { BoardStore } from "./store.js";

export interface BoardRouteDeps {
  db: Db;
  store: BoardStore;
  clock: Clock;
}

type BoardRow = typeof boards.$inferSelect;

function summaryOf(row: BoardRow, state?: BoardState): BoardSummary {
  return {
    id: row.id as BoardId,
    eventId: row.eventId as EventId,
    sessionId: row.sessionId as SessionId | null,
    tableId: row.tableId,
    title: row.title,
    phase: state?.phase ?? row.phase,
    seq: state?.seq ?? row.seq,
    createdAt: row.createdAt.toISOString(),
  };
}

function download(res: Response, type: string, filename: string, body: string): void {
  res.status(200).type(type).attachment(filename).send(body);
}

export function boardRoutes({ db, store, clock }: BoardRouteDeps) {
  /** The board with the caller's role and its latest state; 404 when the caller may not know it exists. */
  async function boardFor(actor: Actor, boardId: string) {
    const [found] = await db
      .select({ board: boards, visibility: events.visibility, roles: rolesOf(boards.eventId, actor.user.id) })
      .from(boards)
      .innerJoin(events, eq(events.id, boards.eventId))
      .where(eq(boards.id, boardId));
    if (!found) throw new HttpError(ErrorCode.notFound);
    const event = { id: found.board.eventId, visibility: found.visibility };
    const access = await boardAccessOf(
      db,
      { eventId: event.id, eventVisibility: event.visibility, tableId: found.board.tableId },
      actor.user.id,
      await boardRoleIn(db, event, actor.user.id, found.roles),
    );
    if (!access) throw new HttpError(found.visibility === "draft" ? ErrorCode.notFound : ErrorCode.forbidden);
    // Every route here only reads, so read-only access (a closed table's board) is enough.
    const role = access.role;
    const loaded = await store.load(boardId);
    if (!loaded) throw new HttpError(ErrorCode.notFound);
    return { row: found.board, role, state: loaded.state };
  }

  async function resultsOf(actor: Actor, boardId: string) {
    const { row, role, state } = await boardFor(actor, boardId);
    const outcome = resultsFor(state, { participantId: participantOf(actor.user), role });
    if (!outcome.ok) {
      throw new HttpError(ErrorCode.votesHidden, "Vote counts are hidden until the facilitators reveal them");
    }
    return { row, results: outcome.results };
  }

  /** Names of the authors the results may show (anonymous ones are already null in them). */
  async function authorNames(results: BoardResults): Promise<(id: ParticipantId) => string> {
    const ids = [...new Set(results.overall.flatMap((row) => (row.authorId ? [row.authorId] : [])))];
    const rows = ids.length
      ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))
      : [];
    const names = new Map(rows.map((r) => [r.id, r.name]));
    return (id) => names.get(id) ?? id;
  }

  /**
   * The people named in one viewer's view. Reading the ids from the projection (not the state)
   * is what keeps anonymous authors out: their ids are already null for everyone but themselves.
   */
  async function peopleIn(view: BoardView) {
    const ids = new Set<string>();
    for (const idea of Object.values(view.ideas)) if (idea.authorId) ids.add(idea.authorId);
    for (const comment of Object.values(view.comments)) if (comment.authorId) ids.add(comment.authorId);
    if (ids.size === 0) return [];
    const rows = await db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, [...ids]))
      .orderBy(asc(users.id));
    return rows.map((row) => ({ id: row.id as ParticipantId, name: row.name }));
  }

  async function listFor(actor: Actor, event: EventRow, sessionId: string | null) {
    await authorizeEvent(db, actor, event, Permission.viewEvent);
    if (!(await boardRoleIn(db, event, actor.user.id))) throw new HttpError(ErrorCode.forbidden);
    const rows = await db
      .select()
      .from(boards)
      .where(
        sessionId === null
          ? eq(boards.eventId, event.id)
          : and(eq(boards.eventId, event.id), eq(boards.sessionId, sessionId)),
      )
      .orderBy(asc(boards.createdAt), asc(boards.id));
    return { status: 200, body: { boards: rows.map((row) => summaryOf(row)) } };
  }

  return bindRoutes({
    createBoard: async ({ actor, params, body }) => {
      const event = await findEventBySlug(db, params.slug);
      await authorizeEvent(db, actor, event, Permission.facilitateSession);
      const [session] = await db
        .select({ id: agendaSessions.id })
        .from(agendaSessions)
        .where(and(eq(agendaSessions.id, params.sessionId), eq(agendaSessions.eventId, event.id)));
      if (!session) throw new HttpError(ErrorCode.notFound, "No such session in this event");
      const row = await store.create({
        id: randomUUID() as BoardId,
        eventId: event.id,
        sessionId: session.id,
        title: body.title,
        settings: body.settings ?? DEFAULT_BOARD_SETTINGS,
        createdBy: actor.user.id,
        now: clock.now().getTime(),
      });
      return { status: 201, body: { board: summaryOf(row) } };
    },
    listSessionBoards: async ({ actor, params }) =>
      listFor(actor, await findEventBySlug(db, params.slug), params.sessionId),
    listEventBoards: async ({ actor, params }) =>
      listFor(actor, await findEventBySlug(db, params.slug), null),
    getBoard: async ({ actor, params }) => {
      const { row, role, state } = await boardFor(actor, params.boardId);
      const view = viewFor(state, { participantId: participantOf(actor.user), role });
      return { status: 200, body: { board: summaryOf(row, state), role: role satisfies BoardRole, view } };
    },
    getBoardPeople: async ({ actor, params }) => {
      const { role, state } = await boardFor(actor, params.boardId);
      const view = viewFor(state, { participantId: participantOf(actor.user), role });
      return { status: 200, body: { people: await peopleIn(view) } };
    },
    getBoardResults: async ({ actor, params }) => {
      const { results } = await resultsOf(actor, params.boardId);
      return { status: 200, body: { results } };
    },
    exportBoardCsv: async ({ actor, params, res }) => {
      const { results } = await resultsOf(actor, params.boardId);
      const csv = toCsv(results, { authorName: await authorNames(results) });
      download(res, "text/csv; charset=utf-8", `board-${params.boardId}.csv`, csv);
    },
    exportBoardJson: async ({ actor, params, res }) => {
      const { results } = await resultsOf(actor, params.boardId);
      const json = toJson(results, { authorName: await authorNames(results) });
      download(res, "application/json; charset=utf-8", `board-${params.boardId}.json`, JSON.stringify(json));
    },
    exportBoardMarkdown: async ({ actor, params, res }) => {
      const { row, results } = await resultsOf(actor, params.boardId);
      const markdown = toMarkdown(results, { title: row.title, authorName: await authorNames(results) });
      download(res, "text/markdown; charset=utf-8", `board-${params.boardId}.md`, markdown);
    },
  });
}
