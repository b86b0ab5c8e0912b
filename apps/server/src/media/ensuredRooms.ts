// Room control that remembers, for a while, which rooms it has already ensured: every media token
// used to cost a CreateRoom call to LiveKit, so 2,000 people joining one plenary made 2,000 calls
// for one room (the join storm in tests/load). A room closed through this node is forgotten at
// once; one closed elsewhere is at most ENSURED_ROOM_TTL_MS stale, and LiveKit creates a room on
// the first join anyway, so a stale entry never keeps anyone out.
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
  /** Calls in flight, so a crowd asking at once makes one call. */
  const inFlight = new Map<string, Promise<void>>();
  return {
    ensureRoom(name: string, kind: RoomKind, limits?: { maxParticipants?: number }) {
      const max = limits?.maxParticipants;
      const known = ensured.get(name);
      if (known && known.maxParticipants === max && now() - known.at < ttlMs) return Promise.resolve();
      const key = `${name} ${max ?? ""}`;
      const pending = inFlight.get(key);
      if (pending) return pending;
      const call = rooms
        .ensureRoom(name, kind, limits)
        .then(() => {
          if (ensured.size >= ENSURED_ROOMS_KEPT) ensured.clear();
          ensured.set(name, { at: now(), maxParticipants: max });
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, call);
      return call;
    },
    async closeRoom(name) {
      ensured.delete(name);
      await rooms.closeRoom(name);
    },
    setCanPublish: (room, identity, canPublish) => rooms.setCanPublish(room, identity, canPublish),
    listParticipants: (room) => rooms.listParticipants(room),
  };
}
