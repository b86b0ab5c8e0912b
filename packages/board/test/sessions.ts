// Random board sessions for the property tests: a few people issue random commands in the
// collect, group and vote phases; ids are picked from what exists so most commands mean something,
// and some name merged, hidden or missing ideas to exercise the refusals.
import { BOARD_PHASES, BOARD_REACTIONS } from "@convivio/protocol";
import type {
  BoardSettingsInput,
  ColumnId,
  CommentId,
  GroupId,
  IdeaId,
  ParticipantId,
} from "@convivio/protocol";
import fc from "fast-check";
import type { BoardState, Viewer } from "../src/index.js";
import { ALICE, BOB, CAROL, FAC, uuid } from "./fixtures.js";
import type { Body } from "./fixtures.js";

/** B26 restated for the tests: merged ideas are gone; hidden ones only facilitators see. */
export function shownTo(idea: BoardState["ideas"][IdeaId], role: Viewer["role"]): boolean {
  return idea.mergedInto === null && (idea.hidden === null || role === "facilitator");
}

export const PEOPLE = [FAC, ALICE, BOB, CAROL] as const;
export const PARTICIPANTS = [ALICE, BOB, CAROL] as const;
const COLUMNS = [
  { id: "a" as ColumnId, title: "A" },
  { id: "b" as ColumnId, title: "B" },
];
const MISSING = uuid(0xdead);

const KINDS = [
  "propose",
  "edit",
  "delete",
  "comment",
  "deleteComment",
  "react",
  "hide",
  "restore",
  "createGroup",
  "setIdeaGroup",
  "deleteGroup",
  "merge",
  "vote",
  "retract",
  "phase",
  "timer",
  "expire",
  "lock",
  "settings",
] as const;
type Kind = (typeof KINDS)[number];

interface Op {
  who: number;
  kind: Kind;
  a: number;
  b: number;
  text: string;
  flag: boolean;
}

function opArb(weights: Partial<Record<Kind, number>>): fc.Arbitrary<Op> {
  const kind = fc.oneof(...KINDS.map((k) => ({ arbitrary: fc.constant(k), weight: weights[k] ?? 1 })));
  return fc.record({
    who: fc.nat(3),
    kind,
    a: fc.nat(1000),
    b: fc.nat(1000),
    text: fc.string({ maxLength: 12 }),
    flag: fc.boolean(),
  });
}

const settingsArb: fc.Arbitrary<BoardSettingsInput> = fc
  .record({
    voteBudget: fc.integer({ min: 1, max: 8 }),
    cap: fc.integer({ min: 1, max: 8 }),
    anonymousIdeas: fc.boolean(),
    allowRetract: fc.boolean(),
    hideVotesUntilReveal: fc.boolean(),
    whoMayPropose: fc.oneof(
      { arbitrary: fc.constant("everyone" as const), weight: 4 },
      { arbitrary: fc.constant("facilitators" as const), weight: 1 },
    ),
  })
  .map(({ cap, ...rest }) => ({
    ...rest,
    maxVotesPerIdea: Math.min(cap, rest.voteBudget),
    columns: COLUMNS,
  }));

export const sessionArb = fc.record({
  settings: settingsArb,
  collect: fc.array(opArb({ propose: 40, comment: 10, react: 8, edit: 8, delete: 4, deleteComment: 3 }), {
    minLength: 3,
    maxLength: 12,
  }),
  group: fc.array(opArb({ merge: 20, createGroup: 10, setIdeaGroup: 15, hide: 5, restore: 3, edit: 3 }), {
    maxLength: 8,
  }),
  vote: fc.array(opArb({ vote: 60, retract: 20, merge: 12, hide: 4, restore: 3, react: 3 }), {
    minLength: 10,
    maxLength: 40,
  }),
});

function pick<T>(items: readonly T[], n: number): T | undefined {
  return items.length === 0 ? undefined : items[n % items.length];
}

