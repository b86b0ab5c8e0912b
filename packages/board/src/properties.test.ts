// Seeded property tests over random multi-participant sessions (test/sessions.ts). fast-check
// prints the seed and the shrunk counterexample when one fails; fixed seeds make every run the same.
import type { BoardPhase, BoardView, ColumnId, IdeaId, ParticipantId } from "@convivio/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALICE, BOARD_ID, deepFreeze, FAC, same, uuid } from "../test/fixtures.js";
import type { Body } from "../test/fixtures.js";
import { PARTICIPANTS, PEOPLE, sessionArb, shownTo, toCommand } from "../test/sessions.js";
import type { Session } from "../test/sessions.js";
import type { BoardEvent, BoardState, Command, DecideContext, Viewer } from "./index.js";
import {
  applyPatch,
  applySelf,
  audienceView,
  compareForRanking,
  createBoard,
  decide,
  diffViews,
  rankIdeas,
  remainingBudget,
  replay,
  selfView,
  spentBy,
  tallies,
  viewFor,
  voters,
  votesOf,
} from "./index.js";

/** A cheap assertion for hot loops (vitest's `expect` costs more than the code under test). */
function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** B19 invariants of the ledger: budget, cap, no zero entries, only on live visible ideas. */
function checkVotes(state: BoardState): void {
  const { voteBudget, maxVotesPerIdea } = state.settings;
  for (const [participantId, ledger] of voters(state.votes)) {
    check(spentBy(state, participantId) <= voteBudget, `${participantId} is over budget`);
    for (const [ideaId, count] of Object.entries(ledger)) {
      check(count >= 1 && count <= maxVotesPerIdea, `${participantId} has ${count} votes on ${ideaId}`);
      const idea = state.ideas[ideaId as IdeaId];
      check(idea?.mergedInto === null && idea.hidden === null, `votes on a merged, hidden or missing idea`);
    }
  }
}

// The checks below restate B23 and B26 on their own rather than calling the code under test.
function votesHidden(state: BoardState): boolean {
  return state.settings.hideVotesUntilReveal && state.phase !== "reveal" && state.phase !== "closed";
}

/** Participant ids a viewer may legitimately meet: themself, named authors, moderators (for facilitators). */
function allowedIds(state: BoardState, viewer: Viewer): Set<string> {
  const allowed = new Set<string>(viewer.participantId ? [viewer.participantId] : []);
  for (const idea of Object.values(state.ideas)) {
    if (!shownTo(idea, viewer.role)) continue;
    if (!idea.anonymous) allowed.add(idea.authorId);
    if (idea.hidden) allowed.add(idea.hidden.by);
  }
  for (const comment of Object.values(state.comments)) {
    const idea = state.ideas[comment.ideaId];
    if (idea && shownTo(idea, viewer.role) && !comment.anonymous) allowed.add(comment.authorId);
  }
  return allowed;
}

/** B23-B26 on one projection. */
function checkNoLeak(state: BoardState, viewer: Viewer, view: BoardView): void {
  const json = JSON.stringify(view);
  const allowed = allowedIds(state, viewer);
  for (const person of PEOPLE) {
    check(
      allowed.has(person) || !json.includes(person),
      `${person} leaked to ${viewer.participantId ?? viewer.role}`,
    );
  }
  for (const idea of Object.values(view.ideas)) {
    const mine = viewer.participantId !== null && (view.self?.ownIdeaIds.includes(idea.id) ?? false);
    check(!idea.anonymous || mine || idea.authorId === null, "an anonymous author leaked");
    check(viewer.role === "facilitator" || idea.hidden === null, "moderation leaked to a participant");
  }
  const expectedIdeas = Object.values(state.ideas)
    .filter((idea) => shownTo(idea, viewer.role))
    .map((idea) => idea.id)
    .sort();
  check(
    JSON.stringify(Object.keys(view.ideas).sort()) === JSON.stringify(expectedIdeas),
    "wrong set of ideas shown",
  );
  for (const comment of Object.values(view.comments)) {
    check(Object.hasOwn(view.ideas, comment.ideaId), "a comment on an idea the viewer cannot see");
  }
  if (votesHidden(state)) {
    check(view.tallies === null && !view.meta.votesVisible, "tallies leaked while votes are hidden");
  } else {
    const visibleTotals = Object.entries(tallies(state)).filter(([id]) => Object.hasOwn(view.ideas, id));
    check(same(view.tallies, Object.fromEntries(visibleTotals)), "tallies differ from the ledger");
  }
  if (viewer.participantId !== null) {
    check(same(view.self?.votes, votesOf(state, viewer.participantId)), "own votes differ");
    check(view.self?.remaining === remainingBudget(state, viewer.participantId), "remaining budget differs");
  }
}

