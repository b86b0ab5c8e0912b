// The session client on the page's live connection, against a fake socket driven as the server
// would: it joins on every connect, follows state, people and hands, keeps chat messages until the
// server stores them and resends them with the same clientOpId after a reconnect, and follows a
// table's chat only while asked to.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChatMessage, SessionJoinAck } from "@convivio/protocol";
import { LiveConnection, type LiveClientSocket } from "../live/LiveConnection";
import { SessionLive } from "./SessionLive";

type Handler = (...args: any[]) => void;

interface Sent {
  event: string;
  payload: any;
  ack: Handler | undefined;
  /** Sent through `timeout()`: the ack takes (err, reply). */
  timed: boolean;
}

class FakeSocket {
  connected = false;
  active = false;
  readonly sent: Sent[] = [];
  private readonly handlers = new Map<string, Handler[]>();

  on(event: string, handler: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  off(event: string, handler: Handler) {
    this.handlers.set(
      event,
      (this.handlers.get(event) ?? []).filter((h) => h !== handler),
    );
    return this;
  }
  emit(event: string, ...args: any[]) {
    return this.record(event, args, false);
  }
  timeout() {
    return { emit: (event: string, ...args: any[]) => this.record(event, args, true) };
  }
  private record(event: string, args: any[], timed: boolean) {
    const last = args.at(-1);
    const ack = typeof last === "function" ? (last as Handler) : undefined;
    this.sent.push({ event, payload: ack && args.length === 1 ? undefined : args[0], ack, timed });
    return this;
  }
  connect() {
    this.active = true;
    return this;
  }
  disconnect() {
    this.connected = false;
    this.active = false;
    return this;
  }
  open() {
    this.connected = true;
    this.active = true;
    this.fire("connect");
  }
  drop() {
    this.connected = false;
    this.fire("disconnect", "transport close");
  }
  fire(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
  sentOf(event: string) {
    return this.sent.filter((s) => s.event === event);
  }
  last(event: string): Sent {
    const found = this.sentOf(event).at(-1);
    if (!found) throw new Error(`nothing sent as ${event}`);
    return found;
  }
  answer(sent: Sent, reply: unknown) {
    if (sent.timed) sent.ack!(null, reply);
    else sent.ack!(reply);
  }
}

const SESSION = "6f1c2a4e-8d3b-4c5a-9e7f-1a2b3c4d5e6f";
const ME = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const OTHER = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";

const joinAck = (chat: ChatMessage[] = []): SessionJoinAck => ({
  ok: true,
  role: "participant",
  state: {
    sessionId: SESSION as never,
    status: "live",
    startedAt: "2027-03-01T09:00:00.000Z",
    endedAt: null,
  },
  participants: [{ userId: ME, name: "Me", role: "participant" }],
  hands: [],
  chat,
});

const stored = (id: number, text: string, tableId: string | null = null, author = ME): ChatMessage => ({
  id: `00000000-0000-4000-8000-${String(id).padStart(12, "0")}`,
  sessionId: SESSION as never,
  tableId,
  authorId: author,
  authorName: author === ME ? "Me" : "Other",
  text,
  createdAt: `2027-03-01T09:0${id}:00.000Z`,
  deletedAt: null,
  deletedBy: null,
});

function setup() {
  const socket = new FakeSocket();
  const connection = new LiveConnection({
    createSocket: () => socket as unknown as LiveClientSocket,
    random: () => 0.5,
  });
  const session = new SessionLive(SESSION, ME);
  const detach = connection.attach(session);
  return { socket, connection, session, detach };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the live session client", () => {
  it("joins on connect, takes the plenary history and follows state, people and hands", () => {
    const { socket, session } = setup();
    socket.open();
    expect(socket.last("session:join").payload).toEqual({ sessionId: SESSION });
    socket.answer(socket.last("session:join"), joinAck([stored(1, "hello")]));
    expect(session.getState()).toMatchObject({ joined: true, role: "participant", live: { status: "live" } });
    expect(session.getState().rooms.plenary!.messages.map((m) => m.text)).toEqual(["hello"]);

    socket.fire("session:participants", {
      sessionId: SESSION,
      participants: [
        { userId: ME, name: "Me", role: "participant" },
        { userId: OTHER, name: "Other", role: "facilitator" },
      ],
    });
    expect(session.getState().participants).toHaveLength(2);
    socket.fire("session:hands", {
      sessionId: SESSION,
      hands: [{ userId: ME, name: "Me", raisedAt: "2027-03-01T09:00:00.000Z", onStage: true }],
    });
    expect(session.getState().onStage).toBe(true);
    socket.fire("session:hands", { sessionId: SESSION, hands: [] });
    expect(session.getState().onStage).toBe(false);
    // Events about another session are not ours.
    socket.fire("session:state", { sessionId: OTHER, status: "ended", startedAt: null, endedAt: null });
    expect(session.getState().live?.status).toBe("live");
    socket.fire("session:state", { sessionId: SESSION, status: "ended", startedAt: null, endedAt: null });
    expect(session.getState().live?.status).toBe("ended");
  });

  it("keeps a message until it is stored, and resends it with the same clientOpId after a reconnect", () => {
    const { socket, session } = setup();
    session.say(null, "before connecting");
    expect(session.getState().rooms.plenary!.pending).toHaveLength(1);
    socket.open();
    expect(socket.sentOf("chat:send")).toHaveLength(0);
    socket.answer(socket.last("session:join"), joinAck());
    const first = socket.last("chat:send");
    expect(first.payload).toMatchObject({ sessionId: SESSION, tableId: null, text: "before connecting" });

    // The connection drops before the answer: the same op goes again once rejoined.
    socket.drop();
    socket.open();
    socket.answer(socket.last("session:join"), joinAck());
    const second = socket.last("chat:send");
    expect(second.payload.clientOpId).toBe(first.payload.clientOpId);
    socket.answer(second, { ok: true, message: stored(1, "before connecting") });
    // The late answer to the first attempt changes nothing.
    socket.answer(first, { ok: true, message: stored(1, "before connecting") });
    const room = session.getState().rooms.plenary!;
    expect(room.pending).toEqual([]);
    expect(room.messages.map((m) => m.text)).toEqual(["before connecting"]);
    // The broadcast of our own message does not duplicate it.
    socket.fire("chat:message", stored(1, "before connecting"));
    expect(session.getState().rooms.plenary!.messages).toHaveLength(1);
  });

  it("retries a rate-limited message and keeps a refused one marked", () => {
    const { socket, session } = setup();
    socket.open();
    socket.answer(socket.last("session:join"), joinAck());
    session.say(null, "too fast");
    const first = socket.last("chat:send");
    socket.answer(first, { ok: false, code: "rate_limited" });
    vi.advanceTimersByTime(5_000);
    const retry = socket.last("chat:send");
    expect(retry).not.toBe(first);
    expect(retry.payload.clientOpId).toBe(first.payload.clientOpId);
    socket.answer(retry, { ok: false, code: "session_not_live" });
    expect(session.getState().rooms.plenary!.pending).toEqual([
      { clientOpId: first.payload.clientOpId, text: "too fast", error: "session_not_live" },
    ]);
    session.discard(null, first.payload.clientOpId);
    expect(session.getState().rooms.plenary!.pending).toEqual([]);
  });

  it("shows a facilitator's deletion to everyone", () => {
    const { socket, session } = setup();
    socket.open();
    socket.answer(socket.last("session:join"), joinAck([stored(1, "rude", null, OTHER)]));
    socket.fire("chat:deleted", {
      sessionId: SESSION,
      tableId: null,
      messageId: stored(1, "").id,
      deletedAt: "2027-03-01T09:09:00.000Z",
      deletedBy: OTHER,
    });
    expect(session.getState().rooms.plenary!.messages[0]).toMatchObject({ text: "", deletedBy: OTHER });
  });

  it("follows a table's chat while asked, rejoining it after a reconnect", () => {
    const { socket, session } = setup();
    socket.open();
    socket.answer(socket.last("session:join"), joinAck());
    session.openChat("t1");
    expect(socket.last("chat:join").payload).toEqual({ sessionId: SESSION, tableId: "t1" });
    socket.last("chat:join").ack!({ ok: true, messages: [stored(2, "at the table", "t1")] });
    expect(session.getState().rooms.t1!.messages.map((m) => m.text)).toEqual(["at the table"]);
    socket.fire("chat:message", stored(3, "plenary", null, OTHER));
    expect(session.getState().rooms.t1!.messages).toHaveLength(1);

    socket.drop();
    socket.open();
    socket.answer(socket.last("session:join"), joinAck());
    expect(socket.sentOf("chat:join")).toHaveLength(2);
    socket.last("chat:join").ack!({ ok: false, code: "table_chat_unavailable" });
    expect(session.getState().rooms.t1!.joinError).toBe("table_chat_unavailable");

    session.closeChat("t1");
    expect(socket.last("chat:leave").payload).toEqual({ sessionId: SESSION, tableId: "t1" });
    expect(session.getState().rooms.t1).toBeUndefined();
  });

  it("says why it cannot join, and joins again when asked once the session is live", () => {
    const { socket, session } = setup();
    socket.open();
    socket.answer(socket.last("session:join"), { ok: false, code: "session_not_live" });
    expect(session.getState()).toMatchObject({ joined: false, joinError: "session_not_live" });
    session.rejoin();
    expect(socket.sentOf("session:join")).toHaveLength(2);
    socket.answer(socket.last("session:join"), joinAck());
    expect(session.getState()).toMatchObject({ joined: true, joinError: null });
  });

  it("keeps the connection open while attached and lets it close once detached", () => {
    const { socket, detach } = setup();
    socket.open();
    vi.advanceTimersByTime(60_000);
    expect(socket.connected).toBe(true);
    detach();
    vi.advanceTimersByTime(60_000);
    expect(socket.connected).toBe(false);
  });
});
