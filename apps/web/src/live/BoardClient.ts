// One board as this browser sees it: the view folded from `board:snapshot`, `board:patch` and
// `board:self` with the rules of @convivio/board, and an outbox of commands (PROTOCOL.md §5-7).
//
// - A join (or rejoin) sends the last applied `seq`; until its ack, snapshots and patches still
//   in flight from before are dropped, since the answer to the join (a snapshot or one catch-up
//   patch from `lastSeq`) covers them.
// - A patch that skips ahead is a gap: the client rejoins with its `seq`.
// - A command stays in the outbox until the server answers it. After a reconnect it is sent
//   again with the same `clientOpId`, so the server applies it once whatever happened to the
//   first attempt. Answers that say "try later" (rate limit, a server hiccup) are retried too.
import { applyPatch, applySelf } from "@convivio/board";
import {
  ErrorCode,
  type BoardAck,
  type BoardAckCode,
  type BoardCommand,
  type BoardId,
  type BoardJoin,
  type BoardLeave,
  type BoardPatch,
  type BoardPresence,
  type BoardSelfUpdate,
  type BoardView,
} from "@convivio/protocol";
import { newClientOpId } from "./opId";

/** What a board needs from the connection it lives on. */
export interface BoardPort {
  isConnected(): boolean;
  join(payload: BoardJoin, ack: (reply: BoardAck) => void): void;
  leave(payload: BoardLeave): void;
  command(payload: BoardCommand, ack: (reply: BoardAck) => void): void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command as the interface builds it; the client adds `clientOpId` and `boardId`. */
export type BoardCommandInput = DistributiveOmit<BoardCommand, "clientOpId" | "boardId">;

export interface BoardClientState {
  readonly view: BoardView | null;
  /** People on the board now, or null before the first count. */
  readonly presence: number | null;
  /** The server accepted our join on the current connection. */
  readonly joined: boolean;
  /** Why the board cannot be joined (not_found, forbidden…); null when it can. */
  readonly joinError: BoardAckCode | null;
  /** Commands sent and not yet answered. */
  readonly pending: number;
}

export interface BoardClientOptions {
  /** How long to wait for an answer on a live connection before sending again. */
  ackTimeoutMs?: number;
  /** First wait before retrying a command or join the server asked us to retry. */
  retryDelayMs?: number;
  newOpId?: () => string;
}

/** Answers that mean "not now": nothing was committed, so the same command may go again. */
const RETRYABLE: ReadonlySet<BoardAckCode> = new Set([
  ErrorCode.rateLimited,
  ErrorCode.internal,
  ErrorCode.notReady,
]);
const MAX_RETRY_DELAY_MS = 15_000;

interface OutboxEntry {
  readonly command: BoardCommand;
  readonly resolve: (ack: BoardAck) => void;
  /** Sent on the current connection and waiting for its answer. */
  inFlight: boolean;
  retries: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

function isAck(value: unknown): value is BoardAck {
  return typeof value === "object" && value !== null && typeof (value as { ok?: unknown }).ok === "boolean";
}

export class BoardClient {
  readonly boardId: BoardId;
  private state: BoardClientState = {
    view: null,
    presence: null,
    joined: false,
    joinError: null,
    pending: 0,
  };
  private readonly listeners = new Set<() => void>();
  private readonly outbox = new Map<string, OutboxEntry>();
  /** Counts joins, so the answer to a superseded one is ignored. */
  private joinAttempt = 0;
  private joining = false;
  private joinRetries = 0;
  private joinTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly ackTimeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly newOpId: () => string;

  constructor(
    boardId: BoardId,
    private readonly port: BoardPort,
    options: BoardClientOptions = {},
  ) {
    this.boardId = boardId;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.newOpId = options.newOpId ?? newClientOpId;
  }

  getState = (): BoardClientState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The clientOpIds waiting for an answer, oldest first. */
  pendingOpIds(): string[] {
    return [...this.outbox.keys()];
  }

  /**
   * Sends a command and resolves with the server's answer, however many reconnects that takes.
   * A refusal resolves too (`{ok:false, code}`); the promise never rejects.
   */
  send(input: BoardCommandInput): Promise<BoardAck> {
    const command = { ...input, clientOpId: this.newOpId(), boardId: this.boardId } as BoardCommand;
    return new Promise<BoardAck>((resolve) => {
      const entry: OutboxEntry = { command, resolve, inFlight: false, retries: 0, timer: undefined };
      this.outbox.set(command.clientOpId, entry);
      this.update({ pending: this.outbox.size });
      if (this.state.joined && this.port.isConnected()) this.transmit(entry);
    });
  }

  // ---- connection lifecycle (called by LiveConnection) ----

  /** The socket (re)connected: join again, from the last applied `seq`. */
  handleConnect(): void {
    this.joinRetries = 0;
    this.join();
  }

