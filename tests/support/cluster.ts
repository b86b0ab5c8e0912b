// What the cluster tests share: server processes on the real PostgreSQL and a Redis of the test's
// own, an event with a session written straight in the database, people signed in the same way, a
// board client over a real socket that applies patches with the board's own rules, and a polling
// `eventually`.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { expect } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { agendaSessions, authSessions, eventMembers, events, users, type Db } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { applyPatch, applySelf } from "@convivio/board";
import {
  PROTOCOL_VERSION,
  type BoardAck,
  type BoardPatch,
  type BoardSelfUpdate,
  type BoardView,
} from "@convivio/protocol";
import { startServerProcess, type ServerProcess } from "./server.js";
import type { PrivateRedis } from "./redis.js";

export const HOUR_MS = 3_600_000;

/** The real PostgreSQL test database: PGlite lives inside one process, so the nodes could not share it. */
export function openPostgres(): Promise<TestDatabase> {
  return testDatabases()
    .find((factory) => factory.driver === "postgres")!
    .open();
}

/** One more built server process on the shared database and Redis. */
export function startClusterNode(
  database: TestDatabase,
  redis: PrivateRedis,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  return startServerProcess({
    env: { DATABASE_URL: database.url!, REDIS_URL: redis.url, AUTH_RATE_LIMIT: "10000", ...env },
  });
}

/** Stops every node, then Redis, then closes the database; each may be missing if the set-up failed. */
export async function stopCluster(
  nodes: readonly ServerProcess[],
  redis: PrivateRedis | undefined,
  database: TestDatabase | undefined,
): Promise<void> {
  await Promise.all(nodes.map((node) => node.stop()));
  await redis?.stop();
  await database?.close();
}

/**
 * A public event in Europe/Rome, four hours from `startsAt`, with one session starting with it
 * (a one-hour plenary unless told otherwise), written straight in the database.
 */
export async function insertEventWithSession(
  db: Db,
  options: {
    slug: string;
    title: string;
    startsAt: Date;
    /** More columns of the event (registration settings). */
    event?: Partial<typeof events.$inferInsert>;
    session?: { title?: string; kind?: (typeof agendaSessions.$inferInsert)["kind"]; durationMs?: number };
  },
): Promise<{ event: { id: string; slug: string }; sessionId: string }> {
  const { startsAt } = options;
  const [event] = await db
    .insert(events)
    .values({
      slug: options.slug,
      title: options.title,
      timeZone: "Europe/Rome",
      startsAt,
      endsAt: new Date(startsAt.getTime() + 4 * HOUR_MS),
      visibility: "public",
      ...options.event,
    })
    .returning({ id: events.id, slug: events.slug });
  const [session] = await db
    .insert(agendaSessions)
    .values({
      eventId: event!.id,
      title: options.session?.title ?? "Plenary",
      kind: options.session?.kind ?? "plenary",
      startsAt,
      endsAt: new Date(startsAt.getTime() + (options.session?.durationMs ?? HOUR_MS)),
    })
    .returning({ id: agendaSessions.id });
  return { event: event!, sessionId: session!.id };
}

/** Creates a board in a session through `url`'s REST API, as `organizer`, and returns its id. */
export async function createBoard(
  url: string,
  at: { eventSlug: string; sessionId: string },
  organizer: Person,
  board: { title: string; settings: Record<string, unknown> },
): Promise<string> {
  const created = await fetch(`${url}/api/events/${at.eventSlug}/sessions/${at.sessionId}/boards`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: organizer.cookie },
    body: JSON.stringify(board),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { board: { id: string } }).board.id;
}

/** A socket.io connection as one browser tab of `person`; it does not reconnect on its own (the tests do). */
export function connectAs(url: string, person: Person): Socket {
  return connect(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    auth: { protocolVersion: PROTOCOL_VERSION },
    extraHeaders: { cookie: person.cookie },
  });
}

/** Resolves at the server's `welcome` (the socket is accepted), rejects on a refused connection. */
export function welcomed(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("welcome", () => resolve());
    socket.once("connect_error", reject);
  });
}

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
    this.socket = connectAs(url, person);
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
    return welcomed(this.socket);
  }

  /**
   * Waits for the welcome, joins and waits for the board's view. Coming back with the view `last`
   * seen elsewhere, it asks for what followed `last.seq` and applies it to that view.
   */
  async enter(last?: BoardView): Promise<this> {
    if (last) this.view = last;
    await this.ready();
    expect((await this.join(last?.seq)).ok).toBe(true);
    await eventually(() => expect(this.view).not.toBeNull());
    return this;
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
