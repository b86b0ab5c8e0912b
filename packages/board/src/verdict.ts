// Shared vocabulary of the deciders: what they return and the checks most of them make.
import { BoardErrorCode } from "@convivio/protocol";
import type { BoardPhase, IdeaId, ParticipantId } from "@convivio/protocol";
import type { BoardEvent } from "./events.js";
import { lookup } from "./records.js";
import type { BoardState, Idea } from "./state.js";

/** A decider's answer: the events to apply, or why not. */
export type Verdict = { ok: true; events: BoardEvent[] } | { ok: false; code: BoardErrorCode };

/** The person behind a command. */
export interface Actor {
  readonly id: ParticipantId;
  readonly facilitator: boolean;
}

/** What a decider may use besides the state and the command. */
export interface Env {
  readonly actor: Actor;
  readonly now: number;
  readonly newId: () => string;
}

/** A refusal with one of the closed set of codes. */
export function refuse(code: BoardErrorCode): Verdict {
  return { ok: false, code };
}

/** Acceptance; no events means the command is accepted and changes nothing. */
export function emit(...events: BoardEvent[]): Verdict {
  return { ok: true, events };
}

/** Whether the board is in one of the phases. */
export function inPhase(state: BoardState, ...phases: BoardPhase[]): boolean {
  return phases.includes(state.phase);
}

/**
 * The idea a command names, as the actor may act on it (B15): a missing or merged idea is
 * not_found; a hidden one is not_found for non-facilitators (its existence stays secret) and
 * idea_hidden for facilitators.
 */
export function findIdea(state: BoardState, ideaId: IdeaId, actor: Actor): Idea | BoardErrorCode {
  const idea = lookup(state.ideas, ideaId);
  if (idea === undefined || idea.mergedInto !== null) return BoardErrorCode.notFound;
  if (idea.hidden !== null) return actor.facilitator ? BoardErrorCode.ideaHidden : BoardErrorCode.notFound;
  return idea;
}

/** Whether a trimmed text fits `1..max` (or `0..max` when optional). */
export function fitsLength(text: string, max: number, optional = false): boolean {
  return text.length <= max && (optional || text.length > 0);
}
