import { describe, expect, it } from "vitest";
import type { ChatMessage } from "@convivio/protocol";
import {
  applyDeletion,
  confirmPending,
  continuesGroup,
  emptyRoom,
  failPending,
  mergeMessages,
} from "./chatModel";

const SESSION = "6f1c2a4e-8d3b-4c5a-9e7f-1a2b3c4d5e6f" as ChatMessage["sessionId"];
const A = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const B = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e";

function message(id: number, at: string, author = A, text = `message ${id}`): ChatMessage {
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, "0")}`,
    sessionId: SESSION,
    tableId: null,
    authorId: author,
    authorName: author === A ? "Anna" : "Bruno",
    text,
    createdAt: at,
    deletedAt: null,
    deletedBy: null,
  };
}

describe("chat rooms in the browser", () => {
  it("merges history, live messages and acks by id, in time order", () => {
    const first = message(1, "2027-03-01T09:00:00.000Z");
    const second = message(2, "2027-03-01T09:01:00.000Z");
    const third = message(3, "2027-03-01T09:02:00.000Z");
    // A live message can arrive before the history that also holds it.
    const merged = mergeMessages([third], [first, second, third]);
    expect(merged.map((m) => m.id)).toEqual([first.id, second.id, third.id]);
    expect(mergeMessages(merged, [second])).toHaveLength(3);
  });

  it("blanks a deleted message where it stands, and a stale copy does not bring it back", () => {
    const list = [message(1, "2027-03-01T09:00:00.000Z"), message(2, "2027-03-01T09:01:00.000Z")];
    const deleted = applyDeletion(list, {
      sessionId: SESSION,
      tableId: null,
      messageId: list[0]!.id,
      deletedAt: "2027-03-01T09:05:00.000Z",
      deletedBy: B,
    });
    expect(deleted[0]).toMatchObject({ text: "", deletedBy: B });
    expect(deleted[1]).toEqual(list[1]);
    expect(mergeMessages(deleted, [list[0]!])[0]).toMatchObject({ text: "", deletedBy: B });
  });

  it("replaces a pending message with the stored one, or keeps it marked when refused", () => {
    const room = {
      ...emptyRoom,
      pending: [
        { clientOpId: "op-1", text: "hello", error: null },
        { clientOpId: "op-2", text: "bye", error: null },
      ],
    };
    const stored = message(7, "2027-03-01T09:00:00.000Z", A, "hello");
    const confirmed = confirmPending(room, "op-1", stored);
    expect(confirmed.pending.map((p) => p.clientOpId)).toEqual(["op-2"]);
    expect(confirmed.messages).toEqual([stored]);
    expect(failPending(confirmed, "op-2", "session_not_live").pending).toEqual([
      { clientOpId: "op-2", text: "bye", error: "session_not_live" },
    ]);
  });

  it("groups messages by one author a few minutes apart", () => {
    const a1 = message(1, "2027-03-01T09:00:00.000Z");
    const a2 = message(2, "2027-03-01T09:02:00.000Z");
    const b1 = message(3, "2027-03-01T09:02:30.000Z", B);
    const a3 = message(4, "2027-03-01T09:20:00.000Z");
    expect(continuesGroup(undefined, a1)).toBe(false);
    expect(continuesGroup(a1, a2)).toBe(true);
    expect(continuesGroup(a2, b1)).toBe(false);
    expect(continuesGroup(a2, a3)).toBe(false);
  });
});