interface Client {
  viewer: Viewer & { participantId: ParticipantId };
  view: BoardView;
}

/** Run one random session, checking every invariant after every command. */
function runSession(session: Session): void {
  const initial = createBoard(session.settings, { id: BOARD_ID, now: 0 });
  let state = initial;
  let now = 1_000;
  let ids = 0x10000;
  const log: BoardEvent[] = [];
  const clients: Client[] = [
    {
      viewer: { participantId: ALICE, role: "participant" },
      view: viewFor(state, { participantId: ALICE, role: "participant" }),
    },
    {
      viewer: { participantId: FAC, role: "facilitator" },
      view: viewFor(state, { participantId: FAC, role: "facilitator" }),
    },
  ];
  const audiences = {
    participant: audienceView(state, "participant"),
    facilitator: audienceView(state, "facilitator"),
  };

  const step = (who: ParticipantId | null, body: Body) => {
    now += 250;
    const ctx: DecideContext =
      who === null
        ? { actor: null, role: "system", now, newId: () => uuid(ids++) }
        : { actor: who, role: who === FAC ? "facilitator" : "participant", now, newId: () => uuid(ids++) };
    const before = deepFreeze(state);
    const result = decide(before, { ...body, boardId: BOARD_ID } as Command, ctx);
    if (!result.ok) return;
    // B5/B29: the new state is exactly the fold of the emitted events over the old one.
    check(same(result.state, replay(before, result.events)), "decide differs from the fold of its events");
    // B29: the seq after each event, as decide reports it, is the seq the fold reaches there.
    check(
      same(
        result.seqs,
        result.events.map((_, i) => replay(before, result.events.slice(0, i + 1)).seq),
      ),
      "decide reported other seqs than the fold of its events",
    );
    check(result.state.seq >= before.seq, "seq went back");
    state = result.state;
    log.push(...result.events);
    checkVotes(state);
    for (const role of ["participant", "facilitator"] as const) {
      const next = audienceView(state, role);
      const patch = diffViews(audiences[role], next);
      check(
        !patch || !votesHidden(state) || (patch.tallies ?? null) === null,
        "a patch carried hidden tallies",
      );
      checkNoLeak(state, { participantId: null, role }, next);
      for (const client of clients.filter((c) => c.viewer.role === role)) {
        if (patch) {
          const outcome = applyPatch(client.view, patch);
          if (outcome.status !== "applied") throw new Error(`patch ${outcome.status}`);
          client.view = outcome.view;
        }
        client.view = applySelf(client.view, {
          boardId: BOARD_ID,
          seq: state.seq,
          self: selfView(state, client.viewer),
        });
        // B27: snapshot + patches + self updates == the viewer's projection.
        check(same(client.view, viewFor(state, client.viewer)), "patched view differs from viewFor");
      }
      audiences[role] = next;
    }
    for (const participantId of PEOPLE) {
      const viewer: Viewer = { participantId, role: participantId === FAC ? "facilitator" : "participant" };
      checkNoLeak(state, viewer, viewFor(state, viewer));
    }
  };
  const moveTo = (phase: BoardPhase) => {
    step(FAC, { type: "unlockBoard" });
    step(FAC, { type: "setPhase", phase });
  };

  const play = (op: Session["collect"][number]) => {
    const { who, body } = toCommand(state, op);
    step(who, body);
  };
  session.collect.forEach(play);
  moveTo("group");
  session.group.forEach(play);
  moveTo("vote");
  session.vote.forEach(play);
  moveTo("reveal");
  // B29: the stored events rebuild the final state from the created board.
  expect(replay(initial, log)).toEqual(state);
}

