import { describe, expect, it } from "vitest";
import { ENSURED_ROOM_TTL_MS, rememberEnsuredRooms } from "./ensuredRooms.js";
import type { RoomControl } from "./rooms.js";

/** A room control that counts the calls that would reach LiveKit. */
function countingRooms() {
  const calls: string[] = [];
  let release: (() => void) | undefined;
  let hold = false;
  const rooms: RoomControl = {
    ensureRoom: async (name, _kind, limits) => {
      calls.push(`ensure ${name} ${limits?.maxParticipants ?? ""}`);
      if (hold) {
        hold = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
    },
    closeRoom: async (name) => void calls.push(`close ${name}`),
    removeParticipant: async (room, identity) => void calls.push(`remove ${identity} ${room}`),
    setCanPublish: async () => undefined,
    listParticipants: async () => [],
  };
  return { rooms, calls, holdNext: () => (hold = true), release: () => release?.() };
}

describe("ensured rooms", () => {
  it("asks LiveKit once per room within the time to live, again after it or after a close", async () => {
    let now = 1_000;
    const fake = countingRooms();
    const rooms = rememberEnsuredRooms(fake.rooms, () => now);
    for (let i = 0; i < 50; i++) await rooms.ensureRoom("plenary-a", "plenary");
    expect(fake.calls).toEqual(["ensure plenary-a "]);
    // Another limit for the same room (a table's seats changed) is a new call.
    await rooms.ensureRoom("plenary-a", "plenary", { maxParticipants: 12 });
    expect(fake.calls).toHaveLength(2);
    now += ENSURED_ROOM_TTL_MS;
    await rooms.ensureRoom("plenary-a", "plenary", { maxParticipants: 12 });
    expect(fake.calls).toHaveLength(3);
    await rooms.closeRoom("plenary-a");
    await rooms.ensureRoom("plenary-a", "plenary", { maxParticipants: 12 });
    expect(fake.calls.slice(3)).toEqual(["close plenary-a", "ensure plenary-a 12"]);
  });

  it("a room closed while its CreateRoom is in flight is not remembered when that call answers", async () => {
    // A table's end closes its room while a late token (a facilitator's visit) is still ensuring it.
    const fake = countingRooms();
    const rooms = rememberEnsuredRooms(fake.rooms);
    fake.holdNext();
    const late = rooms.ensureRoom("table-9", "table", { maxParticipants: 16 });
    await rooms.closeRoom("table-9");
    fake.release();
    await late;
    await rooms.ensureRoom("table-9", "table", { maxParticipants: 16 });
    expect(fake.calls).toEqual(["ensure table-9 16", "close table-9", "ensure table-9 16"]);
    // Removing a participant goes straight through.
    await rooms.removeParticipant("table-9", "u1");
    expect(fake.calls.at(-1)).toBe("remove u1 table-9");
  });

  it("a crowd arriving together shares one call, and a failed call is not remembered", async () => {
    const fake = countingRooms();
    const rooms = rememberEnsuredRooms(fake.rooms);
    fake.holdNext();
    const crowd = Array.from({ length: 20 }, () => rooms.ensureRoom("table-1", "table"));
    fake.release();
    await Promise.all(crowd);
    expect(fake.calls).toEqual(["ensure table-1 "]);

    const failing = rememberEnsuredRooms({
      ...fake.rooms,
      ensureRoom: async () => {
        throw new Error("LiveKit unreachable");
      },
    });
    await expect(failing.ensureRoom("table-2", "table")).rejects.toThrow("unreachable");
    await expect(failing.ensureRoom("table-2", "table")).rejects.toThrow("unreachable");
  });
});
