import { RoomServiceClient } from "livekit-server-sdk";
import type { LiveKitConfig } from "./tokens.js";
import type { RoomKind } from "./grants.js";

/** Media room control; the LiveKit adapter below is the only implementation that talks to a server. */
export interface RoomControl {
  /**
   * Creates the room if it does not exist (LiveKit's CreateRoom is idempotent by name);
   * `maxParticipants` overrides the kind's limit (a table's comes from its seats).
   */
  ensureRoom(name: string, kind: RoomKind, limits?: { maxParticipants?: number }): Promise<void>;
  closeRoom(name: string): Promise<void>;
  /**
   * Disconnects a participant from a room (someone moved away from a table). Someone who is not in
   * the room (the usual case: their client has already switched rooms) is no error.
   */
  removeParticipant(room: string, identity: string): Promise<void>;
  /** Changes what a participant may publish, e.g. bringing a raised hand on stage and back. */
  setCanPublish(room: string, identity: string, canPublish: boolean): Promise<void>;
  listParticipants(room: string): Promise<string[]>;
}

// A plenary holds the whole event; a table is a small group (its own limit, from its seats, comes
// with the call). Empty rooms close themselves after five minutes, so a forgotten room does not
// linger if the server's own clean-up is missed.
const ROOM_LIMITS: Record<
  RoomKind,
  { maxParticipants: number; emptyTimeout: number; departureTimeout: number }
> = {
  plenary: { maxParticipants: 0, emptyTimeout: 300, departureTimeout: 60 },
  table: { maxParticipants: 30, emptyTimeout: 300, departureTimeout: 30 },
};

/** Room control over LiveKit's Twirp room API, through the official server SDK. */
export function createLiveKitRooms(config: LiveKitConfig): RoomControl {
  const host = config.url.replace(/^ws/, "http");
  const client = new RoomServiceClient(host, config.apiKey, config.apiSecret);
  return {
    async ensureRoom(name, kind, limits) {
      const max = limits?.maxParticipants;
      await client.createRoom({
        name,
        ...ROOM_LIMITS[kind],
        ...(max !== undefined ? { maxParticipants: max } : {}),
      });
    },
    async closeRoom(name) {
      try {
        await client.deleteRoom(name);
      } catch (err) {
        // Already gone (closed by its empty timeout) is the outcome we wanted.
        if ((err as { status?: number }).status !== 404) throw err;
      }
    },
    async removeParticipant(room, identity) {
      try {
        // LiveKit servers that support it also refuse, in this room, tokens issued before
        // `revokeTokenTs` (tokens' nbf is the wall clock too, set by the SDK): the person cannot
        // come back with the token they had. Left empty, the protocol's default is the server's
        // now plus a minute, which would also refuse the fresh token of someone moved back here
        // within that minute; so it is now, in whole seconds like nbf.
        await client.removeParticipant(room, identity, {
          revokeTokenTs: BigInt(Math.floor(Date.now() / 1000)),
        });
      } catch (err) {
        // Not in the room (or the room is gone) is the outcome we wanted.
        if ((err as { status?: number }).status !== 404) throw err;
      }
    },
    async setCanPublish(room, identity, canPublish) {
      await client.updateParticipant(room, identity, {
        permission: { canPublish, canSubscribe: true, canPublishData: canPublish },
      });
    },
    async listParticipants(room) {
      const participants = await client.listParticipants(room);
      return participants.map((p) => p.identity);
    },
  };
}