describe("properties", () => {
  it("B19 B20 B18 B23 B24 B25 B26 B27 B29: random sessions keep budget, cap, consistency and privacy", () => {
    fc.assert(fc.property(sessionArb, runSession), { seed: 42, numRuns: 100 });
  });

  it("B18: a merge conserves votes up to the cap and returns the excess to each voter", () => {
    const arb = fc.record({
      budget: fc.integer({ min: 1, max: 10 }),
      cap: fc.integer({ min: 1, max: 10 }),
      ideaCount: fc.integer({ min: 2, max: 4 }),
      votes: fc.array(fc.tuple(fc.nat(2), fc.nat(3)), { maxLength: 40 }),
      source: fc.nat(3),
      target: fc.nat(3),
    });
    fc.assert(
      fc.property(arb, ({ budget, cap, ideaCount, votes, source, target }) => {
        let ids = 0x20000;
        let state = createBoard(
          { voteBudget: budget, maxVotesPerIdea: Math.min(cap, budget) },
          { id: BOARD_ID, now: 0 },
        );
        const run = (who: ParticipantId, body: Body) => {
          const result = decide(state, { ...body, boardId: BOARD_ID } as Command, {
            actor: who,
            role: who === FAC ? "facilitator" : "participant",
            now: ids,
            newId: () => uuid(ids++),
          });
          if (result.ok) state = result.state;
          return result.ok;
        };
        for (let i = 0; i < ideaCount; i++)
          run(ALICE, { type: "proposeIdea", columnId: "ideas" as ColumnId, text: `i${i}` });
        run(FAC, { type: "setPhase", phase: "vote" });
        const ideaIds = Object.keys(state.ideas) as IdeaId[];
        for (const [voter, idea] of votes)
          run(PARTICIPANTS[voter]!, { type: "castVote", ideaId: ideaIds[idea % ideaCount]! });
        const s = ideaIds[source % ideaCount]!;
        const t = ideaIds[target % ideaCount]!;
        const before = state;
        const totalBefore = Object.values(tallies(before)).reduce((a, b) => a + b, 0);
        const merged = run(FAC, { type: "mergeIdeas", sourceId: s, targetId: t });
        expect(merged).toBe(s !== t);
        if (!merged) return;
        let excessTotal = 0;
        for (const voter of PARTICIPANTS) {
          const sv = votesOf(before, voter)[s] ?? 0;
          const tv = votesOf(before, voter)[t] ?? 0;
          const after = votesOf(state, voter)[t] ?? 0;
          const excess = sv + tv - Math.min(state.settings.maxVotesPerIdea, sv + tv);
          expect(after + excess).toBe(sv + tv);
          expect(after).toBeLessThanOrEqual(state.settings.maxVotesPerIdea);
          expect(votesOf(state, voter)[s]).toBeUndefined();
          expect(remainingBudget(state, voter)).toBe(remainingBudget(before, voter) + excess);
          excessTotal += excess;
        }
        const totalAfter = Object.values(tallies(state)).reduce((a, b) => a + b, 0);
        expect(totalAfter + excessTotal).toBe(totalBefore);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("B21: ranking is a total order independent of the input order", () => {
    const itemsArb = fc
      .uniqueArray(fc.record({ n: fc.nat(50), createdAt: fc.nat(5), votes: fc.nat(4) }), {
        selector: (item) => item.n,
        maxLength: 30,
      })
      .map((items) => items.map(({ n, createdAt, votes }) => ({ id: uuid(n) as IdeaId, createdAt, votes })));
    const arb = itemsArb.chain((items) =>
      fc.tuple(
        fc.constant(items),
        fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }),
      ),
    );
    fc.assert(
      fc.property(arb, ([items, shuffled]) => {
        const ranked = rankIdeas(items);
        expect(rankIdeas(shuffled)).toEqual(ranked);
        for (let i = 1; i < ranked.length; i++) {
          expect(compareForRanking(ranked[i - 1]!, ranked[i]!)).toBeLessThan(0);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
