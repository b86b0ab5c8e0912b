// One live session as this browser sees it, on the page's live connection (a `LiveChannel`): it
// joins on every connect, keeps the session's state, people, hands and chat rooms current from
// the server's events, and sends chat messages with a clientOpId that survives reconnects, so a
// message is stored once whatever happened to the first attempt (PROTOCOL.md §9).
import {
  ErrorCode,
  type ChatDeleted,
  type ChatJoinAck,
  type ChatMessage,
  type ChatSendAck,
  type RaisedHand,
  type SessionAck,
  type SessionAckCode,
  type SessionJoinAck,
  type SessionLiveState,
  type SessionParticipant,
  type SessionRole,
} from "@convivio/protocol";
import type { LiveChannel, LiveClientSocket } from "../live/LiveConnection";
import { newClientOpId } from "../live/opId";
import {
  applyDeletion,
  confirmPending,
  emptyRoom,
  failPending,
  mergeMessages,
  type ChatRoomState,
} from "./chatModel";

export interface SessionLiveClientState {
  readonly joined: boolean;
  readonly joinError: SessionAckCode | null;
  readonly role: SessionRole | null;
  readonly live: SessionLiveState | null;
  readonly participants: readonly SessionParticipant[];
  readonly hands: readonly RaisedHand[];
  /** A facilitator has brought this person on stage. */
  readonly onStage: boolean;
  /** Chat rooms followed, by `roomKey`. */
  readonly rooms: Readonly<Record<string, ChatRoomState>>;
}

/** `plenary` or the table's id. */
export const roomKey = (tableId: string | null) => tableId ?? "plenary";

/** Answers that mean "not now": nothing was stored, so the same message may go again. */
const RETRYABLE: ReadonlySet<SessionAckCode> = new Set([
  ErrorCode.rateLimited,
  ErrorCode.internal,
  ErrorCode.notReady,
]);
const ACK_TIMEOUT_MS = 10_000;
const RETRY_MS = 2_000;

interface Outgoing {
  tableId: string | null;
  clientOpId: string;
  text: string;
  inFlight: boolean;
}

