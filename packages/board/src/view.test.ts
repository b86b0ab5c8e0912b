import type { BoardPatch } from "@convivio/protocol";
import { describe, expect, it } from "vitest";
import { ALICE, BOB, CAROL, FAC, TestBoard } from "../test/fixtures.js";
import {
  applyPatch,
  applySelf,
  audienceView,
  diffViews,
  resultsFor,
  selfView,
  snapshot,
  viewFor,
} from "./index.js";

const alice = { participantId: ALICE, role: "participant" } as const;
const bob = { participantId: BOB, role: "participant" } as const;
const facilitator = { participantId: FAC, role: "facilitator" } as const;

describe("hidden votes", () => {
  it("B23: before reveal a participant sees only their own votes and remaining budget", () => {
    const board = new TestBoard();
    const idea = board.propose(CAROL);
    board.phase("vote");
    board.vote(ALICE, idea, 2);
    board.vote(BOB, idea, 3);
    const view = viewFor(board.state, alice);
    expect(view.tallies).toBeNull();
    expect(view.meta.votesVisible).toBe(false);
    expect(view.self).toMatchObject({ votes: { [idea]: 2 }, remaining: 3 });
    expect(JSON.stringify(view)).not.toContain(`"${idea}":5`);
  });

  it("B23: facilitators get no counts before reveal either", () => {
    const board = new TestBoard();
    const idea = board.propose(CAROL);
    board.phase("vote");
    board.vote(ALICE, idea, 2);
    const view = viewFor(board.state, facilitator);
    expect(view.tallies).toBeNull();
    expect(view.self?.votes).toEqual({});
    expect(audienceView(board.state, "facilitator").tallies).toBeNull();
  });

  it("B23: counts appear for everyone at reveal, or during voting when votes are not hidden", () => {
    const board = new TestBoard();
    const idea = board.propose(CAROL);
    board.phase("vote");
    board.vote(ALICE, idea, 2);
    board.vote(BOB, idea, 1);
    board.phase("reveal");
    expect(viewFor(board.state, alice).tallies).toEqual({ [idea]: 3 });
    expect(viewFor(board.state, facilitator).tallies).toEqual({ [idea]: 3 });

    const open = new TestBoard({ hideVotesUntilReveal: false });
    const other = open.propose(CAROL);
    open.phase("vote");
    open.vote(BOB, other);
    expect(viewFor(open.state, alice).tallies).toEqual({ [other]: 1 });
  });

  it("B24: no view names who voted", () => {
    const board = new TestBoard();
    const idea = board.propose(CAROL);
    board.phase("vote");
    board.vote(BOB, idea, 2);
    board.phase("reveal");
    for (const viewer of [alice, facilitator]) {
      expect(JSON.stringify(viewFor(board.state, viewer))).not.toContain(BOB);
    }
  });
});

describe("anonymous authors", () => {
  it("B25: nobody but the author learns who wrote an anonymous idea, facilitators included", () => {
    const board = new TestBoard({ anonymousIdeas: true });
    const idea = board.propose(ALICE, "Quietly");
    board.do(ALICE, { type: "addComment", ideaId: idea, text: "And more" });
    for (const viewer of [bob, facilitator]) {
      const view = viewFor(board.state, viewer);
      expect(view.ideas[idea]?.authorId).toBeNull();
      expect(JSON.stringify(view)).not.toContain(ALICE);
    }
    expect(JSON.stringify(audienceView(board.state, "facilitator"))).not.toContain(ALICE);
    const own = viewFor(board.state, alice);
    expect(own.ideas[idea]?.authorId).toBe(ALICE);
    expect(Object.values(own.comments)[0]?.authorId).toBe(ALICE);
    expect(own.self?.ownIdeaIds).toEqual([idea]);
  });

  it("B25: results keep the anonymous author from everyone but the author", () => {
    const board = new TestBoard({ anonymousIdeas: true });
    const idea = board.propose(ALICE, "Quietly");
    board.phase("reveal");
    const forFacilitator = resultsFor(board.state, facilitator);
    const forAuthor = resultsFor(board.state, alice);
    expect(forFacilitator.ok && forFacilitator.results.overall[0]?.authorId).toBeNull();
    expect(JSON.stringify(forFacilitator)).not.toContain(ALICE);
    expect(forAuthor.ok && forAuthor.results.overall.find((r) => r.ideaId === idea)?.authorId).toBe(ALICE);
  });

  it("B25: named ideas show their author to everyone", () => {
    const board = new TestBoard();
    const idea = board.propose(ALICE, "Signed");
    expect(viewFor(board.state, bob).ideas[idea]?.authorId).toBe(ALICE);
  });
});

