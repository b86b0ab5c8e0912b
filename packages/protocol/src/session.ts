// A live session on the wire (issue 5): its lifecycle (scheduled, live, ended), the people in it,
// raised hands in order, and chat per room (the plenary, or one breakout table). REST starts and
// ends a session; everything else travels over the live socket. Described in PROTOCOL.md §9.
import { z } from "zod";
import { ErrorCode } from "./errors.js";
import { SessionId } from "./ids.js";

/** Length and count limits of the live session, shared by the schemas, the server and the web. */
export const SESSION_LIMITS = {
  chatMessageMaxLength: 1000,
  /** Messages a client gets when it joins a room's chat. */
  chatHistoryLength: 100,
  /** Sessions one socket may be in at once. */
  maxSessionsPerSocket: 4,
  /** Table chats one socket may follow at once (a facilitator visiting tables). */
  maxTableChatsPerSocket: 16,
} as const;

export const SESSION_STATUSES = ["scheduled", "live", "ended"] as const;
export const SessionStatus = z.enum(SESSION_STATUSES);
export type SessionStatus = z.infer<typeof SessionStatus>;

/** Whether a session is on: `scheduled` until a facilitator starts it, `live`, then `ended`. */
export const SessionLiveState = z.object({
  sessionId: SessionId,
  status: SessionStatus,
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
export type SessionLiveState = z.infer<typeof SessionLiveState>;

/** Role in a live session: organizers and facilitators lead, everyone else allowed in takes part. */
export const SessionRole = z.enum(["facilitator", "participant"]);
export type SessionRole = z.infer<typeof SessionRole>;

/** A breakout table's id (the room name carries it, so it is URL- and room-safe). */
export const TableId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1-64 letters, digits, - or _");
export type TableId = z.infer<typeof TableId>;

// ---- REST ----

export const LiveSessionResponse = z.object({ live: SessionLiveState });
export type LiveSessionResponse = z.infer<typeof LiveSessionResponse>;

/** Every session of an event with its live state (the lobby polls this). */
export const EventLiveResponse = z.object({ sessions: z.array(SessionLiveState) });
export type EventLiveResponse = z.infer<typeof EventLiveResponse>;

// ---- socket payloads (client -> server) ----

export const SessionJoin = z.strictObject({ sessionId: SessionId });
export type SessionJoin = z.infer<typeof SessionJoin>;
export const SessionLeave = z.strictObject({ sessionId: SessionId });
export type SessionLeave = z.infer<typeof SessionLeave>;

export const HandRaise = z.strictObject({ sessionId: SessionId });
export type HandRaise = z.infer<typeof HandRaise>;
/** Lowers a hand: one's own, or (facilitators) anyone's. */
export const HandLower = z.strictObject({ sessionId: SessionId, userId: z.uuid().optional() });
export type HandLower = z.infer<typeof HandLower>;
/** A facilitator brings a raised hand on stage (`onStage: true`) or takes it back (`false`). */
export const HandStage = z.strictObject({ sessionId: SessionId, userId: z.uuid(), onStage: z.boolean() });
export type HandStage = z.infer<typeof HandStage>;

export const ChatText = z.string().trim().min(1).max(SESSION_LIMITS.chatMessageMaxLength);

/** A chat room: the plenary (`tableId: null`) or one table of the session. */
const ChatRoom = { sessionId: SessionId, tableId: TableId.nullable() };

export const ChatJoin = z.strictObject(ChatRoom);
export type ChatJoin = z.infer<typeof ChatJoin>;
export const ChatLeave = z.strictObject(ChatRoom);
export type ChatLeave = z.infer<typeof ChatLeave>;
/** A message; a retry reuses its `clientOpId` and gets the first answer again. */
export const ChatSend = z.strictObject({ ...ChatRoom, clientOpId: z.uuid(), text: ChatText });
export type ChatSend = z.infer<typeof ChatSend>;
/** A facilitator removes a message (kept, marked deleted, with who and when). */
export const ChatDelete = z.strictObject({ ...ChatRoom, messageId: z.uuid() });
export type ChatDelete = z.infer<typeof ChatDelete>;

// ---- what the server sends ----

export const SessionParticipant = z.object({ userId: z.uuid(), name: z.string(), role: SessionRole });
export type SessionParticipant = z.infer<typeof SessionParticipant>;

/** A raised hand; `onStage` once a facilitator brought it on stage. Hands come in raising order. */
export const RaisedHand = z.object({
  userId: z.uuid(),
  name: z.string(),
  raisedAt: z.string(),
  onStage: z.boolean(),
});
export type RaisedHand = z.infer<typeof RaisedHand>;

/** A chat message; a deleted one keeps its place and loses its text. */
export const ChatMessage = z.object({
  id: z.uuid(),
  sessionId: SessionId,
  tableId: TableId.nullable(),
  authorId: z.uuid(),
  authorName: z.string(),
  text: z.string(),
  createdAt: z.string(),
  deletedAt: z.string().nullable(),
  deletedBy: z.uuid().nullable(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const SessionParticipants = z.object({
  sessionId: SessionId,
  participants: z.array(SessionParticipant),
});
export type SessionParticipants = z.infer<typeof SessionParticipants>;
export const SessionHands = z.object({ sessionId: SessionId, hands: z.array(RaisedHand) });
export type SessionHands = z.infer<typeof SessionHands>;
/** Sent to one person when a facilitator brings them on stage or takes them back. */
export const SessionStage = z.object({ sessionId: SessionId, onStage: z.boolean() });
export type SessionStage = z.infer<typeof SessionStage>;
export const ChatDeleted = z.object({
  sessionId: SessionId,
  tableId: TableId.nullable(),
  messageId: z.uuid(),
  deletedAt: z.string(),
  deletedBy: z.uuid(),
});
export type ChatDeleted = z.infer<typeof ChatDeleted>;

/** Codes of the live session's own refusals, on top of `ErrorCode`. */
export const SessionErrorCode = {
  limitReached: "limit_reached",
  notJoined: "not_joined",
} as const;
export type SessionErrorCode = (typeof SessionErrorCode)[keyof typeof SessionErrorCode];

export type SessionAckCode = ErrorCode | SessionErrorCode;
export const SessionAckCode = z.enum([
  ...new Set<string>([...Object.values(ErrorCode), ...Object.values(SessionErrorCode)]),
] as [SessionAckCode, ...SessionAckCode[]]);

export type SessionRefusal = { ok: false; code: SessionAckCode };

/** Reply to `session:join`: the session as it is now, plus the plenary chat's recent messages. */
export type SessionJoinAck =
  | {
      ok: true;
      role: SessionRole;
      state: SessionLiveState;
      participants: SessionParticipant[];
      hands: RaisedHand[];
      chat: ChatMessage[];
    }
  | SessionRefusal;
export type SessionAck = { ok: true } | SessionRefusal;
export type ChatJoinAck = { ok: true; messages: ChatMessage[] } | SessionRefusal;
export type ChatSendAck = { ok: true; message: ChatMessage } | SessionRefusal;

/** Session events a client may emit (on top of `LiveClientToServer`). */
export interface SessionClientToServer {
  "session:join": (payload: SessionJoin, ack: (reply: SessionJoinAck) => void) => void;
  "session:leave": (payload: SessionLeave) => void;
  "hand:raise": (payload: HandRaise, ack: (reply: SessionAck) => void) => void;
  "hand:lower": (payload: HandLower, ack: (reply: SessionAck) => void) => void;
  "hand:stage": (payload: HandStage, ack: (reply: SessionAck) => void) => void;
  "chat:join": (payload: ChatJoin, ack: (reply: ChatJoinAck) => void) => void;
  "chat:leave": (payload: ChatLeave) => void;
  "chat:send": (payload: ChatSend, ack: (reply: ChatSendAck) => void) => void;
  "chat:delete": (payload: ChatDelete, ack: (reply: SessionAck) => void) => void;
}

/** Session events the server emits (on top of `LiveServerToClient`). */
export interface SessionServerToClient {
  "session:state": (payload: SessionLiveState) => void;
  "session:participants": (payload: SessionParticipants) => void;
  "session:hands": (payload: SessionHands) => void;
  "session:stage": (payload: SessionStage) => void;
  "chat:message": (payload: ChatMessage) => void;
  "chat:deleted": (payload: ChatDeleted) => void;
}
