import { describe, expect, it } from "vitest";
import {
  BOARD_LIMITS,
  BoardAck,
  BoardCommand,
  BoardErrorCode,
  BoardJoin,
  BoardPatch,
  BoardSettings,
  DEFAULT_BOARD_SETTINGS,
  ErrorCode,
} from "./index.js";

const boardId = "00000000-0000-4000-8000-000000000001";
const ideaId = "00000000-0000-4000-8000-000000000002";
const clientOpId = "00000000-0000-4000-8000-0000000000ff";
const base = { clientOpId, boardId };

describe("board commands on the wire", () => {
  it("parses a valid command and trims its text", () => {
    const parsed = BoardCommand.parse({ ...base, type: "proposeIdea", columnId: "ideas", text: "  Hi  " });
    expect(parsed).toMatchObject({ type: "proposeIdea", text: "Hi" });
  });

  it("requires a uuid clientOpId and boardId on every command", () => {
    expect(BoardCommand.safeParse({ type: "lockBoard", boardId }).success).toBe(false);
    expect(BoardCommand.safeParse({ type: "lockBoard", boardId, clientOpId: "op-1" }).success).toBe(false);
    expect(BoardCommand.safeParse({ type: "lockBoard", clientOpId, boardId: "b" }).success).toBe(false);
    expect(BoardCommand.safeParse({ ...base, type: "lockBoard" }).success).toBe(true);
  });

  it("rejects unknown types, unknown fields and the server-only timerExpired", () => {
    expect(BoardCommand.safeParse({ ...base, type: "explode" }).success).toBe(false);
    expect(BoardCommand.safeParse({ ...base, type: "castVote", ideaId, count: 99 }).success).toBe(false);
    expect(BoardCommand.safeParse({ ...base, type: "timerExpired", phase: "vote", now: 1 }).success).toBe(
      false,
    );
  });

  it("enforces the length limits", () => {
    const cases: [Record<string, unknown>, number][] = [
      [{ type: "proposeIdea", columnId: "ideas", text: "x" }, BOARD_LIMITS.ideaTextMaxLength],
      [{ type: "addComment", ideaId, text: "x" }, BOARD_LIMITS.commentMaxLength],
      [{ type: "createGroup", title: "x" }, BOARD_LIMITS.groupTitleMaxLength],
      [{ type: "hideIdea", ideaId, reason: "x" }, BOARD_LIMITS.reasonMaxLength],
    ];
    for (const [command, max] of cases) {
      const field = "text" in command ? "text" : "title" in command ? "title" : "reason";
      expect(BoardCommand.safeParse({ ...base, ...command, [field]: "y".repeat(max) }).success).toBe(true);
      expect(BoardCommand.safeParse({ ...base, ...command, [field]: "y".repeat(max + 1) }).success).toBe(
        false,
      );
      expect(BoardCommand.safeParse({ ...base, ...command, [field]: "   " }).success).toBe(false);
    }
    const details = { ...base, type: "proposeIdea", columnId: "ideas", text: "x" };
    expect(BoardCommand.safeParse({ ...details, details: "d".repeat(2000) }).success).toBe(true);
    expect(BoardCommand.safeParse({ ...details, details: "d".repeat(2001) }).success).toBe(false);
  });

  it("bounds timer durations and rejects non-integers", () => {
    expect(BoardCommand.safeParse({ ...base, type: "setTimer", durationMs: 60_000 }).success).toBe(true);
    expect(BoardCommand.safeParse({ ...base, type: "setTimer", durationMs: 999 }).success).toBe(false);
    expect(BoardCommand.safeParse({ ...base, type: "setTimer", durationMs: 1.5e3 + 0.5 }).success).toBe(
      false,
    );
    expect(BoardCommand.safeParse({ ...base, type: "extendTimer", byMs: 86_400_001 }).success).toBe(false);
  });
});

describe("board settings", () => {
  it("defaults to 5 votes, 3 per idea, votes hidden until reveal", () => {
    expect(DEFAULT_BOARD_SETTINGS).toMatchObject({
      voteBudget: 5,
      maxVotesPerIdea: 3,
      hideVotesUntilReveal: true,
    });
  });

  it("keeps the budget in 1..100 and the per-idea cap within the budget", () => {
    expect(BoardSettings.safeParse({ voteBudget: 0 }).success).toBe(false);
    expect(BoardSettings.safeParse({ voteBudget: 101, maxVotesPerIdea: 3 }).success).toBe(false);
    expect(BoardSettings.safeParse({ voteBudget: 2 }).success).toBe(false);
    expect(BoardSettings.safeParse({ voteBudget: 2, maxVotesPerIdea: 2 }).success).toBe(true);
    expect(BoardSettings.safeParse({ voteBudget: 5, maxVotesPerIdea: 0 }).success).toBe(false);
  });

  it("needs 1..12 columns with unique, well-formed ids", () => {
    const column = (id: string) => ({ id, title: id });
    expect(BoardSettings.safeParse({ columns: [] }).success).toBe(false);
    expect(BoardSettings.safeParse({ columns: [column("a"), column("a")] }).success).toBe(false);
    expect(BoardSettings.safeParse({ columns: [column("Not OK")] }).success).toBe(false);
    expect(
      BoardSettings.safeParse({ columns: Array.from({ length: 13 }, (_, i) => column(`c${i}`)) }).success,
    ).toBe(false);
    expect(BoardSettings.parse({ columns: [column("keep")] }).columns[0]).toEqual({
      id: "keep",
      title: "keep",
      prompt: "",
    });
  });
});

describe("acks, joins and patches", () => {
  it("acks are ok with a seq or a failure with a known code", () => {
    expect(BoardAck.parse({ ok: true, seq: 3, createdId: ideaId })).toEqual({
      ok: true,
      seq: 3,
      createdId: ideaId,
    });
    expect(BoardAck.safeParse({ ok: false, code: BoardErrorCode.budgetExhausted }).success).toBe(true);
    expect(BoardAck.safeParse({ ok: false, code: ErrorCode.rateLimited }).success).toBe(true);
    expect(BoardAck.safeParse({ ok: false, code: "whatever" }).success).toBe(false);
  });

  it("a join may carry the last seq seen", () => {
    expect(BoardJoin.parse({ boardId, lastSeq: 12 })).toEqual({ boardId, lastSeq: 12 });
    expect(BoardJoin.safeParse({ boardId, lastSeq: -1 }).success).toBe(false);
  });

  it("a patch carries a seq range, changes and optional absolute tallies", () => {
    const patch = {
      boardId,
      fromSeq: 4,
      toSeq: 6,
      changes: [{ type: "ideaRemoved", ideaId }],
      tallies: { [ideaId]: 0 },
    };
    expect(BoardPatch.parse(patch)).toEqual(patch);
    expect(BoardPatch.safeParse({ ...patch, tallies: null }).success).toBe(true);
  });
});
