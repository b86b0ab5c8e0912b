import type { GroupId, IdeaId } from "@convivio/protocol";
import { describe, expect, it } from "vitest";
import { ALICE, BOB, CAROL, FAC, TestBoard, uuid } from "../test/fixtures.js";
import { ledgerFrom, mergeVoteLedger, remainingBudget, tallies, voters, votesOf } from "./index.js";

function createGroup(board: TestBoard, title: string): GroupId {
  const [event] = board.do(FAC, { type: "createGroup", title });
  if (event?.type !== "groupCreated") throw new Error("no group");
  return event.groupId;
}

describe("groups", () => {
  it("B16: facilitators create, rename and delete groups during the group phase", () => {
    const board = new TestBoard();
    board.refuses(FAC, { type: "createGroup", title: "Early" }, "wrong_phase");
    board.phase("group");
    board.refuses(ALICE, { type: "createGroup", title: "Mine" }, "forbidden");
    board.refuses(FAC, { type: "createGroup", title: "x".repeat(121) }, "invalid_input");
    const group = createGroup(board, " Mobility ");
    expect(board.state.groups[group]).toEqual({ id: group, title: "Mobility", createdAt: board.now });
    board.do(FAC, { type: "renameGroup", groupId: group, title: "Transport" });
    expect(board.state.groups[group]?.title).toBe("Transport");
    expect(board.do(FAC, { type: "renameGroup", groupId: group, title: "Transport" })).toEqual([]);
    board.do(FAC, { type: "deleteGroup", groupId: group });
    expect(board.state.groups).toEqual({});
    board.refuses(FAC, { type: "renameGroup", groupId: group, title: "Gone" }, "not_found");
  });

  it("B16: ideas go into a group and out of it; deleting a group ungroups its ideas", () => {
    const board = new TestBoard();
    const idea = board.propose(ALICE);
    board.phase("group");
    const group = createGroup(board, "Green");
    board.refuses(FAC, { type: "setIdeaGroup", ideaId: idea, groupId: uuid(404) as GroupId }, "not_found");
    board.do(FAC, { type: "setIdeaGroup", ideaId: idea, groupId: group });
    expect(board.state.ideas[idea]?.groupId).toBe(group);
    expect(board.do(FAC, { type: "setIdeaGroup", ideaId: idea, groupId: group })).toEqual([]);
    board.do(FAC, { type: "setIdeaGroup", ideaId: idea, groupId: null });
    expect(board.state.ideas[idea]?.groupId).toBeNull();
    board.do(FAC, { type: "setIdeaGroup", ideaId: idea, groupId: group });
    board.do(FAC, { type: "deleteGroup", groupId: group });
    expect(board.state.ideas[idea]?.groupId).toBeNull();
  });
});

describe("group limits", () => {
  it("B16: a board holds at most 200 groups", () => {
    const board = new TestBoard();
    board.phase("group");
    for (let i = 0; i < 200; i++) createGroup(board, `g${i}`);
    board.refuses(FAC, { type: "createGroup", title: "One more" }, "limit_reached");
  });
});

describe("merging", () => {
  it("B17: facilitators merge during group and vote; the source joins the target", () => {
    const board = new TestBoard();
    const source = board.propose(ALICE, "Bike lanes");
    const target = board.propose(BOB, "More cycle paths");
    board.do(CAROL, { type: "addComment", ideaId: source, text: "Yes" });
    board.do(CAROL, { type: "setReaction", ideaId: source, reaction: "heart", on: true });
    board.do(CAROL, { type: "setReaction", ideaId: target, reaction: "heart", on: true });
    board.do(ALICE, { type: "setReaction", ideaId: source, reaction: "heart", on: true });
    board.refuses(FAC, { type: "mergeIdeas", sourceId: source, targetId: target }, "wrong_phase");
    board.phase("group");
    board.refuses(ALICE, { type: "mergeIdeas", sourceId: source, targetId: target }, "forbidden");
    board.refuses(FAC, { type: "mergeIdeas", sourceId: source, targetId: source }, "same_idea");
    board.do(FAC, { type: "mergeIdeas", sourceId: source, targetId: target });
    expect(board.state.ideas[source]?.mergedInto).toBe(target);
    expect(board.state.ideas[target]).toMatchObject({
      text: "More cycle paths",
      authorId: BOB,
      mergedFrom: [source],
    });
    expect(board.state.ideas[target]?.reactions.heart).toEqual([CAROL, ALICE]);
    expect(Object.values(board.state.comments)[0]?.ideaId).toBe(target);
    board.refuses(FAC, { type: "mergeIdeas", sourceId: source, targetId: target }, "not_found");
    board.refuses(ALICE, { type: "addComment", ideaId: source, text: "x" }, "not_found");
  });

  it("B17: hidden ideas cannot be merged; chains of merges are remembered", () => {
    const board = new TestBoard();
    const a = board.propose(ALICE, "A");
    const b = board.propose(ALICE, "B");
    const c = board.propose(ALICE, "C");
    board.phase("group");
    board.do(FAC, { type: "hideIdea", ideaId: c, reason: "Spam" });
    board.refuses(FAC, { type: "mergeIdeas", sourceId: a, targetId: c }, "idea_hidden");
    board.do(FAC, { type: "restoreIdea", ideaId: c });
    board.do(FAC, { type: "mergeIdeas", sourceId: a, targetId: b });
    board.do(FAC, { type: "mergeIdeas", sourceId: b, targetId: c });
    expect(board.state.ideas[c]?.mergedFrom).toEqual([b, a]);
  });

  it("B18: votes move to the target capped per voter, and the excess returns to the budget", () => {
    const board = new TestBoard({ voteBudget: 6, maxVotesPerIdea: 3 });
    const source = board.propose(ALICE, "Source");
    const target = board.propose(ALICE, "Target");
    board.phase("vote");
    board.vote(BOB, source, 2);
    board.vote(BOB, target, 2);
    board.vote(CAROL, source, 1);
    expect(remainingBudget(board.state, BOB)).toBe(2);
    board.do(FAC, { type: "mergeIdeas", sourceId: source, targetId: target });
    expect(votesOf(board.state, BOB)).toEqual({ [target]: 3 });
    expect(votesOf(board.state, CAROL)).toEqual({ [target]: 1 });
    expect(remainingBudget(board.state, BOB)).toBe(3);
    expect(tallies(board.state)).toEqual({ [target]: 4 });
  });

  it("B18: mergeVoteLedger reports what each voter got back", () => {
    const s = uuid(1) as IdeaId;
    const t = uuid(2) as IdeaId;
    const { votes, returned } = mergeVoteLedger(
      ledgerFrom([
        [ALICE, { [s]: 3, [t]: 3 }],
        [BOB, { [s]: 1 }],
        [CAROL, { [t]: 2 }],
      ]),
      s,
      t,
      3,
    );
    expect(voters(votes)).toEqual([
      [ALICE, { [t]: 3 }],
      [BOB, { [t]: 1 }],
      [CAROL, { [t]: 2 }],
    ]);
    expect(returned).toEqual({ [ALICE]: 3 });
  });
});
