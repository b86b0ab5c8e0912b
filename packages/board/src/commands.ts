// Commands the rules accept: every client command (minus its clientOpId, which is the server's
// idempotency key and means nothing to the rules) plus the server's own timer expiry.
import type { BoardCommand, BoardId, BoardPhase } from "@convivio/protocol";

type WithoutClientOpId<C> = C extends unknown ? Omit<C, "clientOpId"> : never;

/** Issued by the server when a phase timer job fires (B9); `now` is when it fired. */
export interface TimerExpiredCommand {
  type: "timerExpired";
  boardId: BoardId;
  /** The phase the timer was armed for. */
  phase: BoardPhase;
  now: number;
}

export type Command = WithoutClientOpId<BoardCommand> | TimerExpiredCommand;
export type CommandType = Command["type"];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
