import { afterEach, describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import type { RoomControl } from "../media/rooms.js";
import { ROOM_LEAVE_WAIT_MS, TableMedia } from "./tableMedia.js";

const config = { url: "ws://livekit.invalid", apiKey: "key", apiSecret: "secret" };
const clock = { now: () => new Date() };

function roomsWith(removeParticipant: RoomControl["removeParticipant"]): RoomControl {
  return {
    ensureRoom: async () => undefined,
    closeRoom: async () => undefined,
    removeParticipant,
    setCanPublish: async () => undefined,
    listParticipants: async () => [],
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("taking people out of table rooms", () => {
  it("is best effort: a failed removal is logged and the others still happen", async () => {
    const done: string[] = [];
    const logger = pino({ level: "silent" });
    const warn = vi.spyOn(logger, "warn");
    const media = new TableMedia({
      clock,
      logger,
      liveKit: {
        config,
        rooms: roomsWith(async (room, identity) => {
          if (identity === "broken") throw new Error("LiveKit said no");
          done.push(`${identity} ${room}`);
        }),
      },
    });
    await media.leave([
      { room: "t1", identity: "broken" },
      { room: "t2", identity: "anna" },
    ]);
    expect(done).toEqual(["anna t2"]);
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]![0]).toMatchObject({ room: "t1", identity: "broken" });
  });

  it("holds a move back at most ROOM_LEAVE_WAIT_MS when LiveKit does not answer", async () => {
    vi.useFakeTimers();
    const media = new TableMedia({
      clock,
      logger: pino({ level: "silent" }),
      liveKit: { config, rooms: roomsWith(() => new Promise<void>(() => undefined)) },
    });
    let finished = false;
    const leaving = media.leave([{ room: "t1", identity: "anna" }]).then(() => (finished = true));
    await vi.advanceTimersByTimeAsync(ROOM_LEAVE_WAIT_MS - 1);
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await leaving;
    expect(finished).toBe(true);
  });

  it("does nothing when video is off", async () => {
    const media = new TableMedia({ clock, logger: pino({ level: "silent" }), liveKit: null });
    await expect(media.leave([{ room: "t1", identity: "anna" }])).resolves.toBeUndefined();
  });
});