describe("hidden ideas", () => {
  it("B26: hidden ideas and their comments reach facilitators only, with the reason", () => {
    const board = new TestBoard();
    const idea = board.propose(ALICE, "Rude");
    board.do(BOB, { type: "addComment", ideaId: idea, text: "Indeed" });
    board.do(FAC, { type: "hideIdea", ideaId: idea, reason: "Insult" });
    const participant = viewFor(board.state, alice);
    expect(participant.ideas).toEqual({});
    expect(participant.comments).toEqual({});
    expect(participant.self?.ownIdeaIds).toEqual([]);
    expect(JSON.stringify(participant)).not.toContain("Insult");
    const fac = viewFor(board.state, facilitator);
    expect(fac.ideas[idea]?.hidden).toMatchObject({ reason: "Insult", by: FAC });
    expect(Object.keys(fac.comments)).toHaveLength(1);
  });
});

describe("patches", () => {
  it("B27: a snapshot plus the audience patches and self updates equals the viewer's view", () => {
    const board = new TestBoard({ anonymousIdeas: true });
    let view = snapshot(board.state, alice);
    let audience = audienceView(board.state, "participant");
    const step = (run: () => void) => {
      run();
      const next = audienceView(board.state, "participant");
      const patch = diffViews(audience, next);
      audience = next;
      if (patch) {
        const outcome = applyPatch(view, patch);
        if (outcome.status !== "applied") throw new Error(outcome.status);
        view = outcome.view;
      }
      view = applySelf(view, {
        boardId: board.state.id,
        seq: board.state.seq,
        self: selfView(board.state, alice),
      });
      expect(view).toEqual(viewFor(board.state, alice));
    };
    let idea = board.propose(BOB);
    step(() => (idea = board.propose(ALICE, "Mine")));
    step(() => board.do(BOB, { type: "setReaction", ideaId: idea, reaction: "heart", on: true }));
    step(() => board.phase("vote"));
    step(() => board.vote(ALICE, idea, 2));
    step(() => board.vote(BOB, idea, 1));
    step(() => board.phase("reveal"));
    expect(view.tallies).toEqual({ [idea]: 3 });
  });

  it("B27: patches carry no tallies while hidden and absolute tallies once visible", () => {
    const board = new TestBoard();
    const idea = board.propose(ALICE);
    board.phase("vote");
    const before = audienceView(board.state, "participant");
    board.vote(BOB, idea, 2);
    expect(diffViews(before, audienceView(board.state, "participant"))).toBeNull();
    board.phase("reveal");
    const patch = diffViews(before, audienceView(board.state, "participant"));
    expect(patch?.tallies).toEqual({ [idea]: 2 });
  });

  it("B27: a patch that is already covered is stale; one that skips ahead is a gap", () => {
    const board = new TestBoard();
    const v0 = audienceView(board.state, "participant");
    board.propose(ALICE);
    const v1 = audienceView(board.state, "participant");
    board.propose(BOB);
    const v2 = audienceView(board.state, "participant");
    const first = diffViews(v0, v1) as BoardPatch;
    const second = diffViews(v1, v2) as BoardPatch;
    expect(applyPatch(v0, second)).toEqual({ status: "gap" });
    expect(applyPatch(v1, first)).toEqual({ status: "stale" });
    expect(applyPatch(v1, second)).toEqual({ status: "applied", view: v2 });
  });

  it("B27: a retracted vote shows up as an absolute 0 and leaves the client's tallies", () => {
    const board = new TestBoard({ hideVotesUntilReveal: false });
    const idea = board.propose(ALICE);
    board.phase("vote");
    board.vote(BOB, idea);
    const before = audienceView(board.state, "participant");
    board.do(BOB, { type: "retractVote", ideaId: idea });
    const after = audienceView(board.state, "participant");
    const patch = diffViews(before, after) as BoardPatch;
    expect(patch.tallies).toEqual({ [idea]: 0 });
    const applied = applyPatch(before, patch);
    expect(applied.status === "applied" && applied.view.tallies).toEqual({});
  });
});