/** Mostly an idea that takes part; sometimes a merged, hidden or missing one, to exercise refusals. */
function ideaFor(state: BoardState, n: number): IdeaId {
  if (n % 17 === 16) return MISSING as IdeaId;
  const live = Object.values(state.ideas).filter((idea) => shownTo(idea, "participant"));
  const pool = n % 5 === 4 || live.length === 0 ? Object.values(state.ideas) : live;
  return pick(pool, Math.floor(n / 5))?.id ?? (MISSING as IdeaId);
}

/** Turn a random op into a command body for the current state (ids are picked from what exists). */
export function toCommand(state: BoardState, op: Op): { who: ParticipantId | null; body: Body } {
  const who = PEOPLE[op.who % PEOPLE.length]!;
  const idea = ideaFor(state, op.a);
  const group = (pick(Object.keys(state.groups), op.b) ?? MISSING) as GroupId;
  switch (op.kind) {
    case "propose":
      return { who, body: { type: "proposeIdea", columnId: COLUMNS[op.b % 2]!.id, text: op.text || "idea" } };
    case "edit":
      return { who, body: { type: "editIdea", ideaId: idea, text: op.text } };
    case "delete":
      return { who, body: { type: "deleteIdea", ideaId: idea } };
    case "comment":
      return { who, body: { type: "addComment", ideaId: idea, text: op.text || "comment" } };
    case "deleteComment": {
      const comment = (pick(Object.keys(state.comments), op.b) ?? MISSING) as CommentId;
      return { who, body: { type: "deleteComment", commentId: comment } };
    }
    case "react":
      return {
        who,
        body: { type: "setReaction", ideaId: idea, reaction: BOARD_REACTIONS[op.b % 5]!, on: op.flag },
      };
    case "hide":
      return { who: FAC, body: { type: "hideIdea", ideaId: idea, reason: op.text || "reason" } };
    case "restore":
      return { who: FAC, body: { type: "restoreIdea", ideaId: idea } };
    case "createGroup":
      return { who: FAC, body: { type: "createGroup", title: op.text || "group" } };
    case "setIdeaGroup":
      return { who: FAC, body: { type: "setIdeaGroup", ideaId: idea, groupId: op.flag ? null : group } };
    case "deleteGroup":
      return { who: FAC, body: { type: "deleteGroup", groupId: group } };
    case "merge":
      return {
        who: op.b % 6 === 0 ? who : FAC,
        body: { type: "mergeIdeas", sourceId: idea, targetId: ideaFor(state, op.a + 5 * (1 + (op.b % 3))) },
      };
    case "vote":
      return { who, body: { type: "castVote", ideaId: idea } };
    case "retract":
      return { who, body: { type: "retractVote", ideaId: idea } };
    case "phase":
      return { who, body: { type: "setPhase", phase: BOARD_PHASES[op.b % 5]! } };
    case "timer": {
      const bodies: Body[] = [
        { type: "setTimer", durationMs: 1_000 + op.b * 100 },
        { type: "extendTimer", byMs: 1_000 + op.b },
        { type: "pauseTimer" },
        { type: "resumeTimer" },
        { type: "clearTimer" },
      ];
      return { who: FAC, body: bodies[op.a % bodies.length]! };
    }
    case "expire": {
      const due = state.deadlineAt ?? 0;
      return { who: null, body: { type: "timerExpired", phase: state.phase, now: op.flag ? due : due - 1 } };
    }
    case "lock":
      return { who: FAC, body: op.flag ? { type: "lockBoard" } : { type: "unlockBoard" } };
    case "settings":
      return {
        who,
        body: {
          type: "updateSettings",
          settings: op.flag
            ? { voteBudget: 1 + (op.a % 8), maxVotesPerIdea: 1 + (op.b % 8) }
            : { anonymousIdeas: op.a % 2 === 0, hideVotesUntilReveal: op.b % 2 === 0 },
        },
      };
  }
}

export type Session = typeof sessionArb extends fc.Arbitrary<infer T> ? T : never;
