import { describe, expect, it } from "vitest";
import { focusedStage, planRepublish, rightsFrom, type HeldTrack, type PublishRights } from "./roomSwitch";

const camera = (enabled = true) => ({ source: "camera" as const, enabled, id: `camera-${enabled}` });
const microphone = (enabled = true) => ({ source: "microphone" as const, enabled, id: `mic-${enabled}` });
const publishes: PublishRights = { canPublish: true, sources: null };
const watches: PublishRights = { canPublish: false, sources: null };

/** Walks a person through rooms: what they publish in each, carrying what the previous room kept. */
function walk(start: HeldTrack[], rooms: PublishRights[]): string[][] {
  let live = start;
  return rooms.map((rights) => {
    live = planRepublish(live, rights).publish;
    return live.map((t) => t.source);
  });
}

describe("republishing across a move", () => {
  it("keeps a facilitator's camera and microphone from the plenary to a table, another table and back", () => {
    expect(walk([camera(), microphone()], [publishes, publishes, publishes, publishes])).toEqual([
      ["camera", "microphone"],
      ["camera", "microphone"],
      ["camera", "microphone"],
      ["camera", "microphone"],
    ]);
  });

  it("stops an attendee's tracks on the way back to the plenary, where they only watch", () => {
    // At table 1 they turned both on; table 2 keeps them; the plenary may not have them.
    expect(walk([camera(), microphone()], [publishes, publishes, watches])).toEqual([
      ["camera", "microphone"],
      ["camera", "microphone"],
      [],
    ]);
    const plan = planRepublish([camera(), microphone()], watches);
    expect(plan.stop.map((t) => t.source)).toEqual(["camera", "microphone"]);
  });

  it("does not turn on what was off before the move, and stops it", () => {
    const plan = planRepublish([camera(false), microphone(true)], publishes);
    expect(plan.publish.map((t) => t.source)).toEqual(["microphone"]);
    expect(plan.stop.map((t) => t.source)).toEqual(["camera"]);
  });

  it("publishes only the sources the new room allows", () => {
    const plan = planRepublish([camera(), microphone()], { canPublish: true, sources: ["microphone"] });
    expect(plan.publish.map((t) => t.source)).toEqual(["microphone"]);
    expect(plan.stop.map((t) => t.source)).toEqual(["camera"]);
  });

  it("keeps one track per source when two moves raced", () => {
    const first = camera();
    const second = { ...camera(), id: "camera-2" };
    const plan = planRepublish([first, second], publishes);
    expect(plan.publish).toEqual([first]);
    expect(plan.stop).toEqual([second]);
  });

  it("has nothing to do when nothing was carried", () => {
    expect(planRepublish([], publishes)).toEqual({ publish: [], stop: [] });
  });
});

describe("a room's publish rights", () => {
  it("follows the token, narrowed by what the server says now", () => {
    expect(rightsFrom(true)).toEqual({ canPublish: true, sources: null });
    expect(rightsFrom(false, { canPublish: true })).toEqual({ canPublish: false, sources: null });
    // A raised hand taken back: the server revoked publishing after the token was minted.
    expect(rightsFrom(true, { canPublish: false })).toEqual({ canPublish: false, sources: null });
    // LiveKit's TrackSource numbers: 1 camera, 2 microphone, 3 screen share.
    expect(rightsFrom(true, { canPublish: true, canPublishSources: [2, 3] })).toEqual({
      canPublish: true,
      sources: ["microphone"],
    });
  });
});

describe("which stage holds the page's video", () => {
  it("is the plenary until a table is visited, and the plenary again when the visit ends", () => {
    const plenary = { id: "plenary", kind: "plenary" as const };
    const table = { id: "table", kind: "table" as const };
    expect(focusedStage([])).toBeNull();
    expect(focusedStage([plenary])).toBe("plenary");
    expect(focusedStage([plenary, table])).toBe("table");
    expect(focusedStage([table, plenary])).toBe("table");
    expect(focusedStage([plenary, table, { id: "table-2", kind: "table" }])).toBe("table-2");
  });
});
