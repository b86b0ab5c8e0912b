// REST bodies of the live board (issue 4): create and list boards, a caller's snapshot, results
// and exports. The live side (socket events) is in board.ts and PROTOCOL.md.
import { z } from "zod";
import {
  BoardId,
  BoardPhase,
  BoardResults,
  BoardRole,
  BoardSettings,
  BoardView,
  ParticipantId,
} from "./board.js";
import { EventId, SessionId } from "./ids.js";

export const BoardTitle = z.string().trim().min(1).max(120);

/** A facilitator creates a board for one agenda session; settings get their defaults (SPEC B2). */
export const CreateBoardBody = z.strictObject({
  title: BoardTitle,
  settings: BoardSettings.optional(),
});
export type CreateBoardBody = z.input<typeof CreateBoardBody>;

/** What a listing shows of a board: no ideas, no counts. */
export const BoardSummary = z.object({
  id: BoardId,
  eventId: EventId,
  sessionId: SessionId.nullable(),
  tableId: z.string().nullable(),
  title: z.string(),
  phase: BoardPhase,
  seq: z.number().int().nonnegative(),
  createdAt: z.string(),
});
export type BoardSummary = z.infer<typeof BoardSummary>;

export const BoardResponse = z.object({ board: BoardSummary });
export type BoardResponse = z.infer<typeof BoardResponse>;

export const BoardListResponse = z.object({ boards: z.array(BoardSummary) });
export type BoardListResponse = z.infer<typeof BoardListResponse>;

/** The board as the caller may see it (the same projection a socket snapshot carries), with their role. */
export const BoardSnapshotResponse = z.object({
  board: BoardSummary,
  role: BoardRole,
  view: BoardView,
});
export type BoardSnapshotResponse = z.infer<typeof BoardSnapshotResponse>;

/** A person named on a board: a participant id the caller's view shows as an author, with their name. */
export const BoardPerson = z.object({ id: ParticipantId, name: z.string() });
export type BoardPerson = z.infer<typeof BoardPerson>;

/**
 * The names of the authors in the caller's own view (SPEC B25): an anonymous author is null in
 * everyone else's view, so nobody but that author is ever given their name here.
 */
export const BoardPeopleResponse = z.object({ people: z.array(BoardPerson) });
export type BoardPeopleResponse = z.infer<typeof BoardPeopleResponse>;

export const BoardResultsResponse = z.object({ results: BoardResults });
export type BoardResultsResponse = z.infer<typeof BoardResultsResponse>;

export const BoardParams = z.strictObject({ boardId: BoardId });
