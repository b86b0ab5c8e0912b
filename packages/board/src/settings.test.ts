import { DEFAULT_BOARD_SETTINGS } from "@convivio/protocol";
import type { ColumnId } from "@convivio/protocol";
import { describe, expect, it } from "vitest";
import { ALICE, BOARD_ID, FAC, TestBoard } from "../test/fixtures.js";
import { createBoard } from "./index.js";

const columns = [
  { id: "keep" as ColumnId, title: "Keep", prompt: "" },
  { id: "change" as ColumnId, title: "Change", prompt: "What would you change?" },
];

describe("settings", () => {
  it("B1: a new board starts in collect, unlocked, empty, at seq 0", () => {
    const state = createBoard({}, { id: BOARD_ID, now: 42 });
    expect(state).toMatchObject({
      id: BOARD_ID,
      seq: 0,
      phase: "collect",
      phaseStartedAt: 42,
      createdAt: 42,
      locked: false,
      deadlineAt: null,
      pausedRemainingMs: null,
      ideas: {},
      comments: {},
      groups: {},
      votes: {},
    });
  });

  it("B2: defaults are 5 votes, at most 3 per idea, retract allowed, hidden until reveal, open proposing", () => {
    const { settings } = createBoard({}, { id: BOARD_ID, now: 0 });
    expect(settings).toEqual(DEFAULT_BOARD_SETTINGS);
    expect(settings).toMatchObject({
      voteBudget: 5,
      maxVotesPerIdea: 3,
      allowRetract: true,
      hideVotesUntilReveal: true,
      anonymousIdeas: false,
      whoMayPropose: "everyone",
    });
    expect(settings.columns.map((c) => c.id)).toEqual(["ideas"]);
  });

  it("B2: settings out of bounds are rejected at creation", () => {
    expect(() => createBoard({ voteBudget: 0 }, { id: BOARD_ID, now: 0 })).toThrow();
    expect(() => createBoard({ voteBudget: 101 }, { id: BOARD_ID, now: 0 })).toThrow();
    expect(() => createBoard({ voteBudget: 2, maxVotesPerIdea: 3 }, { id: BOARD_ID, now: 0 })).toThrow();
    expect(() => createBoard({ columns: [] }, { id: BOARD_ID, now: 0 })).toThrow();
    expect(() => createBoard({ columns: [columns[0]!, columns[0]!] }, { id: BOARD_ID, now: 0 })).toThrow();
    expect(
      createBoard({ voteBudget: 100, maxVotesPerIdea: 100 }, { id: BOARD_ID, now: 0 }).settings.voteBudget,
    ).toBe(100);
  });

  it("B3: facilitators change settings during collect and group; the patch merges into the settings", () => {
    const board = new TestBoard();
    board.do(FAC, { type: "updateSettings", settings: { voteBudget: 8, columns } });
    expect(board.state.settings).toMatchObject({ voteBudget: 8, maxVotesPerIdea: 3, columns });
    board.phase("group");
    board.do(FAC, { type: "updateSettings", settings: { allowRetract: false } });
    expect(board.state.settings.allowRetract).toBe(false);
    expect(board.state.settings.voteBudget).toBe(8);
  });

  it("B3: participants may not change settings, nor anyone once voting starts", () => {
    const board = new TestBoard();
    board.refuses(ALICE, { type: "updateSettings", settings: { voteBudget: 9 } }, "forbidden");
    board.phase("vote");
    board.refuses(FAC, { type: "updateSettings", settings: { voteBudget: 9 } }, "wrong_phase");
  });

  it("B3: a change that breaks B2 as a whole is invalid_input", () => {
    const board = new TestBoard({ voteBudget: 5, maxVotesPerIdea: 3 });
    board.refuses(FAC, { type: "updateSettings", settings: { voteBudget: 2 } }, "invalid_input");
    board.refuses(FAC, { type: "updateSettings", settings: { maxVotesPerIdea: 6 } }, "invalid_input");
  });

  it("B3: a column holding an idea cannot be removed; an unchanged patch emits nothing", () => {
    const board = new TestBoard({ columns });
    board.propose(ALICE, "Keep the Friday demo", "keep");
    board.refuses(FAC, { type: "updateSettings", settings: { columns: [columns[1]!] } }, "column_in_use");
    board.do(FAC, { type: "updateSettings", settings: { columns: [columns[0]!] } });
    expect(board.state.settings.columns).toEqual([columns[0]]);
    expect(board.do(FAC, { type: "updateSettings", settings: { voteBudget: 5 } })).toEqual([]);
  });

  it("B4: anonymity is fixed per idea when it is proposed", () => {
    const board = new TestBoard({ anonymousIdeas: true });
    const early = board.propose(ALICE, "Anonymous one");
    board.do(FAC, { type: "updateSettings", settings: { anonymousIdeas: false } });
    const late = board.propose(ALICE, "Signed one");
    expect(board.state.ideas[early]?.anonymous).toBe(true);
    expect(board.state.ideas[late]?.anonymous).toBe(false);
    expect(board.state.ideas[early]?.authorId).toBe(ALICE);
  });
});
