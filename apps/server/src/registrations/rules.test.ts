import { describe, expect, it } from "vitest";
import {
  admit,
  checkAnswers,
  likePattern,
  registrationWindowState,
  seatsLeft,
  type QuestionRule,
} from "./rules.js";

const open = {
  registrationEnabled: true,
  registrationOpensAt: new Date("2026-01-01T00:00:00Z"),
  registrationClosesAt: new Date("2026-02-01T00:00:00Z"),
  endsAt: new Date("2026-03-01T00:00:00Z"),
};

describe("registration window", () => {
  it.each([
    ["2025-12-31T23:59:59Z", "not_yet_open"],
    ["2026-01-01T00:00:00Z", "open"],
    ["2026-01-31T23:59:59Z", "open"],
    ["2026-02-01T00:00:00Z", "closed"],
  ])("at %s it is %s", (now, state) => {
    expect(registrationWindowState(open, new Date(now))).toBe(state);
  });

  it("is closed when disabled, and when the event is over even without a closing date", () => {
    expect(
      registrationWindowState({ ...open, registrationEnabled: false }, new Date("2026-01-10T00:00:00Z")),
    ).toBe("not_enabled");
    const noClose = { ...open, registrationClosesAt: null };
    expect(registrationWindowState(noClose, new Date("2026-03-01T00:00:00Z"))).toBe("closed");
  });
});

describe("admission", () => {
  const rules = { capacity: 2, seatsTaken: 0, waitlist: true, approvalRequired: false };
  const plain = { skipApproval: false, bypassCapacity: false };

  it.each([
    ["a free seat", rules, plain, { status: "confirmed", overCapacity: false }],
    [
      "no limit",
      { ...rules, capacity: null, seatsTaken: 10_000 },
      plain,
      { status: "confirmed", overCapacity: false },
    ],
    [
      "full with a waitlist",
      { ...rules, seatsTaken: 2 },
      plain,
      { status: "waitlisted", overCapacity: false },
    ],
    ["full without a waitlist", { ...rules, seatsTaken: 2, waitlist: false }, plain, { status: "full" }],
    [
      "full, bypassing capacity",
      { ...rules, seatsTaken: 2 },
      { ...plain, bypassCapacity: true },
      { status: "confirmed", overCapacity: true },
    ],
    [
      "approval first",
      { ...rules, approvalRequired: true },
      plain,
      { status: "pending", overCapacity: false },
    ],
    [
      "approval skipped",
      { ...rules, approvalRequired: true },
      { ...plain, skipApproval: true },
      { status: "confirmed", overCapacity: false },
    ],
    ["capacity zero", { ...rules, capacity: 0 }, plain, { status: "waitlisted", overCapacity: false }],
  ] as const)("%s", (_name, r, options, expected) => {
    expect(admit(r, options)).toEqual(expected);
  });

  it("counts seats left, never below zero", () => {
    expect(seatsLeft(null, 5)).toBeNull();
    expect(seatsLeft(3, 1)).toBe(2);
    expect(seatsLeft(3, 5)).toBe(0);
  });
});

describe("answers", () => {
  const questions: QuestionRule[] = [
    { id: "q-text", kind: "text", label: "Organization", required: true, options: [] },
    { id: "q-one", kind: "single_choice", label: "Diet", required: false, options: ["none", "vegan"] },
    { id: "q-many", kind: "multiple_choice", label: "Topics", required: false, options: ["a", "b", "c"] },
    { id: "q-check", kind: "checkbox", label: "Privacy", required: true, options: [] },
  ];

  it("accepts well-formed answers, trims text and keeps choices in the options' order", () => {
    const result = checkAnswers(
      questions,
      { "q-text": "  ACME ", "q-one": "vegan", "q-many": ["c", "a"], "q-check": true },
      true,
    );
    expect(result).toEqual({
      ok: true,
      answers: { "q-text": "ACME", "q-one": "vegan", "q-many": ["a", "c"], "q-check": true },
    });
  });

  it("rejects unknown questions, wrong shapes, options not offered, and missing required answers", () => {
    const result = checkAnswers(
      questions,
      { "q-zzz": "x", "q-one": "pizza", "q-many": ["a", "a"], "q-check": false, "q-text": "   " },
      true,
    );
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.issues.map((i) => i.path).sort();
    expect(paths).toEqual([
      "answers.q-check",
      "answers.q-many",
      "answers.q-one",
      "answers.q-text",
      "answers.q-zzz",
    ]);
    expect(checkAnswers(questions, { "q-one": ["none"] }, false)).toMatchObject({ ok: false });
  });

  it("does not ask for required answers when the organizer fills the form", () => {
    expect(checkAnswers(questions, {}, false)).toEqual({ ok: true, answers: {} });
  });
});

it("escapes LIKE wildcards in searches", () => {
  expect(likePattern("50%_off\\")).toBe("%50\\%\\_off\\\\%");
});
