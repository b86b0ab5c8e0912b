// Moderation (B15): facilitators hide an idea with a reason and may restore it, in any phase.
import { BOARD_LIMITS, BoardErrorCode } from "@convivio/protocol";
import type { CommandOf } from "./commands.js";
import { lookup } from "./records.js";
import type { BoardState } from "./state.js";
import { emit, fitsLength, refuse } from "./verdict.js";
import type { Env, Verdict } from "./verdict.js";

/** B15: hide an idea (or change the reason it is hidden); its votes go back to their voters. */
export function decideHideIdea(state: BoardState, command: CommandOf<"hideIdea">, env: Env): Verdict {
  if (!env.actor.facilitator) return refuse(BoardErrorCode.forbidden);
  const idea = lookup(state.ideas, command.ideaId);
  if (idea === undefined || idea.mergedInto !== null) return refuse(BoardErrorCode.notFound);
  const reason = command.reason.trim();
  if (!fitsLength(reason, BOARD_LIMITS.reasonMaxLength)) return refuse(BoardErrorCode.invalidInput);
  if (idea.hidden?.reason === reason) return emit();
  return emit({ type: "ideaHidden", ideaId: idea.id, reason, by: env.actor.id, at: env.now });
}

/** B15: make a hidden idea visible again; restoring a visible idea changes nothing. */
export function decideRestoreIdea(state: BoardState, command: CommandOf<"restoreIdea">, env: Env): Verdict {
  if (!env.actor.facilitator) return refuse(BoardErrorCode.forbidden);
  const idea = lookup(state.ideas, command.ideaId);
  if (idea === undefined || idea.mergedInto !== null) return refuse(BoardErrorCode.notFound);
  const reason = command.reason?.trim() ?? null;
  if (reason !== null && !fitsLength(reason, BOARD_LIMITS.reasonMaxLength)) {
    return refuse(BoardErrorCode.invalidInput);
  }
  if (idea.hidden === null) return emit();
  return emit({ type: "ideaRestored", ideaId: idea.id, reason, by: env.actor.id, at: env.now });
}
