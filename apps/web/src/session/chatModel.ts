// Pure rules of a chat room as this browser sees it: messages from history, live events and our
// own acks merge by id in time order; a deletion blanks a message where it stands; messages we
// sent wait (with their clientOpId) until the server answers, then give way to the stored one.
import type { ChatDeleted, ChatMessage, SessionAckCode } from "@convivio/protocol";

export interface PendingMessage {
  clientOpId: string;
  text: string;
  /** Why the server refused it for good; null while it is still on its way. */
  error: SessionAckCode | null;
}

export interface ChatRoomState {
  readonly messages: readonly ChatMessage[];
  readonly pending: readonly PendingMessage[];
  /** The server let us into this room on the current connection. */
  readonly joined: boolean;
  /** Why the room cannot be joined (forbidden, table_chat_unavailable…). */
  readonly joinError: SessionAckCode | null;
}

export const emptyRoom: ChatRoomState = { messages: [], pending: [], joined: false, joinError: null };

const byTime = (a: ChatMessage, b: ChatMessage) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Adds or replaces messages by id, keeping time order; a deletion already known is kept. */
export function mergeMessages(
  current: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): ChatMessage[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) {
    const known = byId.get(message.id);
    byId.set(message.id, known?.deletedAt && !message.deletedAt ? known : message);
  }
  return [...byId.values()].sort(byTime);
}

/** Blanks a deleted message in place. */
export function applyDeletion(messages: readonly ChatMessage[], deleted: ChatDeleted): ChatMessage[] {
  return messages.map((m) =>
    m.id === deleted.messageId
      ? { ...m, text: "", deletedAt: deleted.deletedAt, deletedBy: deleted.deletedBy }
      : m,
  );
}

/** The server stored our message: it leaves the pending list and joins the conversation. */
export function confirmPending(room: ChatRoomState, clientOpId: string, stored: ChatMessage): ChatRoomState {
  return {
    ...room,
    pending: room.pending.filter((p) => p.clientOpId !== clientOpId),
    messages: mergeMessages(room.messages, [stored]),
  };
}

/** The server refused our message for good: it stays, marked, so the person can see why. */
export function failPending(room: ChatRoomState, clientOpId: string, code: SessionAckCode): ChatRoomState {
  return {
    ...room,
    pending: room.pending.map((p) => (p.clientOpId === clientOpId ? { ...p, error: code } : p)),
  };
}

/** Messages by one author in a row within this many ms are shown as one group. */
export const GROUP_WINDOW_MS = 5 * 60_000;

/** Whether `message` continues the group of the one before it (same author, soon after). */
export function continuesGroup(previous: ChatMessage | undefined, message: ChatMessage): boolean {
  if (!previous || previous.authorId !== message.authorId) return false;
  return Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_WINDOW_MS;
}
