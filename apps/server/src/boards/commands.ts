// The command path after the edge (parse, rate limit and authorization are in sockets.ts):
// queue per board in this process, decide and commit in one transaction per batch (store.ts), tell
// the fan-out and the timers, and only then answer. Nothing is broadcast from here.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { BoardEvent, BoardState, Command, TimerExpiredCommand } from "@convivio/board";
import {
  ErrorCode,
  type BoardAck,
  type BoardCommand,
  type BoardId,
  type BoardRole,
  type ParticipantId,
} from "@convivio/protocol";
import type { Clock } from "../auth/clock.js";
import { settleWithin } from "../ops/settleWithin.js";
import type { BoardStore, CommandItem, LoadedBoard } from "./store.js";

/**
 * Told about every committed change (with its events, in order), after the commit and before the
 * ack. A listener that returns a promise holds the batch's acks until it settles, for at most
 * LISTENER_WAIT_MS (the phase timers: an acked timer must be armed, not merely committed).
 */
export type CommitListener = (
  boardId: BoardId,
  after: LoadedBoard,
  before: BoardState,
  events: readonly BoardEvent[],
) => void | Promise<void>;

/** Longest an ack waits for the listeners (Redis down: the timer is re-armed when it is back). */
export const LISTENER_WAIT_MS = 2_000;

/** Commands waiting for one board in this process before new ones are refused as `rate_limited`. */
export const MAX_QUEUED_PER_BOARD = 500;

export interface BoardCommandsDeps {
  store: BoardStore;
  clock: Clock;
  logger: Logger;
  newId?: () => string;
}

/** Most commands decided in one transaction. */
export const MAX_BATCH = 64;

interface Queued {
  item: CommandItem;
  resolve: (ack: BoardAck) => void;
  reject: (err: unknown) => void;
}

export class BoardCommands {
  private readonly queues = new Map<string, Queued[]>();
  private readonly listeners: CommitListener[] = [];
  private readonly newId: () => string;

  constructor(private readonly deps: BoardCommandsDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  onCommitted(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  /** A person's command, already parsed, rate-limited and authorized. Resolves after the commit. */
  run(command: BoardCommand, who: { participantId: ParticipantId; role: BoardRole }): Promise<BoardAck> {
    const { clientOpId, ...rest } = command;
    return this.enqueue(command.boardId, {
      command: rest as Command,
      actor: who.participantId,
      role: who.role,
      op: { participantId: who.participantId, clientOpId },
    });
  }

  /** The server's own command (a phase timer ran out), decided as the system. */
  runSystem(command: TimerExpiredCommand): Promise<BoardAck> {
    return this.enqueue(command.boardId, { command, actor: null, role: "system", op: null });
  }

  /**
   * Commands for one board wait in this process and are decided in batches, one transaction per
   * batch (group commit): they would queue on the row lock anyway, and one transaction for many
   * commands keeps a board fast when hundreds of people vote at once. Every command still gets
   * its own answer, and only after the commit.
   */
  private enqueue(
    boardId: BoardId,
    request: {
      command: Command;
      actor: ParticipantId | null;
      role: BoardRole | "system";
      op: CommandItem["op"];
    },
  ): Promise<BoardAck> {
    const queue = this.queues.get(boardId);
    if (queue && queue.length >= MAX_QUEUED_PER_BOARD) {
      return Promise.resolve({ ok: false, code: ErrorCode.rateLimited });
    }
    return new Promise<BoardAck>((resolve, reject) => {
      const item: CommandItem = {
        command: request.command,
        // `now` is read when the batch is decided, not when the command arrived.
        ctx: { actor: request.actor, role: request.role, now: 0, newId: this.newId },
        op: request.op,
      };
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.queues.set(boardId, [{ item, resolve, reject }]);
      void this.drain(boardId);
    });
  }

  private async drain(boardId: BoardId): Promise<void> {
    for (;;) {
      const queue = this.queues.get(boardId);
      if (!queue || queue.length === 0) {
        this.queues.delete(boardId);
        return;
      }
      const batch = queue.splice(0, MAX_BATCH);
      const now = this.deps.clock.now().getTime();
      const items = batch.map(({ item }) => ({ ...item, ctx: { ...item.ctx, now } }));
      try {
        const outcome = await this.deps.store.execute(boardId, items);
        if (outcome.committed) await this.tell(boardId, outcome.committed);
        batch.forEach((queued, index) => queued.resolve(outcome.acks[index]!));
      } catch (err) {
        // Nothing of the batch is committed: every command in it fails, and may be retried.
        for (const queued of batch) queued.reject(err);
      }
    }
  }

  private async tell(
    boardId: BoardId,
    { after, before, events }: { after: LoadedBoard; before: BoardState; events: readonly BoardEvent[] },
  ): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const listener of this.listeners) {
      try {
        const done = listener(boardId, after, before, events);
        if (done) pending.push(done);
      } catch (err) {
        // The change is committed; a listener's failure must not turn it into a failed ack.
        this.deps.logger.error({ err, boardId }, "board commit listener failed");
      }
    }
    if (pending.length === 0) return;
    const failed = (err: unknown) => this.deps.logger.error({ err, boardId }, "board commit listener failed");
    await settleWithin(Promise.all(pending.map((p) => p.catch(failed))), LISTENER_WAIT_MS);
  }
}
