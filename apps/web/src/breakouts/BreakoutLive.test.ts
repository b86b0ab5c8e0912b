import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BreakoutAssignment, BreakoutPublicState, FacilitatorCall } from "@convivio/protocol";
import type { LiveClientSocket } from "../live/LiveConnection";
import { BreakoutLive, BROADCAST_TOAST_MS, TOAST_MS } from "./BreakoutLive";

const SESSION = "5f0c6f53-54c8-4bd4-9d3c-5a3d2f1f8e01";
const OTHER = "7d1d36ad-3c4e-4c8a-8a7e-0e6c3a7f7b02";

/** A socket that records what is emitted and lets the test play the server. */
class FakeSocket {
  readonly handlers = new Map<string, (payload: never) => void>();
  readonly sent: { event: string; payload: unknown; ack?: (err: Error | null, reply: unknown) => void }[] =
    [];
  on(event: string, handler: (payload: never) => void) {
    this.handlers.set(event, handler);
  }
  off(event: string) {
    this.handlers.delete(event);
  }
  emit(event: string, payload: unknown) {
    this.sent.push({ event, payload });
  }
  timeout() {
    return {
      emit: (event: string, payload: unknown, ack: (err: Error | null, reply: unknown) => void) =>
        this.sent.push({ event, payload, ack }),
    };
  }
  serve(event: string, payload: unknown) {
    this.handlers.get(event)?.(payload as never);
  }
}

const state = (overrides: Partial<BreakoutPublicState> = {}): BreakoutPublicState => ({
  sessionId: SESSION,
  runId: null,
  state: null,
  strategy: null,
  round: 0,
  rounds: 1,
  endsAt: null,
  closingAt: null,
  tables: [],
  ...overrides,
});

const seat = (tableId: string | null, reason: BreakoutAssignment["reason"]): BreakoutAssignment => ({
  sessionId: SESSION,
  runId: "0b7e3a51-8c1f-4d3e-9b2a-6f4e5d3c2b10",
  table: tableId
    ? { id: tableId, number: 3, topic: "Mobility", boardId: null, room: `convivio.s.${SESSION}.t.${tableId}` }
    : null,
  round: 1,
  media: null,
  reason,
});

const call = (userId: string): FacilitatorCall => ({
  id: "9c4f0a3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b",
  userId,
  name: "Sara",
  tableId: null,
  tableNumber: 3,
  message: "We are stuck",
  at: "2026-01-01T10:00:00Z",
});
const ME = "1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b";

