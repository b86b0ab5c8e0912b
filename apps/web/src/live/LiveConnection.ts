// The page's one live connection (socket.io, WebSocket only) and the boards open on it.
//
// Connection state for the person: `connecting` (first time), `connected`, `reconnecting` (lost,
// trying again), `offline` (the browser has no network, or the server refused us for good:
// signed out, or this page is older than the server). socket.io reconnects by itself after a
// network drop; after the server closes the socket it does not, so we do: when a draining node
// said `reconnect {afterMs}`, after that delay (spread by the server so a rollout causes no
// stampede), otherwise after a short random wait.
import type { Socket } from "socket.io-client";
import {
  ErrorCode,
  type BoardClientToServer,
  type BoardId,
  type BoardServerToClient,
  type LiveClientToServer,
  type LiveServerToClient,
  type SessionClientToServer,
  type SessionServerToClient,
} from "@convivio/protocol";
import { BoardClient, type BoardClientOptions, type BoardPort } from "./BoardClient";

export type LiveClientSocket = Socket<
  LiveServerToClient & BoardServerToClient & SessionServerToClient,
  LiveClientToServer & BoardClientToServer & SessionClientToServer
>;

/**
 * Another feature on the page's connection (a live session, say): it keeps the socket open while
 * attached, binds its own listeners to the socket, and rejoins its rooms on every connect.
 */
export interface LiveChannel {
  /** Adds the channel's listeners to the socket; returns their removal. */
  bind(socket: LiveClientSocket): () => void;
  /** The socket (re)connected: join again. */
  handleConnect(socket: LiveClientSocket): void;
  handleDisconnect(): void;
}

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline";
/** A refusal that retrying will not fix: the person must sign in again, or reload the page. */
export type ConnectionProblem = typeof ErrorCode.unauthenticated | typeof ErrorCode.versionMismatch;

export interface LiveState {
  readonly status: ConnectionStatus;
  readonly problem: ConnectionProblem | null;
  /** Server clock minus this clock (ms), measured at each connect; countdowns use it. */
  readonly clockOffsetMs: number;
}

export interface LiveConnectionOptions {
  createSocket: () => LiveClientSocket;
  /** Whether the browser believes it is online. */
  isOnline?: () => boolean;
  random?: () => number;
  now?: () => number;
  /** How long the socket stays open after the last board is closed (route changes, StrictMode). */
  idleCloseMs?: number;
  /** How long a released board stays open in case it is acquired again. */
  boardCloseDelayMs?: number;
  board?: BoardClientOptions;
}

/** Longest wait a server may ask for before we reconnect anyway. */
const MAX_SERVER_DELAY_MS = 30_000;
const MIN_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
const NETWORK_CHECK_MS = 5_000;

interface OpenBoard {
  client: BoardClient;
  refs: number;
  /** Joined (or will join on connect): somebody acquired it at least once. */
  started: boolean;
  unsubscribe: (() => void) | undefined;
  closeTimer: ReturnType<typeof setTimeout> | undefined;
}

function problemOf(error: unknown): ConnectionProblem | null | "retry" {
  const code = (error as { data?: { code?: unknown } } | undefined)?.data?.code;
  if (code === ErrorCode.unauthenticated || code === ErrorCode.versionMismatch) return code;
  return "retry";
}

export class LiveConnection {
  private socket: LiveClientSocket | null = null;
  private readonly boards = new Map<string, OpenBoard>();
  /** Attached channels, with the removal of their listeners on the current socket. */
  private readonly channels = new Map<LiveChannel, (() => void) | undefined>();
  private readonly listeners = new Set<() => void>();
  private state: LiveState = { status: "connecting", problem: null, clockOffsetMs: 0 };
  private everConnected = false;
  /** Delay the server asked for in its last `reconnect` message. */
  private serverDelayMs: number | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private retries = 0;
  private readonly isOnline: () => boolean;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly port: BoardPort;

  constructor(private readonly options: LiveConnectionOptions) {
    this.isOnline = options.isOnline ?? (() => true);
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.port = {
      isConnected: () => this.socket?.connected ?? false,
      join: (payload, ack) => this.socket?.emit("board:join", payload, ack),
      leave: (payload) => this.socket?.emit("board:leave", payload),
      command: (payload, ack) => this.socket?.emit("board:command", payload, ack),
    };
  }

