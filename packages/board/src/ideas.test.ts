import type { ColumnId, CommentId, IdeaId } from "@convivio/protocol";
import { describe, expect, it } from "vitest";
import { ALICE, BOB, FAC, TestBoard, uuid } from "../test/fixtures.js";
import { applyEvent, remainingBudget } from "./index.js";

const ideas = "ideas" as ColumnId;

function commentId(board: TestBoard, text: string): CommentId {
  const found = Object.values(board.state.comments).find((c) => c.text === text);
  if (!found) throw new Error(`no comment ${text}`);
  return found.id;
}

describe("proposing", () => {
  it("B10: an idea keeps trimmed text, details, column and author", () => {
    const board = new TestBoard();
    const id = board.do(ALICE, {
      type: "proposeIdea",
      columnId: ideas,
      text: "  Walkable streets ",
      details: " Wider ",
    });
    expect(id).toHaveLength(1);
    const idea = Object.values(board.state.ideas)[0]!;
    expect(idea).toMatchObject({
      text: "Walkable streets",
      details: "Wider",
      columnId: "ideas",
      authorId: ALICE,
    });
    expect(idea.createdAt).toBe(board.now);
  });

  it("B10: empty details are none", () => {
    const board = new TestBoard();
    board.do(ALICE, { type: "proposeIdea", columnId: ideas, text: "Trees", details: "   " });
    expect(Object.values(board.state.ideas)[0]!.details).toBeNull();
  });

  it("B10: text and details outside their limits are invalid_input", () => {
    const board = new TestBoard();
    board.refuses(ALICE, { type: "proposeIdea", columnId: ideas, text: "   " }, "invalid_input");
    board.refuses(ALICE, { type: "proposeIdea", columnId: ideas, text: "x".repeat(501) }, "invalid_input");
    board.refuses(
      ALICE,
      { type: "proposeIdea", columnId: ideas, text: "ok", details: "x".repeat(2001) },
      "invalid_input",
    );
    board.do(ALICE, {
      type: "proposeIdea",
      columnId: ideas,
      text: "x".repeat(500),
      details: "y".repeat(2000),
    });
  });

  it("B10: proposing needs the collect phase and an existing column", () => {
    const board = new TestBoard();
    board.refuses(ALICE, { type: "proposeIdea", columnId: "nope" as ColumnId, text: "x" }, "unknown_column");
    board.phase("group");
    board.refuses(ALICE, { type: "proposeIdea", columnId: ideas, text: "x" }, "wrong_phase");
  });

  it("B10: when only facilitators may propose, participants are forbidden", () => {
    const board = new TestBoard({ whoMayPropose: "facilitators" });
    board.refuses(ALICE, { type: "proposeIdea", columnId: ideas, text: "x" }, "forbidden");
    board.propose(FAC, "From the facilitator");
    expect(Object.keys(board.state.ideas)).toHaveLength(1);
  });
});

