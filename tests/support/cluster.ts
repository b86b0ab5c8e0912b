// What the cluster tests share: a board client over a real socket that applies patches with the
// board's own rules, people signed in straight in the database, and a polling `eventually`.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import { authSessions, eventMembers, users, type Db } from "@convivio/db";
import { applyPatch, applySelf } from "@convivio/board";
import {
  PROTOCOL_VERSION,
  type BoardAck,
  type BoardPatch,
  type BoardSelfUpdate,
  type BoardView,
} from "@convivio/protocol";

export const HOUR_MS = 3_600_000;

export interface Person {
  userId: string;
  cookie: string;
}

/** A signed-in person with a role in an event (a session row, as signing in would leave). */
export async function signedInPerson(
  db: Db,
  role: "organizer" | "facilitator" | "attendee",
  eventId: string,
): Promise<Person> {
  const [user] = await db
    .insert(users)
    .values({ email: `${role}-${randomUUID()}@example.it`, name: `${role} ${randomUUID().slice(0, 4)}` })
    .returning({ id: users.id });
  const token = randomBytes(32).toString("base64url");
  await db.insert(authSessions).values({
    tokenHash: createHash("sha256").update(token).digest("hex"),
    userId: user!.id,
    expiresAt: new Date(Date.now() + 24 * HOUR_MS),
  });
  await db.insert(eventMembers).values({ eventId, userId: user!.id, role });
  return { userId: user!.id, cookie: `convivio_session=${token}` };
}

/** One browser tab on one node: it keeps the board's view up to date from snapshots and patches. */
export class BoardSocketClient {
  readonly socket: Socket;
  view: BoardView | null = null;
  snapshots = 0;

  constructor(
    url: string,
    readonly person: Person,
    readonly boardId: string,
  ) {
    this.socket = connect(url, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      auth: { protocolVersion: PROTOCOL_VERSION },
      extraHeaders: { cookie: person.cookie },
    });
    this.socket.on("board:snapshot", (view: BoardView) => {
      this.snapshots++;
      this.view = view;
    });
    this.socket.on("board:patch", (patch: BoardPatch) => {
      if (!this.view) return;
      const outcome = applyPatch(this.view, patch);
      if (outcome.status === "applied") this.view = outcome.view;
      if (outcome.status === "gap") void this.join(this.view.seq);
    });
    this.socket.on("board:self", (update: BoardSelfUpdate) => {
      if (this.view) this.view = applySelf(this.view, update);
    });
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once("welcome", () => resolve());
      this.socket.once("connect_error", reject);
    });
  }

  join(lastSeq?: number): Promise<BoardAck> {
    return this.socket
      .timeout(15_000)
      .emitWithAck("board:join", { boardId: this.boardId, ...(lastSeq === undefined ? {} : { lastSeq }) });
  }

  send(
    command: Record<string, unknown>,
    clientOpId: string = randomUUID(),
    timeoutMs = 15_000,
  ): Promise<BoardAck> {
    return this.socket
      .timeout(timeoutMs)
      .emitWithAck("board:command", { ...command, boardId: this.boardId, clientOpId });
  }
}

/** The board as REST shows it to one person (the source of truth a client must converge to). */
export async function boardViewOf(url: string, boardId: string, who: Person): Promise<BoardView> {
  const res = await fetch(`${url}/api/boards/${boardId}`, { headers: { cookie: who.cookie } });
  if (res.status !== 200) throw new Error(`GET board: ${res.status}`);
  return ((await res.json()) as { view: BoardView }).view;
}

export async function eventually(check: () => Promise<void> | void, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
