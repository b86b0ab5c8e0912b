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