describe("editing and deleting", () => {
  it("B11: authors edit their own ideas during collect", () => {
    const board = new TestBoard({
      columns: [
        { id: "a" as ColumnId, title: "A" },
        { id: "b" as ColumnId, title: "B" },
      ],
    });
    const id = board.propose(ALICE, "Draft", "a");
    board.do(ALICE, {
      type: "editIdea",
      ideaId: id,
      text: "Final",
      details: "More",
      columnId: "b" as ColumnId,
    });
    expect(board.state.ideas[id]).toMatchObject({
      text: "Final",
      details: "More",
      columnId: "b",
      updatedAt: board.now,
    });
    board.do(ALICE, { type: "editIdea", ideaId: id, details: null });
    expect(board.state.ideas[id]?.details).toBeNull();
    expect(board.do(ALICE, { type: "editIdea", ideaId: id, text: "Final" })).toEqual([]);
    board.refuses(ALICE, { type: "editIdea", ideaId: id, columnId: "c" as ColumnId }, "unknown_column");
    board.refuses(ALICE, { type: "editIdea", ideaId: id, text: "" }, "invalid_input");
  });

  it("B11: others may not edit; authors stop at group; facilitators edit any idea through group", () => {
    const board = new TestBoard();
    const id = board.propose(ALICE, "Draft");
    board.refuses(BOB, { type: "editIdea", ideaId: id, text: "Mine now" }, "forbidden");
    board.phase("group");
    board.refuses(ALICE, { type: "editIdea", ideaId: id, text: "Late" }, "wrong_phase");
    board.do(FAC, { type: "editIdea", ideaId: id, text: "Tidied" });
    expect(board.state.ideas[id]?.text).toBe("Tidied");
    board.phase("vote");
    board.refuses(FAC, { type: "editIdea", ideaId: id, text: "Too late" }, "wrong_phase");
  });

  it("B12: authors delete their own ideas in collect, with the comments on them", () => {
    const board = new TestBoard();
    const id = board.propose(ALICE);
    board.do(BOB, { type: "addComment", ideaId: id, text: "Nice" });
    board.refuses(BOB, { type: "deleteIdea", ideaId: id }, "forbidden");
    board.do(ALICE, { type: "deleteIdea", ideaId: id });
    expect(board.state.ideas).toEqual({});
    expect(board.state.comments).toEqual({});
    board.refuses(ALICE, { type: "deleteIdea", ideaId: id }, "not_found");
  });

  it("B12: facilitators delete any idea during group, hidden ones too, and the ideas merged into it", () => {
    const board = new TestBoard();
    const a = board.propose(ALICE, "A");
    const b = board.propose(BOB, "B");
    const c = board.propose(BOB, "C");
    board.phase("group");
    board.refuses(ALICE, { type: "deleteIdea", ideaId: a }, "wrong_phase");
    board.do(FAC, { type: "mergeIdeas", sourceId: a, targetId: b });
    board.do(FAC, { type: "deleteIdea", ideaId: b });
    expect(Object.keys(board.state.ideas)).toEqual([c]);
    board.do(FAC, { type: "hideIdea", ideaId: c, reason: "Off topic" });
    board.do(FAC, { type: "deleteIdea", ideaId: c });
    expect(board.state.ideas).toEqual({});
  });
});

describe("comments and reactions", () => {
  it("B13: anyone comments in any phase but closed, within 1..1000 chars", () => {
    const board = new TestBoard();
    const id = board.propose(ALICE);
    board.do(BOB, { type: "addComment", ideaId: id, text: " Agree " });
    expect(Object.values(board.state.comments)[0]).toMatchObject({
      ideaId: id,
      authorId: BOB,
      text: "Agree",
    });
    board.refuses(BOB, { type: "addComment", ideaId: id, text: "x".repeat(1001) }, "invalid_input");
    board.phase("reveal");
    board.do(BOB, { type: "addComment", ideaId: id, text: "Still open" });
    board.phase("closed");
    board.refuses(BOB, { type: "addComment", ideaId: id, text: "Closed" }, "wrong_phase");
  });

  it("B13: authors delete their own comments, facilitators any", () => {
    const board = new TestBoard();
    const id = board.propose(ALICE);
    board.do(BOB, { type: "addComment", ideaId: id, text: "First" });
    board.do(BOB, { type: "addComment", ideaId: id, text: "Second" });
    board.refuses(ALICE, { type: "deleteComment", commentId: commentId(board, "First") }, "forbidden");
    board.do(BOB, { type: "deleteComment", commentId: commentId(board, "First") });
    board.do(FAC, { type: "deleteComment", commentId: commentId(board, "Second") });
    expect(board.state.comments).toEqual({});
  });

  it("B13: comments on anonymous boards are anonymous", () => {
    const board = new TestBoard({ anonymousIdeas: true });
    const id = board.propose(ALICE);
    board.do(BOB, { type: "addComment", ideaId: id, text: "Quiet" });
    expect(Object.values(board.state.comments)[0]?.anonymous).toBe(true);
  });

  it("B14: a reaction is on or off per participant and key; repeating changes nothing", () => {
    const board = new TestBoard();
    const id = board.propose(ALICE);
    board.do(BOB, { type: "setReaction", ideaId: id, reaction: "heart", on: true });
    expect(board.do(BOB, { type: "setReaction", ideaId: id, reaction: "heart", on: true })).toEqual([]);
    board.do(ALICE, { type: "setReaction", ideaId: id, reaction: "heart", on: true });
    expect(board.state.ideas[id]?.reactions.heart).toEqual([BOB, ALICE]);
    board.do(BOB, { type: "setReaction", ideaId: id, reaction: "heart", on: false });
    expect(board.state.ideas[id]?.reactions.heart).toEqual([ALICE]);
    board.refuses(
      BOB,
      { type: "setReaction", ideaId: id, reaction: "poop" as never, on: true },
      "invalid_input",
    );
    board.phase("closed");
    board.refuses(BOB, { type: "setReaction", ideaId: id, reaction: "lightbulb", on: true }, "wrong_phase");
  });
});

