import { describe, expect, it } from "vitest";
import { ALICE, FAC, SYSTEM, TestBoard } from "../test/fixtures.js";
import { isStaleExpiry, nextPhase, timeLeftMs } from "./index.js";

describe("phases", () => {
  it("B7: facilitators move forward through collect, group, vote, reveal, closed", () => {
    const board = new TestBoard();
    for (const phase of ["group", "vote", "reveal", "closed"] as const) {
      board.phase(phase);
      expect(board.state.phase).toBe(phase);
      expect(board.state.phaseStartedAt).toBe(board.now);
    }
  });

  it("B7: phases may be skipped but never repeated or reversed; closed is final", () => {
    const board = new TestBoard();
    board.refuses(ALICE, { type: "setPhase", phase: "group" }, "forbidden");
    board.refuses(FAC, { type: "setPhase", phase: "collect" }, "invalid_transition");
    board.phase("vote");
    board.refuses(FAC, { type: "setPhase", phase: "group" }, "invalid_transition");
    board.phase("closed");
    board.refuses(FAC, { type: "setPhase", phase: "reveal" }, "invalid_transition");
    expect(nextPhase("closed")).toBeNull();
  });

  it("B7: changing phase clears the timer", () => {
    const board = new TestBoard();
    board.do(FAC, { type: "setTimer", durationMs: 60_000 });
    board.phase("group");
    expect(board.state.deadlineAt).toBeNull();
    expect(board.state.pausedRemainingMs).toBeNull();
  });
});

describe("timer", () => {
  it("B8: set puts the deadline at now + duration", () => {
    const board = new TestBoard();
    board.do(FAC, { type: "setTimer", durationMs: 90_000 });
    expect(board.state.deadlineAt).toBe(board.now + 90_000);
    expect(timeLeftMs(board.state, board.now + 30_000)).toBe(60_000);
  });

  it("B8: extend moves a running deadline or adds to a paused remainder", () => {
    const board = new TestBoard();
    board.do(FAC, { type: "setTimer", durationMs: 60_000 });
    const deadline = board.state.deadlineAt!;
    board.do(FAC, { type: "extendTimer", byMs: 30_000 });
    expect(board.state.deadlineAt).toBe(deadline + 30_000);
    board.do(FAC, { type: "pauseTimer" });
    const paused = board.state.pausedRemainingMs!;
    board.do(FAC, { type: "extendTimer", byMs: 10_000 });
    expect(board.state.pausedRemainingMs).toBe(paused + 10_000);
  });

  it("B8: extending an overdue timer counts from now", () => {
    const board = new TestBoard();
    board.do(FAC, { type: "setTimer", durationMs: 1_000 });
    board.now += 10_000;
    board.do(FAC, { type: "extendTimer", byMs: 5_000 });
    expect(board.state.deadlineAt).toBe(board.now + 5_000);
  });

  it("B8: pause keeps the time left and resume restarts it from now", () => {
    const board = new TestBoard();
    board.do(FAC, { type: "setTimer", durationMs: 60_000 });
    board.do(FAC, { type: "pauseTimer" });
    expect(board.state).toMatchObject({ deadlineAt: null, pausedRemainingMs: 59_000 });
    board.do(FAC, { type: "resumeTimer" });
    expect(board.state).toMatchObject({ deadlineAt: board.now + 59_000, pausedRemainingMs: null });
  });

  it("B8: timer commands need the right timer state, a facilitator, bounds and an open phase", () => {
    const board = new TestBoard();
    board.refuses(FAC, { type: "extendTimer", byMs: 1_000 }, "no_timer");
    board.refuses(FAC, { type: "clearTimer" }, "no_timer");
    board.refuses(FAC, { type: "pauseTimer" }, "timer_not_running");
    board.refuses(FAC, { type: "resumeTimer" }, "timer_not_paused");
    board.refuses(ALICE, { type: "setTimer", durationMs: 60_000 }, "forbidden");
    board.refuses(FAC, { type: "setTimer", durationMs: 999 }, "invalid_input");
    board.refuses(FAC, { type: "setTimer", durationMs: 86_400_001 }, "invalid_input");
    board.do(FAC, { type: "setTimer", durationMs: 60_000 });
    board.refuses(FAC, { type: "resumeTimer" }, "timer_not_paused");
    board.do(FAC, { type: "clearTimer" });
    expect(board.state.deadlineAt).toBeNull();
    board.phase("closed");
    board.refuses(FAC, { type: "setTimer", durationMs: 60_000 }, "wrong_phase");
  });

  it("B9: a due timer report ends the phase it was armed for", () => {
    const board = new TestBoard();
    board.do(FAC, { type: "setTimer", durationMs: 60_000 });
    const deadline = board.state.deadlineAt!;
    const events = board.do(SYSTEM, { type: "timerExpired", phase: "collect", now: deadline });
    expect(events).toEqual([
      { type: "phaseChanged", from: "collect", to: "group", at: deadline, reason: "timer" },
    ]);
    expect(board.state).toMatchObject({ phase: "group", deadlineAt: null });
  });

  it("B9: stale reports change nothing: extended, paused, other phase, cleared", () => {
    const board = new TestBoard();
    board.do(FAC, { type: "setTimer", durationMs: 60_000 });
    const first = board.state.deadlineAt!;
    board.do(FAC, { type: "extendTimer", byMs: 60_000 });
    expect(board.do(SYSTEM, { type: "timerExpired", phase: "collect", now: first })).toEqual([]);
    board.do(FAC, { type: "pauseTimer" });
    expect(board.do(SYSTEM, { type: "timerExpired", phase: "collect", now: first + 120_000 })).toEqual([]);
    board.do(FAC, { type: "resumeTimer" });
    const due = board.state.deadlineAt!;
    expect(board.do(SYSTEM, { type: "timerExpired", phase: "group", now: due })).toEqual([]);
    expect(
      isStaleExpiry(board.state, {
        type: "timerExpired",
        boardId: board.state.id,
        phase: "collect",
        now: due,
      }),
    ).toBe(false);
    board.do(FAC, { type: "clearTimer" });
    expect(board.do(SYSTEM, { type: "timerExpired", phase: "collect", now: due })).toEqual([]);
    expect(board.state.phase).toBe("collect");
  });

  it("B9: a report from an earlier phase's job does not end the next phase", () => {
    const board = new TestBoard();
    board.do(FAC, { type: "setTimer", durationMs: 60_000 });
    const collectDeadline = board.state.deadlineAt!;
    board.phase("group");
    board.do(FAC, { type: "setTimer", durationMs: 1_000 });
    expect(board.do(SYSTEM, { type: "timerExpired", phase: "collect", now: collectDeadline })).toEqual([]);
    expect(board.state.phase).toBe("group");
  });
});