  getState = (): LiveState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The client of a board, created on first use; it joins once someone `acquire`s it. */
  client(boardId: BoardId): BoardClient {
    return this.open(boardId).client;
  }

  /** Starts using a board: connects if needed and joins it. Pair with `release`. */
  acquire(boardId: BoardId): BoardClient {
    clearTimeout(this.idleTimer);
    const open = this.open(boardId);
    clearTimeout(open.closeTimer);
    open.closeTimer = undefined;
    open.unsubscribe?.();
    open.unsubscribe = undefined;
    open.refs++;
    this.ensureSocket();
    if (!open.started && this.socket?.connected) open.client.handleConnect();
    open.started = true;
    return open.client;
  }

  /**
   * Stops using a board. It closes a moment later, so a quick remount (a route change, React's
   * StrictMode) keeps the same client; commands still waiting for an answer keep it open until
   * they are answered, so leaving the page does not lose them while this tab lives.
   */
  release(boardId: BoardId): void {
    const open = this.boards.get(boardId);
    if (!open || open.refs === 0 || --open.refs > 0) return;
    const closeWhenDrained = () => {
      if (open.refs > 0 || open.client.getState().pending > 0) return;
      open.unsubscribe?.();
      open.unsubscribe = undefined;
      open.client.close();
      this.boards.delete(boardId);
      if (this.boards.size === 0 && this.channels.size === 0) this.scheduleIdleClose();
    };
    open.closeTimer = setTimeout(() => {
      open.closeTimer = undefined;
      open.unsubscribe = open.client.subscribe(closeWhenDrained);
      closeWhenDrained();
    }, this.options.boardCloseDelayMs ?? 1_000);
  }

  private open(boardId: BoardId): OpenBoard {
    let open = this.boards.get(boardId);
    if (!open) {
      open = {
        client: new BoardClient(boardId, this.port, this.options.board),
        refs: 0,
        started: false,
        unsubscribe: undefined,
        closeTimer: undefined,
      };
      this.boards.set(boardId, open);
    }
    return open;
  }

  /** Attaches a channel: connects if needed; it is told of every connect until detached. */
  attach(channel: LiveChannel): () => void {
    clearTimeout(this.idleTimer);
    if (this.channels.has(channel)) return () => this.detach(channel);
    this.channels.set(channel, undefined);
    this.ensureSocket();
    const socket = this.socket;
    if (socket) {
      this.channels.set(channel, channel.bind(socket));
      if (socket.connected) channel.handleConnect(socket);
    }
    return () => this.detach(channel);
  }

  private detach(channel: LiveChannel): void {
    if (!this.channels.has(channel)) return;
    this.channels.get(channel)?.();
    this.channels.delete(channel);
    if (this.boards.size === 0 && this.channels.size === 0) this.scheduleIdleClose();
  }

