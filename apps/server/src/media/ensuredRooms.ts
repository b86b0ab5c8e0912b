// Room control that remembers, for a while, which rooms it has already ensured: every media token
// used to cost a CreateRoom call to LiveKit, so 2,000 people joining one plenary made 2,000 calls
// for one room (the join storm in tests/load). A room closed through this node (a session's end, the
// end of its tables) is forgotten at once, and a CreateRoom still in flight when it closes is not
// remembered when it answers; one closed elsewhere is at most ENSURED_ROOM_TTL_MS stale, and LiveKit
// creates a room on the first join anyway, so a stale entry never keeps anyone out.
import type { RoomKind } from "./grants.js";
import type { RoomControl } from "./rooms.js";

export const ENSURED_ROOM_TTL_MS = 60_000;
const ENSURED_ROOMS_KEPT = 10_000;

export function rememberEnsuredRooms(
  rooms: RoomControl,
  now: () => number = Date.now,
  ttlMs = ENSURED_ROOM_TTL_MS,
): RoomControl {
  /** Room name -> when it was ensured and with which limit. */
  const ensured = new Map<string, { at: number; maxParticipants: number | undefined }>();
  /** Calls in flight, so a crowd asking at once makes one call; a close marks its room's `closed`. */
  const inFlight = new Map<string, { name: string; call: Promise<void>; closed: boolean }>();
  return {
    ensureRoom(name: string, kind: RoomKind, limits?: { maxParticipants?: number }) {
      const max = limits?.maxParticipants;
      const known = ensured.get(name);
      if (known && known.maxParticipants === max && now() - known.at < ttlMs) return Promise.resolve();
      const key = `${name} ${max ?? ""}`;
      const pending = inFlight.get(key);
      if (pending) return pending.call;
      const entry = { name, call: Promise.resolve(), closed: false };
      entry.call = rooms
        .ensureRoom(name, kind, limits)
        .then(() => {
          // Closed while the call was out: whether LiveKit saw the create or the delete last, the
          // next token for this room asks again.
          if (entry.closed) return;
          if (ensured.size >= ENSURED_ROOMS_KEPT) ensured.clear();
          ensured.set(name, { at: now(), maxParticipants: max });
        })
        .finally(() => {
          if (inFlight.get(key) === entry) inFlight.delete(key);
        });
      inFlight.set(key, entry);
      return entry.call;
    },
    async closeRoom(name) {
      ensured.delete(name);
      for (const [key, entry] of inFlight)
        if (entry.name === name) {
          entry.closed = true;
          inFlight.delete(key);
        }
      await rooms.closeRoom(name);
    },
    removeParticipant: (room, identity) => rooms.removeParticipant(room, identity),
    setCanPublish: (room, identity, canPublish) => rooms.setCanPublish(room, identity, canPublish),
    listParticipants: (room) => rooms.listParticipants(room),
  };
}
