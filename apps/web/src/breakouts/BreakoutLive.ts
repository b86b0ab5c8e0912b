// A session's breakout tables as this browser sees them, on the page's live connection (a
// `LiveChannel`): it follows the session's breakouts on every connect (which also seats a
// latecomer) and stops when the page lets it go, keeps the public state, this person's seat (with
// the media token for the table's room), the notices to show as toasts, this person's own call for
// a facilitator and, for facilitators, every open call (both seeded by the join's answer, so a
// reload forgets none); and sends commands.
import {
  ErrorCode,
  type BreakoutAck,
  type BreakoutAssignment,
  type BreakoutCommandInput,
  type BreakoutJoinAck,
  type BreakoutNotice,
  type BreakoutPublicState,
  type FacilitatorCall,
  type MyCall,
} from "@convivio/protocol";
import type { LiveChannel, LiveClientSocket } from "../live/LiveConnection";

export interface Toast {
  id: number;
  notice: BreakoutNotice;
}

export interface BreakoutClientState {
  readonly joined: boolean;
  readonly joinError: string | null;
  readonly state: BreakoutPublicState | null;
  readonly assignment: BreakoutAssignment | null;
  readonly toasts: readonly Toast[];
  /** For facilitators: the open calls of the run. */
  readonly calls: readonly FacilitatorCall[];
  /** This person's own open call, until a facilitator answers it or it lapses. */
  readonly myCall: FacilitatorCall | null;
  /** Bumped on every change a facilitator's overview should refetch for. */
  readonly version: number;
}

const ACK_TIMEOUT_MS = 15_000;
/** How long a toast stays (a broadcast stays longer: people read it). */
export const TOAST_MS = 8_000;
export const BROADCAST_TOAST_MS = 20_000;

type LooseSocket = {
  on(event: string, handler: (payload: never) => void): void;
  off(event: string, handler: (payload: never) => void): void;
  emit(event: string, payload: unknown, ack?: (reply: never) => void): void;
  timeout(ms: number): {
    emit(event: string, payload: unknown, ack: (err: Error | null, reply: never) => void): void;
  };
};

export class BreakoutLive implements LiveChannel {
  private state: BreakoutClientState = {
    joined: false,
    joinError: null,
    state: null,
    assignment: null,
    toasts: [],
    calls: [],
    myCall: null,
    version: 0,
  };
  private readonly listeners = new Set<() => void>();
  private socket: LooseSocket | null = null;
  private connected = false;
  /** A join is on its way (its answer not back yet). */
  private joining = false;
  private nextToast = 1;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(readonly sessionId: string) {}

  getState = (): BreakoutClientState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  bind(socket: LiveClientSocket): () => void {
    const loose = socket as unknown as LooseSocket;
    this.socket = loose;
    const mine =
      <T extends { sessionId: string }>(fn: (payload: T) => void) =>
      (payload: T) => {
        if (payload?.sessionId === this.sessionId) fn(payload);
      };
    const handlers: Record<string, (payload: never) => void> = {
      "breakout:assigned": mine((assignment: BreakoutAssignment) =>
        this.update({ assignment, version: this.state.version + 1 }),
      ),
      "breakout:state": mine((state: BreakoutPublicState) =>
        this.update({ state, version: this.state.version + 1 }),
      ),
      "breakout:notice": mine((notice: BreakoutNotice) => this.toast(notice)),
      "breakout:calls": mine((payload: { sessionId: string; calls: FacilitatorCall[] }) =>
        this.update({ calls: payload.calls, version: this.state.version + 1 }),
      ),
      "breakout:myCall": mine((payload: MyCall) => this.update({ myCall: payload.call })),
    };
    for (const [event, handler] of Object.entries(handlers)) loose.on(event, handler);
    return () => {
      for (const [event, handler] of Object.entries(handlers)) loose.off(event, handler);
      if (this.socket === loose) this.socket = null;
    };
  }

  handleConnect(socket: LiveClientSocket): void {
    this.socket = socket as unknown as LooseSocket;
    this.connected = true;
    this.joining = true;
    this.socket.timeout(ACK_TIMEOUT_MS).emit("breakout:join", { sessionId: this.sessionId }, (err, reply) => {
      this.joining = false;
      const ack = reply as BreakoutJoinAck | undefined;
      if (err || !ack) return this.update({ joined: false, joinError: ErrorCode.internal });
      if (!ack.ok) return this.update({ joined: false, joinError: ack.code });
      this.update({
        joined: true,
        joinError: null,
        state: ack.breakout.state,
        assignment: ack.breakout.assignment,
        calls: ack.calls,
        myCall: ack.myCall,
        version: this.state.version + 1,
      });
    });
  }

  handleDisconnect(): void {
    this.connected = false;
    this.update({ joined: false });
  }

  /** Asks again after a refusal (the session went live after a `session_not_live`). */
  rejoin(): void {
    if (this.connected && this.socket && !this.state.joined && !this.joining)
      this.handleConnect(this.socket as never);
  }

  /** Stops following the session's breakouts (the page let go of them). */
  leave(): void {
    if (this.connected && this.state.joined)
      this.socket?.emit("breakout:leave", { sessionId: this.sessionId });
    this.update({ joined: false });
  }

  /** Sends a command (the session id is added); resolves with the server's answer. */
  command(command: DistributiveOmit<BreakoutCommandInput, "sessionId">): Promise<BreakoutAck> {
    const socket = this.socket;
    if (!socket || !this.state.joined) return Promise.resolve({ ok: false, code: ErrorCode.notReady });
    return new Promise((resolve) => {
      socket
        .timeout(ACK_TIMEOUT_MS)
        .emit("breakout:command", { ...command, sessionId: this.sessionId }, (err, reply) =>
          resolve(err || !reply ? { ok: false, code: ErrorCode.internal } : (reply as BreakoutAck)),
        );
    });
  }

  dismiss(id: number): void {
    this.update({ toasts: this.state.toasts.filter((t) => t.id !== id) });
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.listeners.clear();
  }

  private toast(notice: BreakoutNotice): void {
    const id = this.nextToast++;
    this.update({ toasts: [...this.state.toasts, { id, notice }].slice(-4) });
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.dismiss(id);
      },
      notice.kind === "broadcast" ? BROADCAST_TOAST_MS : TOAST_MS,
    );
    this.timers.add(timer);
  }

  private update(patch: Partial<BreakoutClientState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
