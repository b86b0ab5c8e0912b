import { describe, expect, it } from "vitest";
import { createBoard, decide, viewFor, type BoardState } from "@convivio/board";
import type { BoardId, BoardRole, ColumnId, IdeaId, ParticipantId } from "@convivio/protocol";
import {
  abilitiesOf,
  authorIdsOf,
  canEditIdea,
  columnSections,
  formatCountdown,
  needsPeople,
  newColumnId,
  rankedIdeas,
  timerState,
} from "./model";

const BOARD = "6f1c2a4e-8d3b-4c5a-9e7f-1a2b3c4d5e6f" as BoardId;
const ALICE = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" as ParticipantId;
const BOB = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e" as ParticipantId;
const FAC = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f" as ParticipantId;

let ids = 0;
const newId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`;

class Board {
  state: BoardState = createBoard(
    { columns: [{ id: "ideas" as ColumnId, title: "Ideas", prompt: "" }] },
    { id: BOARD, now: 0 },
  );
  now = 1_000;
  run(actor: ParticipantId, role: BoardRole, command: Parameters<typeof decide>[1]) {
    const outcome = decide(this.state, command, { actor, role, now: this.now++, newId });
    if (!outcome.ok) throw new Error(outcome.code);
    this.state = outcome.state;
  }
  propose(actor: ParticipantId, text: string): IdeaId {
    this.run(actor, "participant", {
      type: "proposeIdea",
      boardId: BOARD,
      columnId: "ideas" as ColumnId,
      text,
    });
    return Object.values(this.state.ideas).find((idea) => idea.text === text)!.id;
  }
  phase(phase: "group" | "vote" | "reveal" | "closed") {
    this.run(FAC, "facilitator", { type: "setPhase", boardId: BOARD, phase });
  }
  vote(actor: ParticipantId, ideaId: IdeaId) {
    this.run(actor, "participant", { type: "castVote", boardId: BOARD, ideaId });
  }
  view(participantId: ParticipantId, role: BoardRole = "participant") {
    return viewFor(this.state, { participantId, role });
  }
}

describe("what the page offers", () => {
  it("offers proposing in collect, merging to facilitators only, voting only while voting", () => {
    const board = new Board();
    const idea = board.propose(ALICE, "Shade trees");
    expect(abilitiesOf(board.view(ALICE), "participant")).toMatchObject({
      propose: true,
      vote: false,
      merge: false,
    });
    expect(canEditIdea(board.view(ALICE), "participant", board.view(ALICE).ideas[idea]!)).toBe(true);
    expect(canEditIdea(board.view(BOB), "participant", board.view(BOB).ideas[idea]!)).toBe(false);

    board.phase("group");
    expect(abilitiesOf(board.view(FAC, "facilitator"), "facilitator")).toMatchObject({
      merge: true,
      group: true,
    });
    expect(abilitiesOf(board.view(ALICE), "participant")).toMatchObject({ propose: false, merge: false });
    expect(canEditIdea(board.view(ALICE), "participant", board.view(ALICE).ideas[idea]!)).toBe(false);

    board.phase("vote");
    expect(abilitiesOf(board.view(ALICE), "participant")).toMatchObject({
      vote: true,
      retract: true,
      group: false,
    });
    board.run(FAC, "facilitator", { type: "lockBoard", boardId: BOARD });
    expect(abilitiesOf(board.view(ALICE), "participant")).toMatchObject({ vote: false, comment: false });
    expect(abilitiesOf(board.view(FAC, "facilitator"), "facilitator")).toMatchObject({
      lock: true,
      phase: false,
    });
  });

  it("ranks by votes then the earliest idea, and only once counts are visible", () => {
    const board = new Board();
    const first = board.propose(ALICE, "first");
    const second = board.propose(BOB, "second");
    const third = board.propose(BOB, "third");
    board.phase("vote");
    board.vote(ALICE, third);
    board.vote(BOB, third);
    board.vote(ALICE, second);
    expect(rankedIdeas(board.view(ALICE))).toBeNull();
    board.phase("reveal");
    const ranked = rankedIdeas(board.view(ALICE))!;
    expect(ranked.map((r) => [r.idea.id, r.votes, r.rank])).toEqual([
      [third, 2, 1],
      [second, 1, 2],
      [first, 0, 3],
    ]);
    // Past voting, the column is ranked too.
    expect(columnSections(board.view(ALICE), "ideas" as ColumnId)[0]!.ideas.map((i) => i.id)).toEqual([
      third,
      second,
      first,
    ]);
  });

  it("keeps the proposing order while collecting, in sections by group with ungrouped ideas last", () => {
    const board = new Board();
    const a = board.propose(ALICE, "a");
    const b = board.propose(BOB, "b");
    const c = board.propose(BOB, "c");
    board.phase("group");
    board.run(FAC, "facilitator", { type: "createGroup", boardId: BOARD, title: "Mobility" });
    const group = Object.values(board.state.groups)[0]!.id;
    board.run(FAC, "facilitator", { type: "setIdeaGroup", boardId: BOARD, ideaId: c, groupId: group });
    const sections = columnSections(board.view(ALICE), "ideas" as ColumnId);
    expect(sections.map((s) => [s.group?.title ?? null, s.ideas.map((i) => i.id)])).toEqual([
      ["Mobility", [c]],
      [null, [a, b]],
    ]);
  });
});

describe("timer and names", () => {
  it("reads a running, paused or missing timer and formats the countdown", () => {
    const meta = new Board().view(ALICE).meta;
    expect(timerState({ ...meta, deadlineAt: 10_000 }, 7_500)).toEqual({ kind: "running", leftMs: 2_500 });
    expect(timerState({ ...meta, deadlineAt: 10_000 }, 12_000)).toEqual({ kind: "running", leftMs: 0 });
    expect(timerState({ ...meta, pausedRemainingMs: 90_000 }, 0)).toEqual({ kind: "paused", leftMs: 90_000 });
    expect(timerState(meta, 0)).toEqual({ kind: "none" });
    expect(formatCountdown(245_000)).toBe("4:05");
    expect(formatCountdown(1_001)).toBe("0:02");
    expect(formatCountdown(3_723_000)).toBe("1:02:03");
    expect(formatCountdown(-5)).toBe("0:00");
  });

  it("makes column ids the protocol accepts, never one already taken", () => {
    expect(newColumnId("Città più verdi!", [])).toBe("citta-piu-verdi");
    expect(newColumnId("Ideas", ["ideas"])).toBe("ideas-2");
    expect(newColumnId("???", [])).toBe("column");
    expect(newColumnId("x".repeat(40), [])).toMatch(/^[a-z0-9][a-z0-9_-]{0,31}$/);
  });
});

describe("authors' names", () => {
  it("lists the authors a view shows, an anonymous one only to themself", () => {
    const board = new Board();
    const named = board.propose(BOB, "Bike lanes");
    board.run(FAC, "facilitator", {
      type: "updateSettings",
      boardId: BOARD,
      settings: { anonymousIdeas: true },
    });
    board.propose(ALICE, "Quiet zones");
    board.run(ALICE, "participant", { type: "addComment", boardId: BOARD, ideaId: named, text: "Wider" });
    expect(authorIdsOf(board.view(BOB))).toEqual([BOB]);
    expect(authorIdsOf(board.view(FAC, "facilitator"))).toEqual([BOB]);
    expect(authorIdsOf(board.view(ALICE)).sort()).toEqual([ALICE, BOB].sort());
  });

  it("asks for names again only for an author neither named nor asked about before", () => {
    const board = new Board();
    board.propose(BOB, "Bike lanes");
    const view = board.view(ALICE);
    expect(needsPeople(view, new Map(), new Set())).toBe(true);
    expect(needsPeople(view, new Map([[BOB, "Bob"]]), new Set([BOB]))).toBe(false);
    // Asked about and left out (gone since, say): asking again would repeat the answer.
    expect(needsPeople(view, new Map(), new Set([BOB]))).toBe(false);
    board.propose(ALICE, "Shade trees");
    expect(needsPeople(board.view(BOB), new Map([[BOB, "Bob"]]), new Set([BOB]))).toBe(true);
  });
});
