// The command side: check a command against the state and the rules, and answer with the events
// it causes (folded into the new state) or a refusal with one closed code. Never mutates input.
import { BoardErrorCode } from "@convivio/protocol";
import { applyEvent } from "./apply.js";
import type { Command } from "./commands.js";
import { decideAddComment, decideDeleteComment, decideSetReaction } from "./comments.js";
import type { BoardEvent } from "./events.js";
import { decideGroup } from "./groups.js";
import { decideDeleteIdea, decideEditIdea, decideProposeIdea } from "./ideas.js";
import { decideMergeIdeas } from "./merge.js";
import { decideHideIdea, decideRestoreIdea } from "./moderation.js";
import { decideLock, decideSetPhase, decideTimer, decideTimerExpired } from "./phases.js";
import { decideUpdateSettings } from "./settings.js";
import type { BoardState, DecideContext } from "./state.js";
import { refuse } from "./verdict.js";
import type { Env, Verdict } from "./verdict.js";
import { decideCastVote, decideRetractVote } from "./votes.js";

export type DecideResult =
  | {
      ok: true;
      state: BoardState;
      events: readonly BoardEvent[];
      /** The board's seq after each event, in order (what a store writes beside each event). */
      seqs: readonly number[];
    }
  | { ok: false; code: BoardErrorCode };

/** Decide a command (B5): the new state and the events that lead to it, or a refusal code. */
export function decide(state: BoardState, command: Command, ctx: DecideContext): DecideResult {
  if (command.boardId !== state.id) return { ok: false, code: BoardErrorCode.boardMismatch };
  const verdict = judge(state, command, ctx);
  if (!verdict.ok) return verdict;
  let next = state;
  const seqs: number[] = [];
  for (const event of verdict.events) {
    next = applyEvent(next, event);
    seqs.push(next.seq);
  }
  return { ok: true, state: next, events: verdict.events, seqs };
}

/** The id of the idea, comment or group a command created (for the ack's `createdId`), if any. */
export function createdIdOf(events: readonly BoardEvent[]): string | undefined {
  for (const event of events) {
    if (event.type === "ideaProposed") return event.ideaId;
    if (event.type === "commentAdded") return event.commentId;
    if (event.type === "groupCreated") return event.groupId;
  }
  return undefined;
}

function assertNever(value: never): never {
  throw new Error(`unhandled command ${JSON.stringify(value)}`);
}

function judge(state: BoardState, command: Command, ctx: DecideContext): Verdict {
  // B9: only the server's own timer job reports an expiry, and only it may act as the system.
  if (command.type === "timerExpired") {
    return ctx.role === "system" ? decideTimerExpired(state, command) : refuse(BoardErrorCode.forbidden);
  }
  if (ctx.role === "system" || ctx.actor === null) return refuse(BoardErrorCode.forbidden);
  // B6: a locked board accepts nothing but being unlocked.
  if (state.locked && command.type !== "unlockBoard") return refuse(BoardErrorCode.locked);
  const env: Env = {
    actor: { id: ctx.actor, facilitator: ctx.role === "facilitator" },
    now: ctx.now,
    newId: ctx.newId,
  };
  switch (command.type) {
    case "updateSettings":
      return decideUpdateSettings(state, command, env);
    case "setPhase":
      return decideSetPhase(state, command, env);
    case "setTimer":
    case "extendTimer":
    case "pauseTimer":
    case "resumeTimer":
    case "clearTimer":
      return decideTimer(state, command, env);
    case "lockBoard":
    case "unlockBoard":
      return decideLock(state, command, env);
    case "proposeIdea":
      return decideProposeIdea(state, command, env);
    case "editIdea":
      return decideEditIdea(state, command, env);
    case "deleteIdea":
      return decideDeleteIdea(state, command, env);
    case "addComment":
      return decideAddComment(state, command, env);
    case "deleteComment":
      return decideDeleteComment(state, command, env);
    case "setReaction":
      return decideSetReaction(state, command, env);
    case "hideIdea":
      return decideHideIdea(state, command, env);
    case "restoreIdea":
      return decideRestoreIdea(state, command, env);
    case "createGroup":
    case "renameGroup":
    case "deleteGroup":
    case "setIdeaGroup":
      return decideGroup(state, command, env);
    case "mergeIdeas":
      return decideMergeIdeas(state, command, env);
    case "castVote":
      return decideCastVote(state, command, env);
    case "retractVote":
      return decideRetractVote(state, command, env);
    default:
      return assertNever(command);
  }
}