  /** The browser came back online: reconnect now rather than at the end of a back-off. */
  handleOnline(): void {
    this.emitState();
    const socket = this.socket;
    if (!socket || socket.connected || this.state.problem) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!socket.active) socket.connect();
  }

  /**
   * The browser lost its network. A socket that looks open may be dead for a long while (until
   * its ping times out), so close it: commands wait in the outbox, and reconnecting when the
   * network is back rejoins the boards and sends them.
   */
  handleOffline(): void {
    if (!this.socket) return;
    if (this.socket.connected || this.socket.active) this.socket.disconnect();
    this.waitForNetwork();
    this.emitState();
  }

  /** In case the `online` event never comes, look again now and then. */
  private waitForNetwork(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.isOnline()) this.handleOnline();
      else this.waitForNetwork();
    }, NETWORK_CHECK_MS);
  }

  /** Closes everything (tests, sign-out). */
  close(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.idleTimer);
    for (const open of this.boards.values()) {
      clearTimeout(open.closeTimer);
      open.unsubscribe?.();
      open.client.close();
    }
    this.boards.clear();
    for (const unbind of this.channels.values()) unbind?.();
    this.channels.clear();
    this.socket?.disconnect();
    this.socket = null;
  }

  // ---- the socket ----

  private ensureSocket(): void {
    if (this.socket) return;
    const socket = this.options.createSocket();
    this.socket = socket;
    socket.on("connect", () => this.onConnect(socket));
    socket.on("disconnect", (reason) => this.onDisconnect(reason));
    socket.on("connect_error", (error) => this.onConnectError(socket, error));
    socket.on("reconnect", (hint) => {
      const afterMs = Number((hint as { afterMs?: unknown } | undefined)?.afterMs);
      this.serverDelayMs = Number.isFinite(afterMs)
        ? Math.min(Math.max(0, afterMs), MAX_SERVER_DELAY_MS)
        : null;
    });
    socket.on("board:snapshot", (view) => this.boards.get(view?.boardId)?.client.handleSnapshot(view));
    socket.on("board:patch", (patch) => this.boards.get(patch?.boardId)?.client.handlePatch(patch));
    socket.on("board:self", (update) => this.boards.get(update?.boardId)?.client.handleSelf(update));
    socket.on("board:presence", (presence) =>
      this.boards.get(presence?.boardId)?.client.handlePresence(presence),
    );
    for (const channel of this.channels.keys()) this.channels.set(channel, channel.bind(socket));
    socket.connect();
    this.emitState();
  }

  private onConnect(socket: LiveClientSocket): void {
    this.everConnected = true;
    this.retries = 0;
    this.serverDelayMs = null;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.update({ problem: null });
    this.measureClock(socket);
    for (const open of this.boards.values()) if (open.started) open.client.handleConnect();
    for (const channel of this.channels.keys()) channel.handleConnect(socket);
  }

  private onDisconnect(reason: string): void {
    for (const open of this.boards.values()) open.client.handleDisconnect();
    for (const channel of this.channels.keys()) channel.handleDisconnect();
    // The server closed the socket (a draining node, or it cut us off): socket.io will not
    // reconnect by itself after that, so we do, after the delay the server asked for.
    if (reason === "io server disconnect" && this.socket) {
      const delay = this.serverDelayMs ?? this.jitter(MIN_RETRY_MS, 5 * MIN_RETRY_MS);
      this.serverDelayMs = null;
      this.scheduleReconnect(delay);
    }
    this.emitState();
  }

  private onConnectError(socket: LiveClientSocket, error: unknown): void {
    const problem = problemOf(error);
    if (problem !== "retry" && problem !== null) {
      // Asking again will not help: stop, and let the page say what to do.
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      socket.disconnect();
      this.update({ problem });
      return;
    }
    // socket.io retries network failures itself (`active`); a refusal by the server it does not.
    if (!socket.active) this.scheduleReconnect(this.nextBackoff());
    this.emitState();
  }

  private scheduleReconnect(delayMs: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const socket = this.socket;
      if (socket && !socket.connected && !socket.active && !this.state.problem) socket.connect();
    }, delayMs);
  }

  private scheduleIdleClose(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.boards.size > 0 || this.channels.size > 0) return;
      clearTimeout(this.retryTimer);
      this.socket?.disconnect();
      this.socket = null;
      this.everConnected = false;
      this.update({ problem: null });
    }, this.options.idleCloseMs ?? 5_000);
  }

  private nextBackoff(): number {
    const ceiling = Math.min(MAX_RETRY_MS, MIN_RETRY_MS * 2 ** Math.min(this.retries++, 10));
    return this.jitter(ceiling / 2, ceiling);
  }

  private jitter(min: number, max: number): number {
    return Math.round(min + this.random() * (max - min));
  }

  /** Estimates the server's clock from a ping's round trip, so every countdown agrees. */
  private measureClock(socket: LiveClientSocket): void {
    const sentAt = this.now();
    socket.emit("ping", (reply) => {
      const receivedAt = this.now();
      const serverMs = Date.parse(reply?.serverTime ?? "");
      if (!Number.isFinite(serverMs)) return;
      this.update({ clockOffsetMs: Math.round(serverMs - (sentAt + receivedAt) / 2) });
    });
  }

  private statusWith(problem: ConnectionProblem | null): ConnectionStatus {
    if (this.socket?.connected) return "connected";
    if (problem || !this.isOnline()) return "offline";
    return this.everConnected ? "reconnecting" : "connecting";
  }

  private emitState(): void {
    this.update({});
  }

  private update(change: Partial<LiveState>): void {
    const merged = { ...this.state, ...change };
    const next: LiveState = { ...merged, status: this.statusWith(merged.problem) };
    const same =
      next.status === this.state.status &&
      next.problem === this.state.problem &&
      next.clockOffsetMs === this.state.clockOffsetMs;
    if (same) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
