import { describe, expect, it, vi } from "vitest";
import { MediaHandoff } from "./mediaHandoff";

class FakeTrack {
  stopped = false;
  constructor(readonly name: string) {}
  stop() {
    this.stopped = true;
  }
}

function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    timers: {
      set: (fn: () => void) => {
        pending.set(++next, fn);
        return next;
      },
      clear: (handle: unknown) => {
        pending.delete(handle as number);
      },
    },
    fire: () => {
      for (const [id, fn] of [...pending]) {
        pending.delete(id);
        fn();
      }
    },
    pending,
  };
}

const held = (track: FakeTrack, source: "camera" | "microphone" = "camera") => ({
  track,
  source,
  enabled: true,
});

describe("the media handoff between rooms", () => {
  it("hands the tracks a room kept to the next room, with the old room's release", async () => {
    const { timers, pending } = manualTimers();
    const handoff = new MediaHandoff<FakeTrack>(1_000, timers);
    const camera = new FakeTrack("camera");
    const released = Promise.resolve("left");
    handoff.keep([held(camera), held(camera)], released);
    const handed = handoff.take();
    expect(handed.tracks.map((t) => t.track)).toEqual([camera]);
    expect(await handed.released).toBe("left");
    expect(camera.stopped).toBe(false);
    expect(pending.size).toBe(0);
    expect(handoff.take().tracks).toEqual([]);
  });

  it("stops held tracks that no room takes in time", () => {
    const { timers, fire } = manualTimers();
    const handoff = new MediaHandoff<FakeTrack>(1_000, timers);
    const camera = new FakeTrack("camera");
    handoff.keep([held(camera)], Promise.resolve());
    fire();
    expect(camera.stopped).toBe(true);
    expect(handoff.take().tracks).toEqual([]);
  });

  it("stops what an earlier move left behind when another room hands in different tracks", () => {
    const handoff = new MediaHandoff<FakeTrack>(1_000, manualTimers().timers);
    const first = new FakeTrack("first");
    const second = new FakeTrack("second");
    handoff.keep([held(first)], Promise.resolve());
    handoff.keep([held(second, "microphone"), held(first)], Promise.resolve());
    expect(first.stopped).toBe(false);
    handoff.keep([held(second, "microphone")], Promise.resolve());
    expect(first.stopped).toBe(true);
    expect(second.stopped).toBe(false);
  });

  it("stops everything when the page closes, and what arrives after, until it opens again", () => {
    const handoff = new MediaHandoff<FakeTrack>(1_000, manualTimers().timers);
    const held1 = new FakeTrack("held");
    handoff.keep([held(held1)], Promise.resolve());
    handoff.close();
    expect(held1.stopped).toBe(true);
    const late = new FakeTrack("late");
    handoff.keep([held(late)], Promise.resolve());
    expect(late.stopped).toBe(true);
    handoff.open();
    const fresh = new FakeTrack("fresh");
    handoff.keep([held(fresh)], Promise.resolve());
    expect(fresh.stopped).toBe(false);
  });

  it("gives the page's video to the visited table while it is claimed, then back to the plenary", () => {
    const handoff = new MediaHandoff<FakeTrack>(1_000, manualTimers().timers);
    const listener = vi.fn();
    handoff.subscribe(listener);
    const releasePlenary = handoff.claim("plenary", "plenary");
    expect(handoff.focused()).toBe("plenary");
    const releaseTable = handoff.claim("table", "table");
    expect(handoff.focused()).toBe("table");
    releaseTable();
    expect(handoff.focused()).toBe("plenary");
    releasePlenary();
    expect(handoff.focused()).toBeNull();
    expect(listener).toHaveBeenCalledTimes(4);
  });
});
