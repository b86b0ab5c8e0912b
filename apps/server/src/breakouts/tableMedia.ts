// A table's media: tokens for its LiveKit room, the room's life, and taking people out of a room they
// no longer sit at. Everything here is a no-op (null tokens) when LiveKit is not configured, so the
// rest of the breakouts work without video.
import type { Logger } from "pino";
import { BREAKOUT_LIMITS, type MediaTokenResponse } from "@convivio/protocol";
import type { Clock } from "../auth/clock.js";
import type { RoomControl } from "../media/rooms.js";
import { tableRoom } from "../media/roomNames.js";
import { mintMediaToken, type LiveKitConfig } from "../media/tokens.js";
import { settleWithin } from "../ops/settleWithin.js";
import type { TableRow } from "./store.js";

/** Longest a move waits for LiveKit to take people out of their old rooms before telling them. */
export const ROOM_LEAVE_WAIT_MS = 2_000;

/** Someone to take out of a table's room: they were moved away from that table. */
export interface RoomDeparture {
  room: string;
  identity: string;
}

/** Places in a table's room beyond its seats: facilitators visiting or listening in (hidden ones count too). */
export const FACILITATOR_PLACES = 10;

/**
 * A table room's participant limit: its seats plus the facilitators' places. A table without a seat
 * limit gets the largest table there can be, so LiveKit never turns away someone the server seated.
 */
export function roomCapacity(seats: number | null): number {
  return (seats ?? BREAKOUT_LIMITS.maxSeats) + FACILITATOR_PLACES;
}

export class TableMedia {
  constructor(
    private readonly deps: {
      clock: Clock;
      logger: Logger;
      liveKit: { config: LiveKitConfig; rooms: RoomControl } | null;
    },
  ) {}

  /** A token for a table's room, or null when video is off. Everyone at a table publishes (grants.ts). */
  async token(
    user: { id: string; name: string },
    table: TableRow,
    role: "attendee" | "facilitator",
    hidden: boolean,
  ): Promise<MediaTokenResponse | null> {
    const liveKit = this.deps.liveKit;
    if (!liveKit) return null;
    const room = tableRoom(table.sessionId, table.id);
    const minted = await mintMediaToken(
      liveKit.config,
      user,
      { room, roomKind: "table", roles: [role], ...(hidden ? { hidden: true } : {}) },
      this.deps.clock.now(),
    );
    if (!minted) return null;
    return {
      url: minted.url,
      token: minted.token,
      room,
      canPublish: minted.canPublish,
      expiresAt: minted.expiresAt.toISOString(),
    };
  }

  /** Creates the tables' rooms, each sized for its seats. */
  async ensure(tables: readonly TableRow[]): Promise<void> {
    const liveKit = this.deps.liveKit;
    if (!liveKit) return;
    await Promise.all(
      tables.map((table) => {
        const room = tableRoom(table.sessionId, table.id);
        return liveKit.rooms
          .ensureRoom(room, "table", { maxParticipants: roomCapacity(table.seats) })
          .catch((err: unknown) => {
            // The token still works: LiveKit creates a room on first join (with default limits).
            this.deps.logger.warn({ err, room }, "could not create a table room");
          });
      }),
    );
  }

  /**
   * Takes people out of the table rooms they were moved away from (a move, a pick, a World-Café
   * round): open-source LiveKit cannot move anyone, and a client that does not switch by itself (a
   * broken or hostile one) would otherwise stay, seeing and heard, at a table it no longer sits at.
   * Best effort: a failure is logged, and a move waits for it at most ROOM_LEAVE_WAIT_MS. Called
   * before the people are told where they now sit, so that a person moved back at once is not taken
   * out of the room they are returning to. Tables that close need nothing here: deleting a room
   * disconnects everyone in it (close below).
   */
  async leave(departures: readonly RoomDeparture[]): Promise<void> {
    const liveKit = this.deps.liveKit;
    if (!liveKit || departures.length === 0) return;
    const all = Promise.all(
      departures.map(({ room, identity }) =>
        liveKit.rooms.removeParticipant(room, identity).catch((err: unknown) => {
          this.deps.logger.warn({ err, room, identity }, "could not take a participant out of a table room");
        }),
      ),
    );
    await settleWithin(all, ROOM_LEAVE_WAIT_MS);
  }

  async close(rooms: string[]): Promise<void> {
    const liveKit = this.deps.liveKit;
    if (!liveKit) return;
    await Promise.all(
      rooms.map((room) =>
        liveKit.rooms.closeRoom(room).catch((err: unknown) => {
          // An empty room closes itself after its empty timeout.
          this.deps.logger.warn({ err, room }, "could not close a table room");
        }),
      ),
    );
  }
}
