// Test support for live sessions: an event with one session and people in every role (written
// straight to the database), each with a signed-in cookie, and a socket client that records what
// the server sends about the session.
import { randomUUID } from "node:crypto";
import type { Socket } from "socket.io-client";
import { agendaSessions, eventMembers, events, users, type Db } from "@convivio/db";
import type {
  ChatDeleted,
  ChatJoinAck,
  ChatMessage,
  ChatSendAck,
  EventRole,
  RaisedHand,
  SessionAck,
  SessionJoinAck,
  SessionLiveState,
  SessionParticipant,
  SessionStage,
} from "@convivio/protocol";
import type { AuthService } from "../auth/service.js";
import { TestClient } from "./harness.js";
import { connectAs, welcomed } from "./sockets.js";

const HOUR_MS = 3_600_000;
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

export interface SessionPerson {
  userId: string;
  name: string;
  cookie: string;
}

export interface SessionWorld {
  eventId: string;
  slug: string;
  sessionId: string;
  organizer: SessionPerson;
  facilitator: SessionPerson;
  speaker: SessionPerson;
  attendees: SessionPerson[];
  /** Signed in, but nothing to do with the event. */
  outsider: SessionPerson;
}

async function person(db: Db, auth: AuthService, name: string): Promise<SessionPerson> {
  const [user] = await db
    .insert(users)
    .values({ email: `${name.toLowerCase().replace(/\W+/g, "-")}-${unique()}@example.it`, name })
    .returning({ id: users.id });
  const session = await auth.createSession(user!.id);
  return { userId: user!.id, name, cookie: `convivio_session=${session.token}` };
}

/** An event (public unless told otherwise) with one session and an organizer, facilitator, speaker, attendees and an outsider. */
export async function createSessionWorld(
  deps: { db: Db; auth: AuthService },
  options: { attendees?: number; visibility?: "draft" | "unlisted" | "public"; now?: number } = {},
): Promise<SessionWorld> {
  const { db, auth } = deps;
  const now = options.now ?? Date.now();
  const slug = `live-lab-${unique()}`;
  const [event] = await db
    .insert(events)
    .values({
      slug,
      title: "Live lab",
      timeZone: "Europe/Rome",
      startsAt: new Date(now),
      endsAt: new Date(now + 8 * HOUR_MS),
      visibility: options.visibility ?? "public",
    })
    .returning({ id: events.id });
  const [session] = await db
    .insert(agendaSessions)
    .values({
      eventId: event!.id,
      title: "Plenaria di apertura",
      kind: "plenary",
      startsAt: new Date(now),
      endsAt: new Date(now + HOUR_MS),
    })
    .returning({ id: agendaSessions.id });
  const organizer = await person(db, auth, "Olga Organizer");
  const facilitator = await person(db, auth, "Fabia Facilitator");
  const speaker = await person(db, auth, "Sergio Speaker");
  const attendees: SessionPerson[] = [];
  for (let i = 0; i < (options.attendees ?? 2); i++) attendees.push(await person(db, auth, `Attendee ${i}`));
  const outsider = await person(db, auth, "Otto Outsider");
  const members: { eventId: string; userId: string; role: EventRole }[] = [
    { eventId: event!.id, userId: organizer.userId, role: "organizer" },
    { eventId: event!.id, userId: facilitator.userId, role: "facilitator" },
    { eventId: event!.id, userId: speaker.userId, role: "speaker" },
    ...attendees.map((p) => ({ eventId: event!.id, userId: p.userId, role: "attendee" as const })),
  ];
  await db.insert(eventMembers).values(members);
  return {
    eventId: event!.id,
    slug,
    sessionId: session!.id,
    organizer,
    facilitator,
    speaker,
    attendees,
    outsider,
  };
}

/** A REST client signed in as `person`. */
export function restAs(url: string, person: SessionPerson): TestClient {
  const client = new TestClient(url);
  client.cookie = person.cookie;
  return client;
}

/** A live client of one session, as a browser tab would be, recording what the server sends. */
export class SessionClient {
  readonly socket: Socket;
  states: SessionLiveState[] = [];
  participants: SessionParticipant[] | null = null;
  hands: RaisedHand[] | null = null;
  stages: SessionStage[] = [];
  messages: ChatMessage[] = [];
  deletions: ChatDeleted[] = [];
  private readonly welcomed: Promise<void>;

  constructor(
    url: string,
    readonly person: SessionPerson,
    readonly sessionId: string,
  ) {
    this.socket = connectAs(url, person.cookie);
    this.welcomed = welcomed(this.socket);
    this.socket.on("session:state", (state: SessionLiveState) => this.states.push(state));
    this.socket.on("session:participants", (p: { participants: SessionParticipant[] }) => {
      this.participants = p.participants;
    });
    this.socket.on("session:hands", (h: { hands: RaisedHand[] }) => {
      this.hands = h.hands;
    });
    this.socket.on("session:stage", (stage: SessionStage) => this.stages.push(stage));
    this.socket.on("chat:message", (message: ChatMessage) => this.messages.push(message));
    this.socket.on("chat:deleted", (deleted: ChatDeleted) => this.deletions.push(deleted));
  }

  ready(): Promise<void> {
    return this.welcomed;
  }

  private emit<A>(event: string, payload: unknown): Promise<A> {
    return this.socket.timeout(15_000).emitWithAck(event, payload) as Promise<A>;
  }

  async join(): Promise<SessionJoinAck> {
    const ack = await this.emit<SessionJoinAck>("session:join", { sessionId: this.sessionId });
    if (ack.ok) {
      this.participants = ack.participants;
      this.hands = ack.hands;
    }
    return ack;
  }

  leave(): void {
    this.socket.emit("session:leave", { sessionId: this.sessionId });
  }

  say(text: string, options: { clientOpId?: string; tableId?: string | null } = {}): Promise<ChatSendAck> {
    return this.emit("chat:send", {
      sessionId: this.sessionId,
      tableId: options.tableId ?? null,
      clientOpId: options.clientOpId ?? randomUUID(),
      text,
    });
  }

  joinChat(tableId: string | null): Promise<ChatJoinAck> {
    return this.emit("chat:join", { sessionId: this.sessionId, tableId });
  }

  deleteMessage(messageId: string, tableId: string | null = null): Promise<SessionAck> {
    return this.emit("chat:delete", { sessionId: this.sessionId, tableId, messageId });
  }

  raise(): Promise<SessionAck> {
    return this.emit("hand:raise", { sessionId: this.sessionId });
  }

  lower(userId?: string): Promise<SessionAck> {
    return this.emit("hand:lower", { sessionId: this.sessionId, ...(userId ? { userId } : {}) });
  }

  stage(userId: string, onStage: boolean): Promise<SessionAck> {
    return this.emit("hand:stage", { sessionId: this.sessionId, userId, onStage });
  }

  /** Sends raw arguments, as a hostile client might. */
  raw(event: string, ...args: unknown[]): void {
    (this.socket.emit as (event: string, ...args: unknown[]) => void)(event, ...args);
  }

  rawWithAck(event: string, payload: unknown): Promise<unknown> {
    return this.emit(event, payload);
  }

  close(): void {
    this.socket.close();
  }
}
