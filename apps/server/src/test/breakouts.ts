// Test support for the breakout tables: a live socket client that remembers what the breakouts told
// it (seats, notices, calls), a world with a session that a facilitator has started, and REST
// helpers for commands and the facilitators' overview. Used by the breakouts' integration tests.
import { randomUUID } from "node:crypto";
import type { Socket } from "socket.io-client";
import { expect } from "vitest";
import type {
  BoardAck,
  BreakoutAck,
  BreakoutAssignment,
  BreakoutCommandInput,
  BreakoutJoinAck,
  BreakoutNotice,
  BreakoutOverview,
  BreakoutPublicState,
  FacilitatorCall,
  MyCall,
} from "@convivio/protocol";
import type { TestClient, TestServer } from "./harness.js";
import { createBoardWorld, type BoardWorld, type Person } from "./boards.js";
import { connectAs, welcomed } from "./sockets.js";

const ACK_TIMEOUT_MS = 20_000;

/** One browser tab's live connection, recording what the breakouts sent it. */
export class BreakoutTab {
  readonly socket: Socket;
  readonly assignments: BreakoutAssignment[] = [];
  readonly notices: BreakoutNotice[] = [];
  /** Every `breakout:calls` a facilitator received. */
  readonly calls: FacilitatorCall[][] = [];
  /** Every `breakout:myCall` this person received. */
  readonly myCalls: MyCall[] = [];
  private readonly welcomed: Promise<void>;

  constructor(
    url: string,
    readonly person: Person,
    /** How long an ack may take; a crowd of sockets on a loaded machine needs longer. */
    private readonly ackTimeoutMs = ACK_TIMEOUT_MS,
  ) {
    this.socket = connectAs(url, person.cookie);
    this.welcomed = welcomed(this.socket);
    this.socket.on("breakout:assigned", (a: BreakoutAssignment) => this.assignments.push(a));
    this.socket.on("breakout:notice", (n: BreakoutNotice) => this.notices.push(n));
    this.socket.on("breakout:calls", (c: { calls: FacilitatorCall[] }) => this.calls.push(c.calls));
    this.socket.on("breakout:myCall", (c: MyCall) => this.myCalls.push(c));
  }

  /** Where this person sits now, as last told (null: the plenary, or not told yet). */
  get seat() {
    return this.assignment?.table ?? null;
  }

  /** The last thing this tab was told about the person's seat (the join's answer counts). */
  get assignment(): BreakoutAssignment | undefined {
    return this.assignments.at(-1);
  }

  async join(sessionId: string): Promise<BreakoutJoinAck> {
    await this.welcomed;
    const ack: BreakoutJoinAck = await this.socket
      .timeout(this.ackTimeoutMs)
      .emitWithAck("breakout:join", { sessionId });
    // The answer counts as being told where one sits.
    if (ack.ok) this.assignments.push(ack.breakout.assignment);
    return ack;
  }

  leave(sessionId: string): void {
    this.socket.emit("breakout:leave", { sessionId });
  }

  command(command: BreakoutCommandInput): Promise<BreakoutAck> {
    return this.socket.timeout(this.ackTimeoutMs).emitWithAck("breakout:command", command);
  }

  board(command: Record<string, unknown>): Promise<BoardAck> {
    return this.socket
      .timeout(this.ackTimeoutMs)
      .emitWithAck("board:command", { ...command, clientOpId: randomUUID() });
  }

  close(): void {
    this.socket.close();
  }
}

/** A REST client signed in as `person`. */
export function clientOf(server: TestServer, person: Person): TestClient {
  const client = server.client();
  client.cookie = person.cookie;
  return client;
}

/** An event with one session, `participants` attendees and a facilitator (`lead`); started unless told. */
export async function breakoutWorld(
  server: TestServer,
  participants: number,
  options: { start?: boolean } = {},
): Promise<{ w: BoardWorld; lead: TestClient }> {
  const w = await createBoardWorld(
    { db: server.database.db, auth: server.auth, store: server.boards.store },
    { participants, now: server.clock.now().getTime() },
  );
  const lead = clientOf(server, w.facilitator);
  if (options.start !== false) await startSession(lead, w.sessionId);
  return { w, lead };
}

export async function startSession(lead: TestClient, sessionId: string): Promise<void> {
  const res = await lead.post(`/api/sessions/${sessionId}/start`);
  if (res.status !== 200) throw new Error(`could not start the session: ${res.status} ${res.text}`);
}

/** A breakout command over REST (the same body as the socket's). */
export function command(client: TestClient, body: BreakoutCommandInput) {
  return client.post(`/api/sessions/${body.sessionId}/breakouts/commands`, body);
}

/**
 * Opens two tables by hand, "Parks" and "Schools" (nobody seated yet), and returns them as the
 * session's public state lists them.
 */
export async function openParksAndSchools(lead: TestClient, sessionId: string) {
  const opened = await command(lead, {
    type: "open",
    sessionId,
    by: { count: 2 },
    strategy: "manual",
    tables: [{ topic: "Parks" }, { topic: "Schools" }],
  });
  expect(opened.status).toBe(200);
  const { state } = (await lead.get(`/api/sessions/${sessionId}/breakouts`)).body as {
    state: BreakoutPublicState;
  };
  const [parks, schools] = state.tables;
  return { parks: parks!, schools: schools! };
}

/** The facilitators' overview of a session's tables, as `lead` gets it (a 200). */
export async function overview(lead: TestClient, sessionId: string): Promise<BreakoutOverview> {
  const res = await lead.get(`/api/sessions/${sessionId}/breakouts/overview`);
  expect(res.status).toBe(200);
  return res.body as BreakoutOverview;
}
