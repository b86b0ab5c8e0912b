// Test support for the live boards: people, an event with a session and a board written straight
// to the database (hundreds of participants in a second), and a socket client that keeps its view
// of a board the way a browser would (snapshot, patches, self updates, rejoin on a gap) and records
// every raw frame it receives.
import { randomUUID } from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import { agendaSessions, eventMembers, events, users, type Db } from "@convivio/db";
import { applyPatch, applySelf, viewFor, type BoardState } from "@convivio/board";
import {
  BoardSettings,
  PROTOCOL_VERSION,
  type BoardAck,
  type BoardCommand,
  type BoardId,
  type BoardPatch,
  type BoardRole,
  type BoardSelfUpdate,
  type BoardSettingsInput,
  type BoardView,
  type EventRole,
  type ParticipantId,
} from "@convivio/protocol";
import type { AuthService } from "../auth/service.js";
import type { BoardStore } from "../boards/store.js";

const HOUR_MS = 3_600_000;
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

export interface Person {
  userId: ParticipantId;
  name: string;
  cookie: string;
  role: BoardRole;
}

export interface BoardWorld {
  eventId: string;
  slug: string;
  sessionId: string;
  boardId: BoardId;
  facilitator: Person;
  participants: Person[];
  /** Signed in, but nothing to do with the event. */
  outsider: Person;
}

async function person(db: Db, auth: AuthService, name: string, role: BoardRole): Promise<Person> {
  const [user] = await db
    .insert(users)
    .values({ email: `${name.toLowerCase().replace(/\W+/g, "-")}-${unique()}@example.it`, name })
    .returning({ id: users.id });
  const session = await auth.createSession(user!.id);
  return { userId: user!.id as ParticipantId, name, cookie: `convivio_session=${session.token}`, role };
}

/** An event with one session, an organizer, `participants` attendees, an outsider and a board. */
export async function createBoardWorld(
  deps: { db: Db; auth: AuthService; store: BoardStore },
  options: { participants: number; settings?: BoardSettingsInput; now?: number },
): Promise<BoardWorld> {
  const { db, auth, store } = deps;
  const now = options.now ?? Date.now();
  const slug = `board-lab-${unique()}`;
  const [event] = await db
    .insert(events)
    .values({
      slug,
      title: "Board lab",
      timeZone: "Europe/Rome",
      startsAt: new Date(now),
      endsAt: new Date(now + 8 * HOUR_MS),
      visibility: "public",
    })
    .returning({ id: events.id });
  const [session] = await db
    .insert(agendaSessions)
    .values({
      eventId: event!.id,
      title: "Co-design table",
      kind: "workshop",
      startsAt: new Date(now),
      endsAt: new Date(now + HOUR_MS),
    })
    .returning({ id: agendaSessions.id });
  const facilitator = await person(db, auth, "Fabia Facilitator", "facilitator");
  const participants: Person[] = [];
  for (let i = 0; i < options.participants; i++) {
    participants.push(await person(db, auth, `Participant ${i}`, "participant"));
  }
  const outsider = await person(db, auth, "Otto Outsider", "participant");
  const members: { eventId: string; userId: string; role: EventRole }[] = [
    { eventId: event!.id, userId: facilitator.userId, role: "organizer" },
    ...participants.map((p) => ({ eventId: event!.id, userId: p.userId, role: "attendee" as const })),
  ];
  await db.insert(eventMembers).values(members);
  const boardId = randomUUID() as BoardId;
  await store.create({
    id: boardId,
    eventId: event!.id,
    sessionId: session!.id,
    title: "Ideas for the neighbourhood",
    settings: BoardSettings.parse(options.settings ?? {}),
    createdBy: facilitator.userId,
    now,
  });
  return { eventId: event!.id, slug, sessionId: session!.id, boardId, facilitator, participants, outsider };
}

type CommandBody = BoardCommand extends infer C
  ? C extends BoardCommand
    ? Omit<C, "clientOpId" | "boardId">
    : never
  : never;

/** A live client of one board, as a browser tab would be. */
export class BoardClient {
  readonly socket: Socket;
  view: BoardView | null = null;
  /** Every socket.io frame this client received, as sent on the wire. */
  readonly frames: string[] = [];
  patches: BoardPatch[] = [];
  selves: BoardSelfUpdate[] = [];
  snapshots = 0;
  gaps = 0;
  presence: number | null = null;
  private readonly welcomed: Promise<void>;

  constructor(
    url: string,
    readonly person: Person,
    readonly boardId: BoardId,
  ) {
    this.socket = connect(url, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      auth: { protocolVersion: PROTOCOL_VERSION },
      extraHeaders: { cookie: person.cookie },
    });
    this.socket.io.on("open", () => {
      this.socket.io.engine.on("packet", (packet: { type: string; data?: unknown }) => {
        if (packet.type === "message") this.frames.push(String(packet.data));
      });
    });
    this.welcomed = new Promise((resolve, reject) => {
      this.socket.once("welcome", () => resolve());
      this.socket.once("connect_error", reject);
    });
    this.socket.on("board:snapshot", (view: BoardView) => {
      this.snapshots++;
      this.view = view;
    });
    this.socket.on("board:patch", (patch: BoardPatch) => {
      this.patches.push(patch);
      if (!this.view) return;
      const outcome = applyPatch(this.view, patch);
      if (outcome.status === "applied") this.view = outcome.view;
      if (outcome.status === "gap") {
        this.gaps++;
        void this.join(this.view.seq);
      }
    });
    this.socket.on("board:self", (update: BoardSelfUpdate) => {
      this.selves.push(update);
      if (this.view) this.view = applySelf(this.view, update);
    });
    this.socket.on("board:presence", (presence: { count: number }) => {
      this.presence = presence.count;
    });
  }

  ready(): Promise<void> {
    return this.welcomed;
  }

  join(lastSeq?: number): Promise<BoardAck> {
    return this.socket
      .timeout(10_000)
      .emitWithAck("board:join", { boardId: this.boardId, ...(lastSeq === undefined ? {} : { lastSeq }) });
  }

  /** Sends a command; pass `clientOpId` to retry one. */
  send(command: CommandBody, clientOpId: string = randomUUID()): Promise<BoardAck> {
    return this.socket
      .timeout(15_000)
      .emitWithAck("board:command", { ...command, boardId: this.boardId, clientOpId });
  }

  close(): void {
    this.socket.close();
  }
}

/** What the server would show this person now. */
export function expectedView(state: BoardState, person: Person): BoardView {
  return viewFor(state, { participantId: person.userId, role: person.role });
}

/** Waits until `check` passes (or throws its last failure after `timeoutMs`). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A small seeded PRNG (mulberry32), so randomised tests can print and replay their seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
