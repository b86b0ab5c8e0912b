import { BoardErrorCode } from "@convivio/protocol";
import type { BoardId, IdeaId } from "@convivio/protocol";
import { describe, expect, it } from "vitest";
import { ALICE, BOARD_ID, BOB, FAC, SYSTEM, TestBoard, uuid } from "../test/fixtures.js";
import { applyEvent, BoardInvariantError, createdIdOf, decide, replay } from "./index.js";

describe("the decide contract", () => {
  it("B5: a command for another board is refused with board_mismatch", () => {
    const board = new TestBoard();
    const result = decide(
      board.state,
      { type: "proposeIdea", boardId: uuid(999) as BoardId, columnId: "ideas" as never, text: "x" },
      board.ctx(ALICE),
    );
    expect(result).toEqual({ ok: false, code: "board_mismatch" });
  });

  it("B5: the new state is the old state with the emitted events applied, and the input is untouched", () => {
    const board = new TestBoard();
    const before = board.state;
    const snapshot = structuredClone(before);
    const result = decide(
      before,
      { type: "proposeIdea", boardId: BOARD_ID, columnId: "ideas" as never, text: "Shorter meetings" },
      board.ctx(ALICE),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.state).toEqual(replay(before, result.events));
    expect(before).toEqual(snapshot);
  });

  it("B5: only the system may report a timer, and the system may do nothing else", () => {
    const board = new TestBoard();
    board.refuses(FAC, { type: "timerExpired", phase: "collect", now: board.now }, "forbidden");
    board.refuses(SYSTEM, { type: "proposeIdea", columnId: "ideas" as never, text: "x" }, "forbidden");
  });

  it("B5: every failure code is one of BoardErrorCode", () => {
    const codes = new Set<string>(Object.values(BoardErrorCode));
    const board = new TestBoard();
    const result = board.try(ALICE, { type: "castVote", ideaId: uuid(5) as IdeaId });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(codes.has(result.code)).toBe(true);
  });

  it("B6: a locked board refuses everything but unlock, from anyone", () => {
    const board = new TestBoard();
    const idea = board.propose(ALICE);
    board.do(FAC, { type: "lockBoard" });
    board.refuses(ALICE, { type: "proposeIdea", columnId: "ideas" as never, text: "x" }, "board_locked");
    board.refuses(FAC, { type: "hideIdea", ideaId: idea, reason: "spam" }, "board_locked");
    board.refuses(FAC, { type: "setPhase", phase: "group" }, "board_locked");
    board.refuses(FAC, { type: "lockBoard" }, "board_locked");
    board.refuses(ALICE, { type: "unlockBoard" }, "forbidden");
    board.do(FAC, { type: "unlockBoard" });
    expect(board.state.locked).toBe(false);
    expect(board.do(FAC, { type: "unlockBoard" })).toEqual([]);
  });

  it("B6: participants cannot lock; locking pauses a running timer and unlocking leaves it paused", () => {
    const board = new TestBoard();
    board.refuses(ALICE, { type: "lockBoard" }, "forbidden");
    board.do(FAC, { type: "setTimer", durationMs: 60_000 });
    const deadline = board.state.deadlineAt!;
    board.do(FAC, { type: "lockBoard" });
    expect(board.state).toMatchObject({
      locked: true,
      deadlineAt: null,
      pausedRemainingMs: deadline - board.now,
    });
    board.do(SYSTEM, { type: "timerExpired", phase: "collect", now: deadline + 1 });
    expect(board.state.phase).toBe("collect");
    board.do(FAC, { type: "unlockBoard" });
    expect(board.state.deadlineAt).toBeNull();
    expect(board.state.pausedRemainingMs).not.toBeNull();
  });

  it("B29: seq advances once per visible event, and not for a vote while votes are hidden", () => {
    const board = new TestBoard({ hideVotesUntilReveal: true });
    const idea = board.propose(ALICE);
    expect(board.state.seq).toBe(1);
    board.phase("vote");
    expect(board.state.seq).toBe(2);
    board.vote(BOB, idea, 2);
    board.do(BOB, { type: "retractVote", ideaId: idea });
    expect(board.state.seq).toBe(2);
    board.phase("reveal");
    expect(board.state.seq).toBe(3);

    const open = new TestBoard({ hideVotesUntilReveal: false });
    const other = open.propose(ALICE);
    open.phase("vote");
    open.vote(BOB, other);
    expect(open.state.seq).toBe(3);
  });

  it("B29: replaying the events of a session rebuilds the same state", () => {
    const board = new TestBoard();
    const start = board.state;
    const log = [
      ...board.do(ALICE, { type: "proposeIdea", columnId: "ideas" as never, text: "One" }),
      ...board.do(BOB, { type: "proposeIdea", columnId: "ideas" as never, text: "Two" }),
      ...board.do(FAC, { type: "setPhase", phase: "vote" }),
    ];
    const ideaIds = Object.keys(board.state.ideas) as IdeaId[];
    log.push(...board.do(ALICE, { type: "castVote", ideaId: ideaIds[0]! }));
    log.push(...board.do(FAC, { type: "mergeIdeas", sourceId: ideaIds[0]!, targetId: ideaIds[1]! }));
    expect(replay(start, log)).toEqual(board.state);
  });

  it("B29: an event that does not fit the state throws BoardInvariantError", () => {
    const board = new TestBoard();
    expect(() =>
      applyEvent(board.state, { type: "voteCast", ideaId: uuid(77) as IdeaId, participantId: ALICE, at: 1 }),
    ).toThrow(BoardInvariantError);
  });

  it("B30: created ids come from ctx.newId and timestamps from ctx.now", () => {
    const board = new TestBoard();
    const result = decide(
      board.state,
      { type: "proposeIdea", boardId: BOARD_ID, columnId: "ideas" as never, text: "Idea" },
      { actor: ALICE, role: "participant", now: 123_456, newId: () => uuid(0xabc) },
    );
    expect(result.ok && result.state.ideas[uuid(0xabc) as IdeaId]?.createdAt).toBe(123_456);
  });

  it("B30: createdIdOf names what a command created, for the ack", () => {
    const board = new TestBoard();
    const events = board.do(ALICE, { type: "proposeIdea", columnId: "ideas" as never, text: "New" });
    expect(createdIdOf(events)).toBe(Object.keys(board.state.ideas)[0]);
    expect(createdIdOf(board.do(FAC, { type: "setPhase", phase: "group" }))).toBeUndefined();
  });

  it("B30: an id like __proto__ is simply not found", () => {
    const board = new TestBoard();
    board.phase("vote");
    board.refuses(ALICE, { type: "castVote", ideaId: "__proto__" as IdeaId }, "not_found");
    board.refuses(ALICE, { type: "deleteComment", commentId: "__proto__" as never }, "not_found");
  });
});
