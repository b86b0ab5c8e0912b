// Chat messages of a session's rooms (the plenary, or one table). A message is stored once per
// (author, clientOpId): a retry finds the first one and is answered with it. A deleted message is
// kept with who deleted it and when; its text never leaves the server again.
import { and, desc, eq, isNull, chatMessages, users, type Db } from "@convivio/db";
import type { ChatMessage } from "@convivio/protocol";

type Row = typeof chatMessages.$inferSelect;

function toMessage(row: Row, authorName: string): ChatMessage {
  return {
    id: row.id,
    sessionId: row.sessionId as ChatMessage["sessionId"],
    tableId: row.tableId,
    authorId: row.authorId,
    authorName,
    text: row.deletedAt ? "" : row.body,
    createdAt: row.createdAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
    deletedBy: row.deletedBy,
  };
}

const inRoom = (sessionId: string, tableId: string | null) =>
  and(
    eq(chatMessages.sessionId, sessionId),
    tableId === null ? isNull(chatMessages.tableId) : eq(chatMessages.tableId, tableId),
  );

export interface NewChatMessage {
  id: string;
  sessionId: string;
  tableId: string | null;
  author: { id: string; name: string };
  clientOpId: string;
  text: string;
  now: Date;
}

/**
 * Stores a message, once per (author, clientOpId). `fresh` is false when this op was stored
 * before (the first message is returned); `conflict` when that op id was used for another room.
 */
export async function storeChatMessage(
  db: Db,
  input: NewChatMessage,
): Promise<{ message: ChatMessage; fresh: boolean } | "conflict"> {
  const [inserted] = await db
    .insert(chatMessages)
    .values({
      id: input.id,
      sessionId: input.sessionId,
      tableId: input.tableId,
      authorId: input.author.id,
      clientOpId: input.clientOpId,
      body: input.text,
      createdAt: input.now,
    })
    .onConflictDoNothing({ target: [chatMessages.authorId, chatMessages.clientOpId] })
    .returning();
  if (inserted) return { message: toMessage(inserted, input.author.name), fresh: true };
  const [first] = await db
    .select()
    .from(chatMessages)
    .where(and(eq(chatMessages.authorId, input.author.id), eq(chatMessages.clientOpId, input.clientOpId)));
  if (!first || first.sessionId !== input.sessionId || first.tableId !== input.tableId) return "conflict";
  return { message: toMessage(first, input.author.name), fresh: false };
}

/** The last `limit` messages of a room, oldest first. */
export async function chatHistory(
  db: Db,
  sessionId: string,
  tableId: string | null,
  limit: number,
): Promise<ChatMessage[]> {
  const rows = await db
    .select({ message: chatMessages, name: users.name })
    .from(chatMessages)
    .innerJoin(users, eq(users.id, chatMessages.authorId))
    .where(inRoom(sessionId, tableId))
    .orderBy(desc(chatMessages.createdAt), desc(chatMessages.id))
    .limit(limit);
  return rows.reverse().map(({ message, name }) => toMessage(message, name));
}

/**
 * Marks a message of this room deleted (by whom, when). Deleting it again answers with the first
 * deletion. Null when the room has no such message.
 */
export async function deleteChatMessage(
  db: Db,
  input: { sessionId: string; tableId: string | null; messageId: string; by: string; now: Date },
): Promise<{ deletedAt: Date; deletedBy: string; fresh: boolean } | null> {
  const [updated] = await db
    .update(chatMessages)
    .set({ deletedAt: input.now, deletedBy: input.by })
    .where(
      and(
        eq(chatMessages.id, input.messageId),
        inRoom(input.sessionId, input.tableId),
        isNull(chatMessages.deletedAt),
      ),
    )
    .returning({ deletedAt: chatMessages.deletedAt, deletedBy: chatMessages.deletedBy });
  if (updated?.deletedAt) return { deletedAt: updated.deletedAt, deletedBy: input.by, fresh: true };
  const [existing] = await db
    .select({ deletedAt: chatMessages.deletedAt, deletedBy: chatMessages.deletedBy })
    .from(chatMessages)
    .where(and(eq(chatMessages.id, input.messageId), inRoom(input.sessionId, input.tableId)));
  if (!existing?.deletedAt) return null;
  // The deleter's account may be gone (ON DELETE SET NULL); the deletion stands.
  return { deletedAt: existing.deletedAt, deletedBy: existing.deletedBy ?? input.by, fresh: false };
}
