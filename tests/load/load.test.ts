// The load harness at small scale, so it keeps working: every part runs end to end against the
// built server (and the relay reference) and must be correct — nothing lost or duplicated, exactly
// the seats confirmed, every join through. Timings are only printed; `npm run bench` measures.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBoard, type BoardResult } from "./board.js";
import { runJoin } from "./join.js";
import { runRegistration } from "./registration.js";
import { startRelayServer, type Relay } from "./relay.js";

function expectIntact(result: BoardResult, clients: number): void {
  expect(result.connect.connected).toBe(clients);
  expect(result.connect.failed).toBe(0);
  expect(result.votes.ok).toBe(result.votes.planned);
  expect(result.votes.timeouts).toBe(0);
  expect(result.integrity).toMatchObject({
    clients,
    behind: 0,
    gaps: 0,
    missed: 0,
    duplicates: 0,
    talliesMismatch: 0,
    disconnects: 0,
  });
  expect(result.notVisibleToAll).toBe(0);
  expect(result.visible.count).toBe(result.votes.ok);
  expect(result.ack.count).toBe(result.votes.ok);
}

const CLIENTS = 50;
const small = { participants: CLIENTS, rate: 100, durationMs: 3_000, workers: 0 } as const;

describe("load harness, small scale", () => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startRelayServer({ mode: "tick" });
  });
  afterAll(() => relay?.close());

  it("board on the real server: every vote reaches all 50 clients once, tallies match", async () => {
    const result = await runBoard({ variant: "convivio", ...small });
    expectIntact(result, CLIENTS);
    // The final seq is the board's: the 12 ideas and the phase change, then one per vote.
    expect(result.integrity.finalSeq).toBe(13 + result.votes.ok);
    expect(result.server?.cpuPercent).toBeGreaterThan(0);
    console.info(`board tick: ack p99 ${result.ack.p99} ms, visible p99 ${result.visible.p99} ms`);
  });

  it("board with BOARD_BROADCAST=per-op: the same votes, one patch per op", async () => {
    const result = await runBoard({ variant: "per-op", ...small });
    expectIntact(result, CLIENTS);
    // One patch per vote reaches every client (plus the odd presence-free join patches: none).
    expect(result.integrity.patches).toBeGreaterThanOrEqual(CLIENTS * result.votes.ok);
    console.info(`board per-op: ack p99 ${result.ack.p99} ms, visible p99 ${result.visible.p99} ms`);
  });

  it("board on the bare relay reference", async () => {
    const result = await runBoard({ variant: "relay", ...small, relayUrl: relay.url });
    expectIntact(result, CLIENTS);
    expect(relay.state().seq).toBe(result.votes.ok);
  });

  // PostgreSQL only here: a PGlite server takes tens of seconds to start on a loaded machine, and
  // `npm run bench` runs the storm on both drivers.
  it("registration storm: 60 at once for 20 seats confirms exactly 20", async () => {
    const result = await runRegistration({ driver: "postgres", people: 60, seats: 20 });
    expect(result.statuses).toEqual({ 201: 60 });
    expect(result.confirmed).toBe(20);
    expect(result.waitlisted).toBe(40);
    expect(result.confirmedInDatabase).toBe(20);
    expect(result.exactlySeats).toBe(true);
    expect(result.rawInsert.rate).toBeGreaterThan(0);
    // The bare HTTP reference answered the same 60 forms.
    expect(result.bareHttp.ok).toBe(60);
    expect(result.bareHttp.rate).toBeGreaterThan(0);
    console.info(
      `registration: ${result.throughput}/s, p99 ${result.latency.p99} ms (bare HTTP ${result.bareHttp.rate}/s)`,
    );
  });

  it("join storm: 30 sign in, fetch the board and a media token, and connect", async () => {
    const result = await runJoin({ driver: "postgres", people: 30, windowMs: 1_000 });
    expect(result.errors).toEqual({});
    expect(result.succeeded).toBe(30);
    expect(result.steps.mediaToken.count).toBe(30);
    // Everyone joins one room: the node ensures it with LiveKit once and remembers it
    // (apps/server/src/media/ensuredRooms.ts), so every token (the warm-up's too) costs one CreateRoom.
    expect(result.mediaRoomCalls).toBe(1);
    console.info(`join: p99 ${result.total.p99} ms`);
  });
});
