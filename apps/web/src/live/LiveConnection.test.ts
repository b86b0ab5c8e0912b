// The live client against a fake socket: joins and rejoins with `lastSeq`, folds snapshots,
// patches and self updates with @convivio/board, keeps unanswered commands and resends them with
// the same clientOpId, and reconnects when (and as late as) a draining server asks.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  audienceView,
  createBoard,
  decide,
  diffViews,
  selfView,
  viewFor,
  type BoardState,
} from "@convivio/board";
import type { BoardAck, BoardCommand, BoardId, ColumnId, ParticipantId } from "@convivio/protocol";
import { LiveConnection, type LiveClientSocket } from "./LiveConnection";

type Handler = (...args: any[]) => void;

interface Sent {
  event: string;
  payload: any;
  ack: Handler | undefined;
}

/** Just enough of a socket.io client socket, driven by the test as the server would. */
class FakeSocket {
  connected = false;
  active = false;
  connectCalls = 0;
  readonly sent: Sent[] = [];
  private readonly handlers = new Map<string, Handler[]>();

  on(event: string, handler: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  off() {
    return this;
  }
  emit(event: string, ...args: any[]) {
    const last = args.at(-1);
    const ack = typeof last === "function" ? (last as Handler) : undefined;
    this.sent.push({ event, payload: ack && args.length === 1 ? undefined : args[0], ack });
    return this;
  }
  connect() {
    this.active = true;
    this.connectCalls++;
    return this;
  }
  disconnect() {
    const was = this.connected;
    this.connected = false;
    this.active = false;
    if (was) this.fire("disconnect", "io client disconnect");
    return this;
  }

  // ---- the server side ----
  open() {
    this.connected = true;
    this.active = true;
    this.fire("connect");
  }
  drop(reason = "transport close") {
    this.connected = false;
    // socket.io keeps trying after a network drop, not after the server closed the socket.
    this.active = reason !== "io server disconnect";
    this.fire("disconnect", reason);
  }
  fire(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
  sentOf(event: string): Sent[] {
    return this.sent.filter((s) => s.event === event);
  }
  last(event: string): Sent {
    const found = this.sentOf(event).at(-1);
    if (!found) throw new Error(`nothing sent as ${event}`);
    return found;
  }
}

const BOARD = "6f1c2a4e-8d3b-4c5a-9e7f-1a2b3c4d5e6f" as BoardId;
const ME = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" as ParticipantId;
const OTHER = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e" as ParticipantId;
const me = { participantId: ME, role: "participant" } as const;

let ids = 0;
const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`;

/** The server's state after one more command (decided by the real rules). */
function after(state: BoardState, command: Parameters<typeof decide>[1], actor = OTHER) {
  const outcome = decide(state, command, { actor, role: "participant", now: 1_000 + state.seq, newId });
  if (!outcome.ok) throw new Error(`refused: ${outcome.code}`);
  return outcome.state;
}

const propose = (state: BoardState, text: string, actor = OTHER) =>
  after(state, { type: "proposeIdea", boardId: BOARD, columnId: "ideas" as ColumnId, text }, actor);

function setup() {
  const socket = new FakeSocket();
  const network = { online: true };
  const connection = new LiveConnection({
    createSocket: () => socket as unknown as LiveClientSocket,
    isOnline: () => network.online,
    random: () => 0.5,
    board: { ackTimeoutMs: 5_000, retryDelayMs: 100 },
  });
  const client = connection.acquire(BOARD);
  return { socket, connection, client, network };
}

/** Connects, answers the join and sends the snapshot of `state`. */
function joinWith(socket: FakeSocket, state: BoardState) {
  socket.open();
  socket.last("board:join").ack!({ ok: true, seq: state.seq } satisfies BoardAck);
  socket.fire("board:snapshot", viewFor(state, me));
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the live client", () => {
  it("joins when connected and folds a snapshot, patches and self updates into the viewer's view", () => {
    const { socket, client } = setup();
    expect(socket.connectCalls).toBe(1);
    const s0 = propose(createBoard({}, { id: BOARD, now: 0 }), "Bike lanes");
    socket.open();
    expect(socket.last("board:join").payload).toEqual({ boardId: BOARD });
    socket.last("board:join").ack!({ ok: true, seq: s0.seq });
    socket.fire("board:snapshot", viewFor(s0, me));
    expect(client.getState().view).toEqual(viewFor(s0, me));

    const s1 = propose(s0, "Longer library hours", ME);
    socket.fire("board:patch", diffViews(audienceView(s0, "participant"), audienceView(s1, "participant")));
    socket.fire("board:self", { boardId: BOARD, seq: s1.seq, self: selfView(s1, me) });
    expect(client.getState().view).toEqual(viewFor(s1, me));
    expect(client.getState().view?.self?.ownIdeaIds).toHaveLength(1);
  });

  it("ignores a stale patch, and rejoins with its lastSeq on a gap, dropping patches until the join is answered", () => {
    const { socket, client } = setup();
    const s1 = propose(createBoard({}, { id: BOARD, now: 0 }), "one");
    const s2 = propose(s1, "two");
    const s3 = propose(s2, "three");
    joinWith(socket, s1);
    const view = (s: BoardState) => audienceView(s, "participant");

    socket.fire("board:patch", diffViews(view(createBoard({}, { id: BOARD, now: 0 })), view(s1)));
    expect(client.getState().view?.seq).toBe(1);
    expect(socket.sentOf("board:join")).toHaveLength(1);

    // 2 was lost: 3 arrives first.
    socket.fire("board:patch", diffViews(view(s2), view(s3)));
    expect(socket.sentOf("board:join")).toHaveLength(2);
    expect(socket.last("board:join").payload).toEqual({ boardId: BOARD, lastSeq: 1 });
    expect(client.getState().view?.seq).toBe(1);

    // The lost patch turns up late, before the rejoin is answered: the catch-up will cover it.
    socket.fire("board:patch", diffViews(view(s1), view(s2)));
    expect(client.getState().view?.seq).toBe(1);

    socket.last("board:join").ack!({ ok: true, seq: s3.seq });
    socket.fire("board:patch", diffViews(view(s1), view(s3)));
    expect(client.getState().view).toEqual(viewFor(s3, me));
  });

  it("keeps a command through a dropped connection and resends it with the same clientOpId after the rejoin", async () => {
    const { socket, client } = setup();
    const s0 = createBoard({}, { id: BOARD, now: 0 });
    joinWith(socket, s0);

    const answered = vi.fn();
    const sent = client.send({ type: "proposeIdea", columnId: "ideas" as ColumnId, text: "Shade trees" });
    void sent.then(answered);
    const first = socket.last("board:command");
    const opId = (first.payload as BoardCommand).clientOpId;
    expect(first.payload).toMatchObject({ type: "proposeIdea", boardId: BOARD, text: "Shade trees" });
    expect(client.getState().pending).toBe(1);

    socket.drop();
    expect(client.getState().pending).toBe(1);
    socket.open();
    // Nothing is resent before the board is joined again...
    expect(socket.sentOf("board:command")).toHaveLength(1);
    expect(socket.last("board:join").payload).toEqual({ boardId: BOARD, lastSeq: 0 });
    socket.last("board:join").ack!({ ok: true, seq: 0 });
    // ...then it goes again, with the same id.
    const second = socket.last("board:command");
    expect(socket.sentOf("board:command")).toHaveLength(2);
    expect((second.payload as BoardCommand).clientOpId).toBe(opId);

    second.ack!({ ok: true, seq: 1, createdId: newId() });
    // The first attempt's answer turning up late changes nothing.
    first.ack!({ ok: true, seq: 1 });
    await vi.runAllTimersAsync();
    expect(answered).toHaveBeenCalledTimes(1);
    expect(answered).toHaveBeenCalledWith(expect.objectContaining({ ok: true, seq: 1 }));
    expect(client.getState().pending).toBe(0);
  });

  it("sends an unanswered command again after the ack timeout, and retries a rate-limited one, same clientOpId", async () => {
    const { socket, client } = setup();
    joinWith(socket, createBoard({}, { id: BOARD, now: 0 }));
    const result = client.send({ type: "createGroup", title: "Mobility" });
    const opId = (socket.last("board:command").payload as BoardCommand).clientOpId;

    await vi.advanceTimersByTimeAsync(5_000);
    expect(socket.sentOf("board:command")).toHaveLength(2);
    socket.last("board:command").ack!({ ok: false, code: "rate_limited" });
    expect(client.getState().pending).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(socket.sentOf("board:command")).toHaveLength(3);
    expect(socket.sentOf("board:command").map((s) => (s.payload as BoardCommand).clientOpId)).toEqual([
      opId,
      opId,
      opId,
    ]);
    socket.last("board:command").ack!({ ok: false, code: "wrong_phase" });
    await expect(result).resolves.toEqual({ ok: false, code: "wrong_phase" });
    expect(client.getState().pending).toBe(0);
  });

  it("answers waiting commands with the reason when the board cannot be joined", async () => {
    const { socket, client } = setup();
    const result = client.send({ type: "createGroup", title: "Never sent" });
    socket.open();
    socket.last("board:join").ack!({ ok: false, code: "forbidden" });
    await expect(result).resolves.toEqual({ ok: false, code: "forbidden" });
    expect(client.getState()).toMatchObject({ joinError: "forbidden", pending: 0 });
    expect(socket.sentOf("board:command")).toHaveLength(0);
  });

  it("queues commands sent before the board is joined and sends them after the join", () => {
    const { socket, client } = setup();
    void client.send({ type: "castVote", ideaId: newId() as never });
    expect(socket.sentOf("board:command")).toHaveLength(0);
    joinWith(socket, createBoard({}, { id: BOARD, now: 0 }));
    expect(socket.sentOf("board:command")).toHaveLength(1);
  });

  it("reconnects after the delay a draining server asked for, and shows `reconnecting` meanwhile", async () => {
    const { socket, connection } = setup();
    joinWith(socket, createBoard({}, { id: BOARD, now: 0 }));
    expect(connection.getState().status).toBe("connected");

    socket.fire("reconnect", { afterMs: 3_000 });
    socket.drop("io server disconnect");
    expect(connection.getState().status).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(2_999);
    expect(socket.connectCalls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.connectCalls).toBe(2);
    socket.open();
    expect(connection.getState().status).toBe("connected");
    expect(socket.last("board:join").payload).toEqual({ boardId: BOARD, lastSeq: 0 });
  });

  it("stops and says so when the server refuses the session; a network failure is retried", async () => {
    const { socket, connection } = setup();
    socket.active = false;
    socket.fire(
      "connect_error",
      Object.assign(new Error("internal_error"), { data: { code: "internal_error" } }),
    );
    expect(connection.getState().status).toBe("connecting");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(socket.connectCalls).toBe(2);

    socket.active = false;
    socket.fire(
      "connect_error",
      Object.assign(new Error("unauthenticated"), { data: { code: "unauthenticated" } }),
    );
    expect(connection.getState()).toMatchObject({ status: "offline", problem: "unauthenticated" });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(socket.connectCalls).toBe(2);
  });

  it("keeps a released board open until its commands are answered, then leaves it", async () => {
    const { socket, connection, client } = setup();
    joinWith(socket, createBoard({}, { id: BOARD, now: 0 }));
    void client.send({ type: "createGroup", title: "Later" });
    connection.release(BOARD);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(socket.sentOf("board:leave")).toHaveLength(0);
    socket.last("board:command").ack!({ ok: true, seq: 1 });
    expect(socket.sentOf("board:leave")).toEqual([expect.objectContaining({ payload: { boardId: BOARD } })]);
  });

  it("goes offline with the browser, keeps what was sent, and catches up when the network is back", async () => {
    const { socket, connection, client, network } = setup();
    joinWith(socket, createBoard({}, { id: BOARD, now: 0 }));
    network.online = false;
    connection.handleOffline();
    expect(socket.connected).toBe(false);
    expect(connection.getState().status).toBe("offline");
    void client.send({ type: "createGroup", title: "Offline idea" });
    expect(client.getState().pending).toBe(1);

    // No `online` event (it can get lost): the connection looks again by itself.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(socket.connectCalls).toBe(1);
    network.online = true;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(socket.connectCalls).toBe(2);
    socket.open();
    socket.last("board:join").ack!({ ok: true, seq: 0 });
    expect(socket.last("board:command").payload).toMatchObject({
      type: "createGroup",
      title: "Offline idea",
    });
  });

  it("measures the server's clock at connect", () => {
    const { socket, connection } = setup();
    vi.setSystemTime(10_000);
    socket.open();
    socket.last("ping").ack!({ ok: true, serverTime: new Date(12_500).toISOString() });
    expect(connection.getState().clockOffsetMs).toBe(2_500);
  });
});
