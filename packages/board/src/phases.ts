// Phases, the phase timer and the lock (B6-B9). Time is data: a running timer is `deadlineAt`,
// a paused one is `pausedRemainingMs`; the server arms a job for `deadlineAt` and reports back
// with `timerExpired`, which is ignored when it no longer matches the state.
import { BOARD_LIMITS, BOARD_PHASES, BoardErrorCode } from "@convivio/protocol";
import type { BoardPhase } from "@convivio/protocol";
import type { CommandOf, TimerExpiredCommand } from "./commands.js";
import type { BoardState } from "./state.js";
import { emit, refuse } from "./verdict.js";
import type { Env, Verdict } from "./verdict.js";

/** Position of a phase in the fixed order collect -> group -> vote -> reveal -> closed. */
export function phaseIndex(phase: BoardPhase): number {
  return BOARD_PHASES.indexOf(phase);
}

/** The phase after this one, or null after closed. */
export function nextPhase(phase: BoardPhase): BoardPhase | null {
  return BOARD_PHASES[phaseIndex(phase) + 1] ?? null;
}

/** Whether a phase timer is running (not paused). */
export function isTimerRunning(state: BoardState): boolean {
  return state.deadlineAt !== null;
}

/** Milliseconds left on the phase timer at `now`, or null when there is no timer. */
export function timeLeftMs(state: BoardState, now: number): number | null {
  if (state.deadlineAt !== null) return Math.max(0, state.deadlineAt - now);
  return state.pausedRemainingMs;
}

function isDuration(ms: number): boolean {
  return Number.isInteger(ms) && ms >= BOARD_LIMITS.timerMinMs && ms <= BOARD_LIMITS.timerMaxMs;
}

/** B7: facilitators move the board forward, skipping phases if they like; closed is final. */
export function decideSetPhase(state: BoardState, command: CommandOf<"setPhase">, env: Env): Verdict {
  if (!env.actor.facilitator) return refuse(BoardErrorCode.forbidden);
  if (phaseIndex(command.phase) <= phaseIndex(state.phase)) return refuse(BoardErrorCode.invalidTransition);
  return emit({
    type: "phaseChanged",
    from: state.phase,
    to: command.phase,
    at: env.now,
    reason: "facilitator",
  });
}

type TimerCommand = CommandOf<"setTimer" | "extendTimer" | "pauseTimer" | "resumeTimer" | "clearTimer">;

/** B8: set, extend, pause, resume or clear the timer of the current phase. */
export function decideTimer(state: BoardState, command: TimerCommand, env: Env): Verdict {
  if (!env.actor.facilitator) return refuse(BoardErrorCode.forbidden);
  if (state.phase === "closed") return refuse(BoardErrorCode.wrongPhase);
  const now = env.now;
  switch (command.type) {
    case "setTimer":
      if (!isDuration(command.durationMs)) return refuse(BoardErrorCode.invalidInput);
      return emit({ type: "timerChanged", deadlineAt: now + command.durationMs, pausedRemainingMs: null });
    case "extendTimer":
      if (!isDuration(command.byMs)) return refuse(BoardErrorCode.invalidInput);
      if (state.deadlineAt !== null) {
        const deadlineAt = Math.max(state.deadlineAt, now) + command.byMs;
        return emit({ type: "timerChanged", deadlineAt, pausedRemainingMs: null });
      }
      if (state.pausedRemainingMs !== null) {
        return emit({
          type: "timerChanged",
          deadlineAt: null,
          pausedRemainingMs: state.pausedRemainingMs + command.byMs,
        });
      }
      return refuse(BoardErrorCode.noTimer);
    case "pauseTimer":
      if (state.deadlineAt === null) return refuse(BoardErrorCode.timerNotRunning);
      return emit({
        type: "timerChanged",
        deadlineAt: null,
        pausedRemainingMs: Math.max(0, state.deadlineAt - now),
      });
    case "resumeTimer":
      if (state.pausedRemainingMs === null) return refuse(BoardErrorCode.timerNotPaused);
      return emit({
        type: "timerChanged",
        deadlineAt: now + state.pausedRemainingMs,
        pausedRemainingMs: null,
      });
    case "clearTimer":
      if (state.deadlineAt === null && state.pausedRemainingMs === null)
        return refuse(BoardErrorCode.noTimer);
      return emit({ type: "timerChanged", deadlineAt: null, pausedRemainingMs: null });
  }
}

/** B6: locking freezes the board and pauses a running timer; only unlocking is accepted while locked. */
export function decideLock(
  state: BoardState,
  command: CommandOf<"lockBoard" | "unlockBoard">,
  env: Env,
): Verdict {
  if (!env.actor.facilitator) return refuse(BoardErrorCode.forbidden);
  if (command.type === "unlockBoard") {
    return state.locked ? emit({ type: "boardUnlocked", at: env.now }) : emit();
  }
  if (state.deadlineAt === null) return emit({ type: "boardLocked", at: env.now });
  return emit(
    { type: "timerChanged", deadlineAt: null, pausedRemainingMs: Math.max(0, state.deadlineAt - env.now) },
    { type: "boardLocked", at: env.now },
  );
}

/** Whether a timer report no longer matches the board: another phase, no running timer, or not yet due. */
export function isStaleExpiry(state: BoardState, command: TimerExpiredCommand): boolean {
  return (
    state.locked ||
    state.phase !== command.phase ||
    state.deadlineAt === null ||
    command.now < state.deadlineAt ||
    nextPhase(state.phase) === null
  );
}

/** B9: the server's timer job ends the phase it was armed for; a stale report changes nothing. */
export function decideTimerExpired(state: BoardState, command: TimerExpiredCommand): Verdict {
  const to = nextPhase(state.phase);
  if (isStaleExpiry(state, command) || to === null) return emit();
  return emit({ type: "phaseChanged", from: state.phase, to, at: command.now, reason: "timer" });
}
