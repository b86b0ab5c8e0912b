// Comments and reactions on ideas (B13, B14): open in every phase but closed.
import { BOARD_LIMITS, BOARD_REACTIONS, BoardErrorCode } from "@convivio/protocol";
import type { CommentId } from "@convivio/protocol";
import type { CommandOf } from "./commands.js";
import { lookup, valuesOf } from "./records.js";
import type { BoardState } from "./state.js";
import { emit, findIdea, fitsLength, refuse } from "./verdict.js";
import type { Env, Verdict } from "./verdict.js";

/** B13: a comment on a visible idea; anonymous when the board's ideas are. */
export function decideAddComment(state: BoardState, command: CommandOf<"addComment">, env: Env): Verdict {
  if (state.phase === "closed") return refuse(BoardErrorCode.wrongPhase);
  const idea = findIdea(state, command.ideaId, env.actor);
  if (typeof idea === "string") return refuse(idea);
  const text = command.text.trim();
  if (!fitsLength(text, BOARD_LIMITS.commentMaxLength)) return refuse(BoardErrorCode.invalidInput);
  const onIdea = valuesOf(state.comments).filter((comment) => comment.ideaId === idea.id).length;
  if (onIdea >= BOARD_LIMITS.maxCommentsPerIdea) return refuse(BoardErrorCode.limitReached);
  return emit({
    type: "commentAdded",
    commentId: env.newId() as CommentId,
    ideaId: idea.id,
    authorId: env.actor.id,
    anonymous: state.settings.anonymousIdeas,
    text,
    at: env.now,
  });
}

/** B13: authors delete their own comments; facilitators delete any. */
export function decideDeleteComment(
  state: BoardState,
  command: CommandOf<"deleteComment">,
  env: Env,
): Verdict {
  if (state.phase === "closed") return refuse(BoardErrorCode.wrongPhase);
  const comment = lookup(state.comments, command.commentId);
  if (comment === undefined) return refuse(BoardErrorCode.notFound);
  if (!env.actor.facilitator) {
    const idea = findIdea(state, comment.ideaId, env.actor);
    if (typeof idea === "string") return refuse(idea);
    if (comment.authorId !== env.actor.id) return refuse(BoardErrorCode.forbidden);
  }
  return emit({ type: "commentDeleted", commentId: comment.id, by: env.actor.id, at: env.now });
}

/** B14: turn one of the fixed reactions on or off; asking for the current state changes nothing. */
export function decideSetReaction(state: BoardState, command: CommandOf<"setReaction">, env: Env): Verdict {
  if (state.phase === "closed") return refuse(BoardErrorCode.wrongPhase);
  if (!BOARD_REACTIONS.includes(command.reaction)) return refuse(BoardErrorCode.invalidInput);
  const idea = findIdea(state, command.ideaId, env.actor);
  if (typeof idea === "string") return refuse(idea);
  const isOn = (idea.reactions[command.reaction] ?? []).includes(env.actor.id);
  if (isOn === command.on) return emit();
  return emit({
    type: "reactionSet",
    ideaId: idea.id,
    participantId: env.actor.id,
    reaction: command.reaction,
    on: command.on,
  });
}
