import type { ColumnId, IdeaId } from "@convivio/protocol";
import { describe, expect, it } from "vitest";
import { ALICE, BOB, CAROL, FAC, TestBoard, uuid } from "../test/fixtures.js";
import { rankIdeas, resultsFor } from "./index.js";

const facilitator = { participantId: FAC, role: "facilitator" } as const;

describe("ranking", () => {
  it("B21: more votes first, then the earliest idea, then the smaller id", () => {
    const a = { id: uuid(3) as IdeaId, createdAt: 10, votes: 2 };
    const b = { id: uuid(2) as IdeaId, createdAt: 5, votes: 2 };
    const c = { id: uuid(1) as IdeaId, createdAt: 5, votes: 2 };
    const d = { id: uuid(0) as IdeaId, createdAt: 1, votes: 7 };
    const e = { id: uuid(9) as IdeaId, createdAt: 0, votes: 0 };
    expect(rankIdeas([a, b, c, d, e])).toEqual([d, c, b, a, e]);
    expect(rankIdeas([e, a, d, c, b])).toEqual([d, c, b, a, e]);
  });

  it("B21: hidden and merged ideas are not ranked", () => {
    const board = new TestBoard({ hideVotesUntilReveal: false });
    const kept = board.propose(ALICE, "Kept");
    const merged = board.propose(ALICE, "Merged");
    const hidden = board.propose(ALICE, "Hidden");
    board.phase("group");
    board.do(FAC, { type: "mergeIdeas", sourceId: merged, targetId: kept });
    board.do(FAC, { type: "hideIdea", ideaId: hidden, reason: "Spam" });
    board.phase("vote");
    const result = resultsFor(board.state, facilitator);
    expect(result.ok && result.results.overall.map((row) => row.ideaId)).toEqual([kept]);
  });
});

describe("results", () => {
  const columns = [
    { id: "now" as ColumnId, title: "Now" },
    { id: "later" as ColumnId, title: "Later" },
  ];

  it("B22: results rank overall and per column, with counts, groups and merges", () => {
    const board = new TestBoard({ columns });
    const first = board.propose(ALICE, "Quick win", "now");
    const second = board.propose(BOB, "Big plan", "later");
    const third = board.propose(CAROL, "Small fix", "now");
    const dup = board.propose(CAROL, "Small fix again", "now");
    board.phase("group");
    const [created] = board.do(FAC, { type: "createGroup", title: "Fixes" });
    const groupId = created?.type === "groupCreated" ? created.groupId : null;
    board.do(FAC, { type: "setIdeaGroup", ideaId: third, groupId });
    board.do(FAC, { type: "mergeIdeas", sourceId: dup, targetId: third });
    board.phase("vote");
    board.vote(ALICE, second, 3);
    board.vote(BOB, third, 2);
    board.vote(CAROL, first, 1);
    board.phase("reveal");
    const result = resultsFor(board.state, facilitator);
    if (!result.ok) throw new Error(result.code);
    const { overall, columns: perColumn } = result.results;
    expect(overall.map((r) => [r.text, r.votes, r.rank, r.columnRank])).toEqual([
      ["Big plan", 3, 1, 1],
      ["Small fix", 2, 2, 1],
      ["Quick win", 1, 3, 2],
    ]);
    expect(overall[1]).toMatchObject({
      groupTitle: "Fixes",
      mergedCount: 1,
      columnTitle: "Now",
      authorId: CAROL,
    });
    expect(perColumn.map((c) => [c.title, c.rows.map((r) => r.text)])).toEqual([
      ["Now", ["Small fix", "Quick win"]],
      ["Later", ["Big plan"]],
    ]);
  });

  it("B22: results are refused while votes are hidden", () => {
    const board = new TestBoard();
    board.propose(ALICE);
    board.phase("vote");
    expect(resultsFor(board.state, facilitator)).toEqual({ ok: false, code: "votes_hidden" });
    board.phase("reveal");
    expect(resultsFor(board.state, facilitator).ok).toBe(true);
  });
});