  /** The socket dropped: nothing in flight will be answered on it; keep it all for the next one. */
  handleDisconnect(): void {
    this.joining = false;
    clearTimeout(this.joinTimer);
    for (const entry of this.outbox.values()) {
      entry.inFlight = false;
      clearTimeout(entry.timer);
      entry.timer = undefined;
    }
    if (this.state.joined) this.update({ joined: false });
  }

  /** Leaves the board and stops every timer; answers still owed are dropped with the page. */
  close(): void {
    this.closed = true;
    clearTimeout(this.joinTimer);
    for (const entry of this.outbox.values()) clearTimeout(entry.timer);
    if (this.port.isConnected()) this.port.leave({ boardId: this.boardId });
    this.listeners.clear();
  }

  // ---- server messages (routed here by boardId) ----

  handleSnapshot(view: BoardView): void {
    // While a join is outstanding, this snapshot answers an older one; the new answer follows.
    if (this.joining) return;
    this.update({ view });
  }

  handlePatch(patch: BoardPatch): void {
    const view = this.state.view;
    if (this.joining || view === null) return;
    const outcome = applyPatch(view, patch);
    if (outcome.status === "applied") this.update({ view: outcome.view });
    else if (outcome.status === "gap") this.join();
  }

  handleSelf(update: BoardSelfUpdate): void {
    // Self updates are absolute, so one is never stale in a way that matters; apply it as it comes.
    const view = this.state.view;
    if (view === null) return;
    this.update({ view: applySelf(view, update) });
  }

  handlePresence(presence: BoardPresence): void {
    this.update({ presence: presence.count });
  }

  // ---- internals ----

  private join(): void {
    if (this.closed || !this.port.isConnected()) return;
    clearTimeout(this.joinTimer);
    const attempt = ++this.joinAttempt;
    this.joining = true;
    if (this.state.joined) this.update({ joined: false });
    const lastSeq = this.state.view?.seq;
    const payload: BoardJoin =
      lastSeq === undefined ? { boardId: this.boardId } : { boardId: this.boardId, lastSeq };
    // No answer on a live connection (a lost packet, a stuck node): ask again.
    this.joinTimer = setTimeout(() => {
      if (attempt === this.joinAttempt && this.joining) this.join();
    }, this.ackTimeoutMs);
    this.port.join(payload, (reply) => {
      if (attempt !== this.joinAttempt || this.closed) return;
      clearTimeout(this.joinTimer);
      this.joining = false;
      if (isAck(reply) && reply.ok) {
        this.joinRetries = 0;
        this.update({ joined: true, joinError: null });
        this.flushOutbox();
        return;
      }
      const code: BoardAckCode = isAck(reply) && !reply.ok ? reply.code : ErrorCode.internal;
      if (RETRYABLE.has(code)) {
        this.joinTimer = setTimeout(() => this.join(), this.backoff(this.joinRetries++));
        return;
      }
      // The board is out of reach (gone, or not ours): what waits to be sent never will be.
      const waiting = [...this.outbox.values()];
      this.outbox.clear();
      for (const entry of waiting) clearTimeout(entry.timer);
      this.update({ joinError: code, pending: 0 });
      for (const entry of waiting) entry.resolve({ ok: false, code });
    });
  }

  private flushOutbox(): void {
    for (const entry of this.outbox.values())
      if (!entry.inFlight && entry.timer === undefined) this.transmit(entry);
  }

  private transmit(entry: OutboxEntry): void {
    if (this.closed) return;
    clearTimeout(entry.timer);
    entry.inFlight = true;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      // Still unanswered on a live connection: the same clientOpId again is harmless.
      if (entry.inFlight && this.port.isConnected() && this.state.joined) this.transmit(entry);
    }, this.ackTimeoutMs);
    this.port.command(entry.command, (reply) => this.answer(entry, reply));
  }

  private answer(entry: OutboxEntry, reply: unknown): void {
    const id = entry.command.clientOpId;
    // A command sent twice is answered twice (the same answer); the first one counts.
    if (this.outbox.get(id) !== entry) return;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.inFlight = false;
    const ack: BoardAck = isAck(reply) ? reply : { ok: false, code: ErrorCode.internal };
    if (!ack.ok && RETRYABLE.has(ack.code) && !this.closed) {
      entry.timer = setTimeout(() => {
        entry.timer = undefined;
        if (this.state.joined && this.port.isConnected()) this.transmit(entry);
      }, this.backoff(entry.retries++));
      return;
    }
    this.outbox.delete(id);
    this.update({ pending: this.outbox.size });
    entry.resolve(ack);
  }

  private backoff(retries: number): number {
    return Math.min(MAX_RETRY_DELAY_MS, this.retryDelayMs * 2 ** Math.min(retries, 10));
  }

  private update(change: Partial<BoardClientState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}