describe("BreakoutLive", () => {
  let socket: FakeSocket;
  let client: BreakoutLive;
  beforeEach(() => {
    vi.useFakeTimers();
    socket = new FakeSocket();
    client = new BreakoutLive(SESSION);
    client.bind(socket as unknown as LiveClientSocket);
  });
  afterEach(() => {
    client.close();
    vi.useRealTimers();
  });

  function connect() {
    client.handleConnect(socket as unknown as LiveClientSocket);
    const join = socket.sent.find((s) => s.event === "breakout:join")!;
    expect(join.payload).toEqual({ sessionId: SESSION });
    return join;
  }

  it("follows the session on every connect and takes its seat from the answer", () => {
    const join = connect();
    join.ack!(null, {
      ok: true,
      breakout: { state: state(), assignment: seat("a1b2c3d4-0000-4000-8000-000000000001", "latecomer") },
      calls: [],
      myCall: null,
    });
    expect(client.getState()).toMatchObject({
      joined: true,
      assignment: { reason: "latecomer", table: { number: 3 } },
    });
    client.handleDisconnect();
    expect(client.getState().joined).toBe(false);
    connect();
    expect(socket.sent.filter((s) => s.event === "breakout:join")).toHaveLength(2);
  });

  it("keeps a refusal, and sends no command until joined", async () => {
    connect().ack!(null, { ok: false, code: "forbidden" });
    expect(client.getState()).toMatchObject({ joined: false, joinError: "forbidden" });
    expect(await client.command({ type: "call" })).toEqual({ ok: false, code: "not_ready" });
  });

  it("moves with the server, ignores other sessions, and sends commands with the session id", async () => {
    connect().ack!(null, {
      ok: true,
      breakout: { state: state(), assignment: seat(null, "current") },
      calls: [],
      myCall: null,
    });
    socket.serve("breakout:assigned", {
      ...seat("a1b2c3d4-0000-4000-8000-000000000001", "moved"),
      sessionId: OTHER,
    });
    expect(client.getState().assignment?.table).toBeNull();
    socket.serve("breakout:assigned", seat("a1b2c3d4-0000-4000-8000-000000000001", "moved"));
    expect(client.getState().assignment?.reason).toBe("moved");
    socket.serve(
      "breakout:state",
      state({ runId: "0b7e3a51-8c1f-4d3e-9b2a-6f4e5d3c2b10", state: "running" }),
    );
    expect(client.getState().state?.state).toBe("running");

    const pending = client.command({ type: "call", message: "Help" });
    const sent = socket.sent.at(-1)!;
    expect(sent).toMatchObject({
      event: "breakout:command",
      payload: { type: "call", message: "Help", sessionId: SESSION },
    });
    sent.ack!(null, { ok: true });
    expect(await pending).toEqual({ ok: true });
  });

  it("shows notices as toasts that go away by themselves (broadcasts stay longer)", () => {
    connect().ack!(null, {
      ok: true,
      breakout: { state: state(), assignment: seat(null, "current") },
      calls: [],
      myCall: null,
    });
    socket.serve("breakout:notice", { kind: "warning", sessionId: SESSION, endsAt: "2026-01-01T10:00:00Z" });
    socket.serve("breakout:notice", {
      kind: "broadcast",
      sessionId: SESSION,
      message: "Five minutes",
      from: "Marco",
    });
    expect(client.getState().toasts.map((t) => t.notice.kind)).toEqual(["warning", "broadcast"]);
    vi.advanceTimersByTime(TOAST_MS);
    expect(client.getState().toasts.map((t) => t.notice.kind)).toEqual(["broadcast"]);
    vi.advanceTimersByTime(BROADCAST_TOAST_MS);
    expect(client.getState().toasts).toEqual([]);
  });

  it("takes the open calls from the join's answer, so a reload keeps them; the caller's resets when answered", () => {
    connect().ack!(null, {
      ok: true,
      breakout: { state: state(), assignment: seat("a1b2c3d4-0000-4000-8000-000000000001", "current") },
      calls: [call("5d6e7f80-9a0b-4c1d-8e2f-3a4b5c6d7e8f")],
      myCall: call(ME),
    });
    expect(client.getState().calls).toHaveLength(1);
    expect(client.getState().myCall?.userId).toBe(ME);
    socket.serve("breakout:myCall", { sessionId: OTHER, call: null });
    expect(client.getState().myCall).not.toBeNull();
    socket.serve("breakout:myCall", { sessionId: SESSION, call: null });
    expect(client.getState().myCall).toBeNull();
  });

  it("leaves the session's breakouts when let go, and asks again after a refusal", () => {
    connect().ack!(null, { ok: false, code: "session_not_live" });
    expect(client.getState()).toMatchObject({ joined: false, joinError: "session_not_live" });
    client.rejoin();
    const joins = () => socket.sent.filter((s) => s.event === "breakout:join");
    expect(joins()).toHaveLength(2);
    // A second ask while the first is on its way sends nothing more.
    client.rejoin();
    expect(joins()).toHaveLength(2);
    joins()[1]!.ack!(null, {
      ok: true,
      breakout: { state: state(), assignment: seat(null, "current") },
      calls: [],
      myCall: null,
    });
    expect(client.getState().joined).toBe(true);
    client.rejoin();
    expect(joins()).toHaveLength(2);
    client.leave();
    expect(socket.sent.at(-1)).toEqual({ event: "breakout:leave", payload: { sessionId: SESSION } });
    expect(client.getState().joined).toBe(false);
  });
});