export class SessionLive implements LiveChannel {
  private state: SessionLiveClientState = {
    joined: false,
    joinError: null,
    role: null,
    live: null,
    participants: [],
    hands: [],
    onStage: false,
    rooms: { plenary: emptyRoom },
  };
  private readonly listeners = new Set<() => void>();
  private socket: LiveClientSocket | null = null;
  private connected = false;
  /** Table chats wanted, with how many components use each. */
  private readonly tables = new Map<string, number>();
  private readonly outbox: Outgoing[] = [];
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly sessionId: string,
    private readonly userId: string | null,
  ) {}

  getState = (): SessionLiveClientState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  // ---- LiveChannel ----

  bind(socket: LiveClientSocket): () => void {
    this.socket = socket;
    const mine =
      <T extends { sessionId: string }>(fn: (payload: T) => void) =>
      (payload: T) => {
        if (payload?.sessionId === this.sessionId) fn(payload);
      };
    const handlers = {
      "session:state": mine((live: SessionLiveState) => this.update({ live })),
      "session:participants": mine((p: { sessionId: string; participants: SessionParticipant[] }) =>
        this.update({ participants: p.participants }),
      ),
      "session:hands": mine((h: { sessionId: string; hands: RaisedHand[] }) => this.setHands(h.hands)),
      "session:stage": mine((s: { sessionId: string; onStage: boolean }) =>
        this.update({ onStage: s.onStage }),
      ),
      "chat:message": mine((message: ChatMessage) => this.received(message)),
      "chat:deleted": mine((deleted: ChatDeleted) => this.deleted(deleted)),
    } as const;
    for (const [event, handler] of Object.entries(handlers)) {
      (socket.on as (e: string, h: (p: never) => void) => void)(event, handler as (p: never) => void);
    }
    return () => {
      for (const [event, handler] of Object.entries(handlers)) {
        (socket.off as (e: string, h: (p: never) => void) => void)(event, handler as (p: never) => void);
      }
      if (this.socket === socket) this.socket = null;
    };
  }

  handleConnect(socket: LiveClientSocket): void {
    this.socket = socket;
    this.connected = true;
    socket.emit("session:join", { sessionId: this.sessionId as never }, (ack: SessionJoinAck) =>
      this.joinedWith(ack),
    );
  }

  handleDisconnect(): void {
    this.connected = false;
    for (const item of this.outbox) item.inFlight = false;
    const rooms = Object.fromEntries(
      Object.entries(this.state.rooms).map(([key, room]) => [key, { ...room, joined: false }]),
    );
    this.update({ joined: false, rooms });
  }

  /** Asks to join again (a waiting participant, once the session went live). */
  rejoin(): void {
    if (this.connected && this.socket && !this.state.joined) this.handleConnect(this.socket);
  }

  /** Leaves the session (the page closed). */
  leave(): void {
    clearTimeout(this.retryTimer);
    if (this.connected) this.socket?.emit("session:leave", { sessionId: this.sessionId as never });
  }

  // ---- chat ----

  /** Follows a table's chat (the plenary is always followed). Pair with `closeChat`. */
  openChat(tableId: string | null): void {
    if (tableId === null) return;
    this.tables.set(tableId, (this.tables.get(tableId) ?? 0) + 1);
    if (!this.state.rooms[tableId]) this.setRoom(tableId, emptyRoom);
    if (this.state.joined) this.joinTable(tableId);
  }

  closeChat(tableId: string | null): void {
    if (tableId === null) return;
    const refs = (this.tables.get(tableId) ?? 0) - 1;
    if (refs > 0) {
      this.tables.set(tableId, refs);
      return;
    }
    this.tables.delete(tableId);
    if (this.connected) this.socket?.emit("chat:leave", { sessionId: this.sessionId as never, tableId });
    const { [tableId]: _gone, ...rooms } = this.state.rooms;
    this.update({ rooms });
  }

  /** Sends a message; it shows as pending until the server stores it. */
  say(tableId: string | null, text: string): void {
    const item: Outgoing = { tableId, clientOpId: newClientOpId(), text, inFlight: false };
    this.outbox.push(item);
    const key = roomKey(tableId);
    const room = this.state.rooms[key] ?? emptyRoom;
    this.setRoom(key, {
      ...room,
      pending: [...room.pending, { clientOpId: item.clientOpId, text, error: null }],
    });
    this.flush();
  }

  /** Forgets a message the server refused. */
  discard(tableId: string | null, clientOpId: string): void {
    const key = roomKey(tableId);
    const room = this.state.rooms[key];
    if (room)
      this.setRoom(key, { ...room, pending: room.pending.filter((p) => p.clientOpId !== clientOpId) });
  }

  deleteMessage(tableId: string | null, messageId: string): Promise<SessionAck> {
    return this.request("chat:delete", { sessionId: this.sessionId, tableId, messageId });
  }

  // ---- hands ----

  raiseHand(): Promise<SessionAck> {
    return this.request("hand:raise", { sessionId: this.sessionId });
  }

  lowerHand(userId?: string): Promise<SessionAck> {
    return this.request("hand:lower", { sessionId: this.sessionId, ...(userId ? { userId } : {}) });
  }

  setStage(userId: string, onStage: boolean): Promise<SessionAck> {
    return this.request("hand:stage", { sessionId: this.sessionId, userId, onStage });
  }

  close(): void {
    clearTimeout(this.retryTimer);
    this.listeners.clear();
  }

  // ---- internals ----

  private request(event: string, payload: object): Promise<SessionAck> {
    const socket = this.socket;
    if (!socket || !this.connected) return Promise.resolve({ ok: false, code: ErrorCode.notReady });
    return new Promise((resolve) => {
      (
        socket.timeout(ACK_TIMEOUT_MS).emit as (
          e: string,
          p: object,
          a: (err: unknown, ack: SessionAck) => void,
        ) => void
      )(event, payload, (err, ack) => resolve(err ? { ok: false, code: ErrorCode.notReady } : ack));
    });
  }

  private joinedWith(ack: SessionJoinAck): void {
    if (!ack?.ok) {
      this.update({ joined: false, joinError: ack?.code ?? ErrorCode.internal });
      return;
    }
    const plenary = this.state.rooms.plenary ?? emptyRoom;
    this.update({
      joined: true,
      joinError: null,
      role: ack.role,
      live: ack.state,
      participants: ack.participants,
      rooms: {
        ...this.state.rooms,
        plenary: {
          ...plenary,
          joined: true,
          joinError: null,
          messages: mergeMessages(plenary.messages, ack.chat),
        },
      },
    });
    this.setHands(ack.hands);
    for (const tableId of this.tables.keys()) this.joinTable(tableId);
    this.flush();
  }

  private joinTable(tableId: string): void {
    this.socket?.emit("chat:join", { sessionId: this.sessionId as never, tableId }, (ack: ChatJoinAck) => {
      if (!this.tables.has(tableId)) return;
      const room = this.state.rooms[tableId] ?? emptyRoom;
      if (!ack?.ok) {
        this.setRoom(tableId, { ...room, joined: false, joinError: ack?.code ?? ErrorCode.internal });
        return;
      }
      this.setRoom(tableId, {
        ...room,
        joined: true,
        joinError: null,
        messages: mergeMessages(room.messages, ack.messages),
      });
      this.flush();
    });
  }

  private flush(): void {
    if (!this.connected || !this.state.joined) return;
    for (const item of this.outbox) {
      if (item.inFlight) continue;
      const room = this.state.rooms[roomKey(item.tableId)];
      if (item.tableId !== null && !room?.joined) continue;
      item.inFlight = true;
      const socket = this.socket;
      if (!socket) return;
      socket.timeout(ACK_TIMEOUT_MS).emit(
        "chat:send",
        {
          sessionId: this.sessionId as never,
          tableId: item.tableId,
          clientOpId: item.clientOpId,
          text: item.text,
        },
        (err: unknown, ack: ChatSendAck) => this.answered(item, err ? null : ack),
      );
    }
  }

  private answered(item: Outgoing, ack: ChatSendAck | null): void {
    if (!this.outbox.includes(item)) return;
    item.inFlight = false;
    const key = roomKey(item.tableId);
    const room = this.state.rooms[key] ?? emptyRoom;
    if (ack?.ok) {
      this.outbox.splice(this.outbox.indexOf(item), 1);
      this.setRoom(key, confirmPending(room, item.clientOpId, ack.message));
      return;
    }
    if (ack === null || RETRYABLE.has(ack.code)) {
      // No answer (or "not now"): the same clientOpId goes again, so it is stored at most once.
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.flush(), RETRY_MS);
      return;
    }
    this.outbox.splice(this.outbox.indexOf(item), 1);
    this.setRoom(key, failPending(room, item.clientOpId, ack.code));
  }

  private received(message: ChatMessage): void {
    const key = roomKey(message.tableId);
    const room = this.state.rooms[key];
    if (!room) return;
    this.setRoom(key, { ...room, messages: mergeMessages(room.messages, [message]) });
  }

  private deleted(deleted: ChatDeleted): void {
    const key = roomKey(deleted.tableId);
    const room = this.state.rooms[key];
    if (!room) return;
    this.setRoom(key, { ...room, messages: applyDeletion(room.messages, deleted) });
  }

  private setHands(hands: readonly RaisedHand[]): void {
    const mine = this.userId ? hands.find((h) => h.userId === this.userId) : undefined;
    this.update({ hands, onStage: mine?.onStage ?? false });
  }

  private setRoom(key: string, room: ChatRoomState): void {
    this.update({ rooms: { ...this.state.rooms, [key]: room } });
  }

  private update(change: Partial<SessionLiveClientState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}
