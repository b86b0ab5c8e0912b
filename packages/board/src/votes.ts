// Dot voting: a budget per participant, a cap per idea, retraction, and who may see counts.
import { BoardErrorCode } from "@convivio/protocol";
import type { IdeaId, ParticipantId } from "@convivio/protocol";
import type { CommandOf } from "./commands.js";
import { entriesOf, lookup, valuesOf, withEntry, withoutEntry } from "./records.js";
import type { BoardState, ParticipantVotes, VoteLedger } from "./state.js";
import { emit, findIdea, refuse } from "./verdict.js";
import type { Env, Verdict } from "./verdict.js";

/** Whether vote counts may leave the server (B23): always when not hidden, else from reveal on. */
export function areVotesVisible(state: BoardState): boolean {
  return !state.settings.hideVotesUntilReveal || state.phase === "reveal" || state.phase === "closed";
}

/** The bucket of the vote ledger a participant's votes live in (see `VoteLedger`). */
export function voteBucketOf(participantId: string): string {
  return participantId.slice(-2);
}

/** One participant's votes per idea in a ledger. */
export function ledgerVotesOf(votes: VoteLedger, participantId: ParticipantId): ParticipantVotes {
  const bucket = lookup(votes, voteBucketOf(participantId));
  return (bucket && lookup(bucket, participantId)) ?? {};
}

/** One participant's votes per idea. */
export function votesOf(state: BoardState, participantId: ParticipantId): ParticipantVotes {
  return ledgerVotesOf(state.votes, participantId);
}

/** Every participant with votes, and their votes. */
export function voters(votes: VoteLedger): [ParticipantId, ParticipantVotes][] {
  return valuesOf(votes).flatMap((bucket) => entriesOf(bucket));
}

/** A ledger with one participant's votes replaced (an empty record removes them). */
export function withVotesOf(
  votes: VoteLedger,
  participantId: ParticipantId,
  mine: ParticipantVotes,
): VoteLedger {
  const key = voteBucketOf(participantId);
  const bucket = lookup(votes, key) ?? {};
  const nextBucket =
    Object.keys(mine).length === 0
      ? withoutEntry(bucket, participantId)
      : withEntry(bucket, participantId, mine);
  return Object.keys(nextBucket).length === 0 ? withoutEntry(votes, key) : withEntry(votes, key, nextBucket);
}

/** A ledger from participants' votes (those with none are left out). */
export function ledgerFrom(entries: Iterable<readonly [ParticipantId, ParticipantVotes]>): VoteLedger {
  const buckets: Record<string, Record<ParticipantId, ParticipantVotes>> = {};
  for (const [participantId, mine] of entries) {
    if (Object.keys(mine).length === 0) continue;
    const key = voteBucketOf(participantId);
    const bucket = lookup(buckets, key) ?? {};
    buckets[key] = withEntry(bucket, participantId, mine);
  }
  return buckets;
}

/**
 * A stored state from before votes were bucketed (a flat participant -> votes record) in the
 * current shape; any other state as it is. Loaders call it on snapshots they read back.
 */
export function upgradeState(state: BoardState): BoardState {
  const first = valuesOf(state.votes as Record<string, unknown>)[0];
  const isFlat =
    first !== undefined && valuesOf(first as Record<string, unknown>).some((v) => typeof v === "number");
  if (!isFlat) return state;
  const flat = state.votes as unknown as Record<ParticipantId, ParticipantVotes>;
  return { ...state, votes: ledgerFrom(entriesOf(flat)) };
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
  for (const bucket of valuesOf(state.votes)) {
    for (const ledger of valuesOf(bucket)) {
      for (const [ideaId, count] of entriesOf(ledger)) totals.set(ideaId, (totals.get(ideaId) ?? 0) + count);
    }
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
  const ledger = ledgerVotesOf(votes, participantId);
  const count = (lookup(ledger, ideaId) ?? 0) + delta;
  if (count < 0) throw new Error(`vote ledger would go negative for ${participantId} on ${ideaId}`);
  const nextLedger = count === 0 ? withoutEntry(ledger, ideaId) : withEntry(ledger, ideaId, count);
  return withVotesOf(votes, participantId, nextLedger);
}

/** The ledger with every vote on these ideas removed (their voters get them back). */
export function dropVotesOn(votes: VoteLedger, ideaIds: readonly IdeaId[]): VoteLedger {
  const gone = new Set<string>(ideaIds);
  return ledgerFrom(
    voters(votes).map(([participantId, ledger]) => [
      participantId,
      Object.fromEntries(entriesOf(ledger).filter(([ideaId]) => !gone.has(ideaId))) as ParticipantVotes,
    ]),
  );
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