describe("moderation", () => {
  it("B15: facilitators hide with a reason and restore, in any phase", () => {
    const board = new TestBoard();
    const id = board.propose(ALICE);
    board.refuses(ALICE, { type: "hideIdea", ideaId: id, reason: "mine" }, "forbidden");
    board.refuses(FAC, { type: "hideIdea", ideaId: id, reason: " " }, "invalid_input");
    board.do(FAC, { type: "hideIdea", ideaId: id, reason: "Personal data" });
    expect(board.state.ideas[id]?.hidden).toEqual({ reason: "Personal data", by: FAC, at: board.now });
    expect(board.do(FAC, { type: "hideIdea", ideaId: id, reason: "Personal data" })).toEqual([]);
    board.do(FAC, { type: "hideIdea", ideaId: id, reason: "Insult" });
    expect(board.state.ideas[id]?.hidden?.reason).toBe("Insult");
    board.phase("closed");
    board.do(FAC, { type: "restoreIdea", ideaId: id, reason: "Edited" });
    expect(board.state.ideas[id]?.hidden).toBeNull();
    expect(board.do(FAC, { type: "restoreIdea", ideaId: id })).toEqual([]);
  });

  it("B15: a hidden idea does not exist for participants and is idea_hidden for facilitators", () => {
    const board = new TestBoard();
    const id = board.propose(ALICE);
    board.do(FAC, { type: "hideIdea", ideaId: id, reason: "Spam" });
    board.refuses(ALICE, { type: "editIdea", ideaId: id, text: "x" }, "not_found");
    board.refuses(BOB, { type: "addComment", ideaId: id, text: "x" }, "not_found");
    board.refuses(FAC, { type: "addComment", ideaId: id, text: "x" }, "idea_hidden");
    board.refuses(FAC, { type: "editIdea", ideaId: id, text: "x" }, "idea_hidden");
    board.phase("vote");
    board.refuses(BOB, { type: "castVote", ideaId: id }, "not_found");
    board.refuses(FAC, { type: "castVote", ideaId: id }, "idea_hidden");
  });

  it("B15: hiding gives the idea's votes back, and restoring does not bring them back", () => {
    const board = new TestBoard();
    const id = board.propose(ALICE);
    board.phase("vote");
    board.vote(BOB, id, 3);
    expect(remainingBudget(board.state, BOB)).toBe(2);
    board.do(FAC, { type: "hideIdea", ideaId: id, reason: "Duplicate of a removed idea" });
    expect(remainingBudget(board.state, BOB)).toBe(5);
    expect(board.state.votes).toEqual({});
    board.do(FAC, { type: "restoreIdea", ideaId: id });
    expect(remainingBudget(board.state, BOB)).toBe(5);
  });
});

describe("limits", () => {
  it("B10: a board holds at most 1000 ideas", () => {
    const board = new TestBoard();
    let state = board.state;
    for (let i = 0; i < 1000; i++) {
      state = applyEvent(state, {
        type: "ideaProposed",
        ideaId: uuid(0x50000 + i) as IdeaId,
        columnId: ideas,
        text: `Idea ${i}`,
        details: null,
        authorId: BOB,
        anonymous: false,
        at: i,
      });
    }
    board.state = state;
    board.refuses(ALICE, { type: "proposeIdea", columnId: ideas, text: "One too many" }, "limit_reached");
  });

  it("B13: an idea holds at most 200 comments", () => {
    const board = new TestBoard();
    const id = board.propose(ALICE);
    for (let i = 0; i < 200; i++) board.do(BOB, { type: "addComment", ideaId: id, text: `c${i}` });
    board.refuses(BOB, { type: "addComment", ideaId: id, text: "more" }, "limit_reached");
  });
});
