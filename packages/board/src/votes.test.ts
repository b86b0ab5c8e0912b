import { describe, expect, it } from "vitest";
import { ALICE, BOB, FAC, TestBoard } from "../test/fixtures.js";
import { remainingBudget, spentBy, tallies, votesOf } from "./index.js";

describe("votes", () => {
  it("B19: votes are cast one at a time during the vote phase only", () => {
    const board = new TestBoard();
    const idea = board.propose(ALICE);
    board.refuses(BOB, { type: "castVote", ideaId: idea }, "wrong_phase");
    board.phase("vote");
    board.vote(BOB, idea);
    board.vote(FAC, idea);
    expect(votesOf(board.state, BOB)).toEqual({ [idea]: 1 });
    expect(tallies(board.state)).toEqual({ [idea]: 2 });
    board.phase("reveal");
    board.refuses(BOB, { type: "castVote", ideaId: idea }, "wrong_phase");
  });

  it("B19: no more than maxVotesPerIdea on one idea", () => {
    const board = new TestBoard({ voteBudget: 5, maxVotesPerIdea: 3 });
    const idea = board.propose(ALICE);
    board.phase("vote");
    board.vote(BOB, idea, 3);
    board.refuses(BOB, { type: "castVote", ideaId: idea }, "idea_cap_reached");
    expect(votesOf(board.state, BOB)[idea]).toBe(3);
  });

  it("B19: a vote beyond the budget is refused", () => {
    const board = new TestBoard({ voteBudget: 4, maxVotesPerIdea: 2 });
    const one = board.propose(ALICE, "One");
    const two = board.propose(ALICE, "Two");
    const three = board.propose(ALICE, "Three");
    board.phase("vote");
    board.vote(BOB, one, 2);
    board.vote(BOB, two, 2);
    expect(remainingBudget(board.state, BOB)).toBe(0);
    board.refuses(BOB, { type: "castVote", ideaId: three }, "budget_exhausted");
    expect(spentBy(board.state, BOB)).toBe(4);
  });

  it("B20: retracting gives one vote back", () => {
    const board = new TestBoard();
    const idea = board.propose(ALICE);
    board.phase("vote");
    board.vote(BOB, idea, 2);
    board.do(BOB, { type: "retractVote", ideaId: idea });
    expect(votesOf(board.state, BOB)).toEqual({ [idea]: 1 });
    board.do(BOB, { type: "retractVote", ideaId: idea });
    expect(board.state.votes).toEqual({});
    board.refuses(BOB, { type: "retractVote", ideaId: idea }, "no_vote_to_retract");
  });

  it("B20: retracting is refused when the board does not allow it", () => {
    const board = new TestBoard({ allowRetract: false });
    const idea = board.propose(ALICE);
    board.phase("vote");
    board.vote(BOB, idea);
    board.refuses(BOB, { type: "retractVote", ideaId: idea }, "retract_disabled");
  });
});
