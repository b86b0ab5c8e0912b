// Results (B22): the ranked list, overall and per column, once votes may be seen (B23).
import { BoardErrorCode } from "@convivio/protocol";
import type { BoardResultRow, BoardResults } from "@convivio/protocol";
import { rankedIdeas } from "./ranking.js";
import { lookup } from "./records.js";
import type { BoardState, Viewer } from "./state.js";
import { areVotesVisible } from "./votes.js";

/**
 * The results as `viewer` may see them: refused while votes are hidden; hidden and merged ideas
 * left out; an anonymous idea's author only for that author (B25), so exports built from it are safe.
 */
export function resultsFor(
  state: BoardState,
  viewer: Viewer,
): { ok: true; results: BoardResults } | { ok: false; code: typeof BoardErrorCode.votesHidden } {
  if (!areVotesVisible(state)) return { ok: false, code: BoardErrorCode.votesHidden };
  const columnRanks = new Map<string, number>();
  const overall: BoardResultRow[] = rankedIdeas(state).map(({ idea, votes }, index) => {
    const columnRank = (columnRanks.get(idea.columnId) ?? 0) + 1;
    columnRanks.set(idea.columnId, columnRank);
    const column = state.settings.columns.find((c) => c.id === idea.columnId);
    const group = idea.groupId === null ? undefined : lookup(state.groups, idea.groupId);
    const authorVisible = !idea.anonymous || idea.authorId === viewer.participantId;
    return {
      rank: index + 1,
      columnRank,
      ideaId: idea.id,
      columnId: idea.columnId,
      columnTitle: column?.title ?? idea.columnId,
      text: idea.text,
      details: idea.details,
      groupId: group?.id ?? null,
      groupTitle: group?.title ?? null,
      votes,
      authorId: authorVisible ? idea.authorId : null,
      mergedCount: idea.mergedFrom.length,
    };
  });
  const columns = state.settings.columns.map((column) => ({
    columnId: column.id,
    title: column.title,
    rows: overall.filter((row) => row.columnId === column.id),
  }));
  return { ok: true, results: { boardId: state.id, phase: state.phase, seq: state.seq, overall, columns } };
}
