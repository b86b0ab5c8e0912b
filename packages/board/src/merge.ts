// Merging duplicates (B17, B18): the source disappears into the target, and so do its votes,
// capped per voter at the per-idea cap; whatever the cap cuts off goes back to the voter's budget.
import { BoardErrorCode } from "@convivio/protocol";
import type { IdeaId, ParticipantId } from "@convivio/protocol";
import type { CommandOf } from "./commands.js";
import { lookup, withEntry, withoutEntry } from "./records.js";
import { voters, withVotesOf } from "./votes.js";
import type { BoardState, VoteLedger } from "./state.js";
import { emit, findIdea, inPhase, refuse } from "./verdict.js";
import type { Env, Verdict } from "./verdict.js";

/** The outcome of moving votes from one idea to another. */
export interface VoteMerge {
  readonly votes: VoteLedger;
  /** Votes each voter got back because the target hit the cap; voters with none are left out. */
  readonly returned: Readonly<Record<ParticipantId, number>>;
}

/** B18: per voter, target := min(cap, source + target); the rest returns to the voter. */
export function mergeVoteLedger(
  votes: VoteLedger,
  sourceId: IdeaId,
  targetId: IdeaId,
  cap: number,
): VoteMerge {
  let next: VoteLedger = votes;
  const returned = new Map<ParticipantId, number>();
  for (const [participantId, ledger] of voters(votes)) {
    const fromSource = lookup(ledger, sourceId) ?? 0;
    if (fromSource === 0) continue;
    const onTarget = lookup(ledger, targetId) ?? 0;
    const merged = Math.min(cap, fromSource + onTarget);
    const excess = fromSource + onTarget - merged;
    if (excess > 0) returned.set(participantId, excess);
    const nextLedger = withEntry(withoutEntry(ledger, sourceId), targetId, merged);
    next = withVotesOf(next, participantId, nextLedger);
  }
  return { votes: next, returned: Object.fromEntries(returned) as Record<ParticipantId, number> };
}

/** B17: a facilitator merges a duplicate into another idea, while grouping or voting. */
export function decideMergeIdeas(state: BoardState, command: CommandOf<"mergeIdeas">, env: Env): Verdict {
  if (!env.actor.facilitator) return refuse(BoardErrorCode.forbidden);
  if (!inPhase(state, "group", "vote")) return refuse(BoardErrorCode.wrongPhase);
  if (command.sourceId === command.targetId) return refuse(BoardErrorCode.sameIdea);
  const source = findIdea(state, command.sourceId, env.actor);
  if (typeof source === "string") return refuse(source);
  const target = findIdea(state, command.targetId, env.actor);
  if (typeof target === "string") return refuse(target);
  return emit({
    type: "ideasMerged",
    sourceId: source.id,
    targetId: target.id,
    by: env.actor.id,
    at: env.now,
  });
}
