import { describe, expect, it } from "vitest";
import type { IdeaId, ParticipantId } from "@convivio/protocol";
import { ALICE, BOB, FAC, TestBoard, uuid } from "../test/fixtures.js";
import type { BoardState } from "./index.js";
import {
  ledgerFrom,
  remainingBudget,
  spentBy,
  tallies,
  upgradeState,
  voteBucketOf,
  voters,
  votesOf,
} from "./index.js";

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

  it("B19: a vote copies only its voter's bucket of the ledger, so its cost does not grow with the board", () => {
    const board = new TestBoard({ voteBudget: 5 });
    const idea = board.propose(ALICE);
    board.phase("vote");
    const crowd = Array.from({ length: 300 }, (_, i) => uuid(0x1000 + i) as ParticipantId);
    for (const person of crowd) board.vote(person, idea);
    const before = board.state;
    board.vote(crowd[7]!, idea);
    const mine = voteBucketOf(crowd[7]!);
    const buckets = Object.keys(before.votes);
    expect(buckets.length).toBeGreaterThan(100);
    for (const key of buckets) {
      if (key === mine) expect(board.state.votes[key]).not.toBe(before.votes[key]);
      else expect(board.state.votes[key]).toBe(before.votes[key]);
    }
    expect(votesOf(board.state, crowd[7]!)).toEqual({ [idea]: 2 });
    expect(tallies(board.state)).toEqual({ [idea]: 301 });
    expect(voters(board.state.votes)).toHaveLength(300);
  });

  it("B19: a snapshot stored with the earlier flat ledger loads in the bucketed shape", () => {
    const idea = uuid(0x99) as IdeaId;
    const board = new TestBoard();
    const flat = { [ALICE]: { [idea]: 2 }, [BOB]: { [idea]: 1 } };
    const stored = { ...board.state, votes: flat } as unknown as BoardState;
    const upgraded = upgradeState(stored);
    expect(upgraded.votes).toEqual(
      ledgerFrom([
        [ALICE, { [idea]: 2 }],
        [BOB, { [idea]: 1 }],
      ]),
    );
    expect(spentBy(upgraded, ALICE)).toBe(2);
    // A state already in the current shape (or with no votes) is returned as it is.
    expect(upgradeState(upgraded)).toBe(upgraded);
    expect(upgradeState(board.state)).toBe(board.state);
  });
});
