// Reconnect catch-up (PROTOCOL.md §7): the audience view a client had at `lastSeq`, rebuilt by
// replaying the board's log from its creation, so the server can send the one patch that takes it
// to now. Reconnects come in waves (a node dies, its clients all rejoin with the same lastSeq), so
// rebuilt states are shared in a small memo. Too long a replay gives up: the client gets a snapshot.
import { audienceView, type BoardState } from "@convivio/board";
import type { BoardRole, BoardView } from "@convivio/protocol";
import type { BoardStore } from "./store.js";

/** Longest log replayed for a catch-up; beyond it a snapshot is cheaper for everyone. */
export const CATCH_UP_MAX_EVENTS = 5_000;
const MEMO_SIZE = 16;

export class CatchUp {
  private readonly memo = new Map<string, Promise<BoardState | undefined>>();

  constructor(
    private readonly store: BoardStore,
    private readonly maxEvents = CATCH_UP_MAX_EVENTS,
  ) {}

  /** The audience view at `seq`, or undefined when it cannot be rebuilt (the caller sends a snapshot). */
  async viewAt(boardId: string, seq: number, role: BoardRole): Promise<BoardView | undefined> {
    const key = `${boardId}:${seq}`;
    let state = this.memo.get(key);
    if (!state) {
      state = this.store.stateAtSeq(boardId, seq, this.maxEvents);
      this.memo.set(key, state);
      if (this.memo.size > MEMO_SIZE) this.memo.delete(this.memo.keys().next().value!);
      // A failed rebuild is not remembered.
      state.catch(() => this.memo.delete(key));
    }
    // A failed rebuild (database hiccup) costs the client a snapshot, never its join.
    const rebuilt = await state.catch(() => undefined);
    return rebuilt && audienceView(rebuilt, role);
  }
}
