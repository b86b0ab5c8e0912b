// Ranking (B21): most votes first, then the earliest idea, then the smaller id, so every
// server and every client produce the same order from the same data.
import type { IdeaId } from "@convivio/protocol";
import { lookup, valuesOf } from "./records.js";
import type { BoardState, Idea } from "./state.js";
import { tallies } from "./votes.js";

export interface Rankable {
  readonly id: IdeaId;
  readonly createdAt: number;
  readonly votes: number;
}

/** B21 order: votes descending, then createdAt ascending, then id ascending (code-unit order). */
export function compareForRanking(a: Rankable, b: Rankable): number {
  if (a.votes !== b.votes) return b.votes - a.votes;
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A sorted copy in B21 order; the input order never matters. */
export function rankIdeas<T extends Rankable>(items: readonly T[]): T[] {
  return [...items].sort(compareForRanking);
}

/** The ideas that count in results (alive, not hidden) with their vote totals, in B21 order. */
export function rankedIdeas(state: BoardState): { idea: Idea; votes: number }[] {
  const totals = tallies(state);
  const entries = valuesOf(state.ideas)
    .filter((idea) => idea.mergedInto === null && idea.hidden === null)
    .map((idea) => ({ idea, id: idea.id, createdAt: idea.createdAt, votes: lookup(totals, idea.id) ?? 0 }));
  return rankIdeas(entries).map(({ idea, votes }) => ({ idea, votes }));
}
