// Dot voting: a budget per participant, a cap per idea, retraction, and who may see counts.
import { BoardErrorCode } from "@convivio/protocol";
import type { IdeaId, ParticipantId } from "@convivio/protocol";
import type { CommandOf } from "./commands.js";
import { entriesOf, lookup, valuesOf, withEntry, withoutEntry } from "./records.js";
import type { BoardState, VoteLedger } from "./state.js";
import { emit, findIdea, refuse } from "./verdict.js";
import type { Env, Verdict } from "./verdict.js";

/** Whether vote counts may leave the server (B23): always when not hidden, else from reveal on. */
export function areVotesVisible(state: BoardState): boolean {
  return !state.settings.hideVotesUntilReveal || state.phase === "reveal" || state.phase === "closed";
}

/** One participant's votes per idea. */
export function votesOf(state: BoardState, participantId: ParticipantId): Readonly<Record<IdeaId, number>> {
  return lookup(state.votes, participantId) ?? {};
}

/** Votes a participant has placed in total. */
export function spentBy(state: BoardState, participantId: ParticipantId): number {
  return valuesOf(votesOf(state, participantId)).reduce((sum, n) => sum + n, 0);
}

/** Votes a participant may still place (B19). */
export function remainingBudget(state: BoardState, participantId: ParticipantId): number {
  return Math.max(0, state.settings.voteBudget - spentBy(state, participantId));
}

/** Total votes per idea, with ideas at zero left out. Server-side truth: never send it while hidden. */
export function tallies(state: BoardState): Record<IdeaId, number> {
  const totals = new Map<IdeaId, number>();
  for (const ledger of valuesOf(state.votes)) {
    for (const [ideaId, count] of entriesOf(ledger)) totals.set(ideaId, (totals.get(ideaId) ?? 0) + count);
  }
  return Object.fromEntries(totals) as Record<IdeaId, number>;
}

/** The ledger with one participant's count on one idea moved by `delta`; zero entries are dropped. */
export function adjustVotes(
  votes: VoteLedger,
  participantId: ParticipantId,
  ideaId: IdeaId,
  delta: number,
): VoteLedger {
  const ledger = lookup(votes, participantId) ?? {};
  const count = (lookup(ledger, ideaId) ?? 0) + delta;
  if (count < 0) throw new Error(`vote ledger would go negative for ${participantId} on ${ideaId}`);
  const nextLedger = count === 0 ? withoutEntry(ledger, ideaId) : withEntry(ledger, ideaId, count);
  return Object.keys(nextLedger).length === 0
    ? withoutEntry(votes, participantId)
    : withEntry(votes, participantId, nextLedger);
}

/** The ledger with every vote on these ideas removed (their voters get them back). */
export function dropVotesOn(votes: VoteLedger, ideaIds: readonly IdeaId[]): VoteLedger {
  const gone = new Set<string>(ideaIds);
  const kept: [ParticipantId, Record<IdeaId, number>][] = [];
  for (const [participantId, ledger] of entriesOf(votes)) {
    const entries = entriesOf(ledger).filter(([ideaId]) => !gone.has(ideaId));
    if (entries.length > 0) kept.push([participantId, Object.fromEntries(entries) as Record<IdeaId, number>]);
  }
  return Object.fromEntries(kept) as VoteLedger;
}

/** B19: one more dot on an idea, within the budget and the per-idea cap. */
export function decideCastVote(state: BoardState, command: CommandOf<"castVote">, env: Env): Verdict {
  if (state.phase !== "vote") return refuse(BoardErrorCode.wrongPhase);
  const idea = findIdea(state, command.ideaId, env.actor);
  if (typeof idea === "string") return refuse(idea);
  const mine = lookup(votesOf(state, env.actor.id), idea.id) ?? 0;
  if (mine >= state.settings.maxVotesPerIdea) return refuse(BoardErrorCode.ideaCapReached);
  if (remainingBudget(state, env.actor.id) <= 0) return refuse(BoardErrorCode.budgetExhausted);
  return emit({ type: "voteCast", ideaId: idea.id, participantId: env.actor.id, at: env.now });
}

/** B20: take one of one's own dots back, when the board allows it. */
export function decideRetractVote(state: BoardState, command: CommandOf<"retractVote">, env: Env): Verdict {
  if (state.phase !== "vote") return refuse(BoardErrorCode.wrongPhase);
  if (!state.settings.allowRetract) return refuse(BoardErrorCode.retractDisabled);
  const idea = findIdea(state, command.ideaId, env.actor);
  if (typeof idea === "string") return refuse(idea);
  const mine = lookup(votesOf(state, env.actor.id), idea.id) ?? 0;
  if (mine === 0) return refuse(BoardErrorCode.noVoteToRetract);
  return emit({ type: "voteRetracted", ideaId: idea.id, participantId: env.actor.id, at: env.now });
}
