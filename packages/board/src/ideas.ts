// Proposing, editing and deleting ideas (B10-B12).
import { BOARD_LIMITS, BoardErrorCode } from "@convivio/protocol";
import type { ColumnId, IdeaId } from "@convivio/protocol";
import type { CommandOf } from "./commands.js";
import type { BoardState } from "./state.js";
import { emit, findIdea, fitsLength, inPhase, refuse } from "./verdict.js";
import type { Env, Verdict } from "./verdict.js";

function hasColumn(state: BoardState, columnId: ColumnId): boolean {
  return state.settings.columns.some((column) => column.id === columnId);
}

/** Details as stored: trimmed, and an empty text means none. */
function normaliseDetails(details: string | null | undefined): string | null {
  const trimmed = details?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

/** B10: a new idea in a column, during collect, by whoever the settings allow. */
export function decideProposeIdea(state: BoardState, command: CommandOf<"proposeIdea">, env: Env): Verdict {
  if (state.settings.whoMayPropose === "facilitators" && !env.actor.facilitator) {
    return refuse(BoardErrorCode.forbidden);
  }
  if (state.phase !== "collect") return refuse(BoardErrorCode.wrongPhase);
  if (!hasColumn(state, command.columnId)) return refuse(BoardErrorCode.unknownColumn);
  const text = command.text.trim();
  const details = normaliseDetails(command.details);
  if (!fitsLength(text, BOARD_LIMITS.ideaTextMaxLength)) return refuse(BoardErrorCode.invalidInput);
  if (details !== null && !fitsLength(details, BOARD_LIMITS.ideaDetailsMaxLength)) {
    return refuse(BoardErrorCode.invalidInput);
  }
  if (Object.keys(state.ideas).length >= BOARD_LIMITS.maxIdeas) return refuse(BoardErrorCode.limitReached);
  return emit({
    type: "ideaProposed",
    ideaId: env.newId() as IdeaId,
    columnId: command.columnId,
    text,
    details,
    authorId: env.actor.id,
    anonymous: state.settings.anonymousIdeas,
    at: env.now,
  });
}

/**
 * B11/B12 permission: the author during collect; a facilitator during collect and group.
 * Returns the refusal code, or null when allowed.
 */
function mayChange(state: BoardState, authorId: string, env: Env): BoardErrorCode | null {
  if (env.actor.facilitator) return null;
  if (authorId !== env.actor.id) return BoardErrorCode.forbidden;
  return state.phase === "collect" ? null : BoardErrorCode.wrongPhase;
}

/** B11: change an idea's text, details or column. */
export function decideEditIdea(state: BoardState, command: CommandOf<"editIdea">, env: Env): Verdict {
  if (!inPhase(state, "collect", "group")) return refuse(BoardErrorCode.wrongPhase);
  const idea = findIdea(state, command.ideaId, env.actor);
  if (typeof idea === "string") return refuse(idea);
  const denied = mayChange(state, idea.authorId, env);
  if (denied !== null) return refuse(denied);
  const text = command.text === undefined ? idea.text : command.text.trim();
  const details = command.details === undefined ? idea.details : normaliseDetails(command.details);
  const columnId = command.columnId ?? idea.columnId;
  if (!fitsLength(text, BOARD_LIMITS.ideaTextMaxLength)) return refuse(BoardErrorCode.invalidInput);
  if (details !== null && !fitsLength(details, BOARD_LIMITS.ideaDetailsMaxLength)) {
    return refuse(BoardErrorCode.invalidInput);
  }
  if (!hasColumn(state, columnId)) return refuse(BoardErrorCode.unknownColumn);
  if (text === idea.text && details === idea.details && columnId === idea.columnId) return emit();
  return emit({
    type: "ideaEdited",
    ideaId: idea.id,
    text,
    details,
    columnId,
    by: env.actor.id,
    at: env.now,
  });
}

/** B12: remove an idea with its comments (facilitators may also remove a hidden one). */
export function decideDeleteIdea(state: BoardState, command: CommandOf<"deleteIdea">, env: Env): Verdict {
  if (!inPhase(state, "collect", "group")) return refuse(BoardErrorCode.wrongPhase);
  const found = findIdea(state, command.ideaId, env.actor);
  if (found === BoardErrorCode.ideaHidden) {
    return emit({ type: "ideaDeleted", ideaId: command.ideaId, by: env.actor.id, at: env.now });
  }
  if (typeof found === "string") return refuse(found);
  const denied = mayChange(state, found.authorId, env);
  if (denied !== null) return refuse(denied);
  return emit({ type: "ideaDeleted", ideaId: found.id, by: env.actor.id, at: env.now });
}
