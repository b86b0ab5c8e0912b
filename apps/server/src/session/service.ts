// What a live session does beyond storing rows: tell the people in it (through the socket.io
// adapter, so every node's sockets hear it), and keep LiveKit in step: ending a session closes
// its plenary room, bringing someone on stage lets them publish there, taking them back stops it.
import type { Logger } from "pino";
import type { Db } from "@convivio/db";
import type { SessionLiveState } from "@convivio/protocol";
import type { Clock } from "../auth/clock.js";
import type { LiveServer } from "../live/socket.js";
import type { RoomControl } from "../media/rooms.js";
import { plenaryRoom } from "../media/roomNames.js";
import { listHands } from "./hands.js";
import { sessionRoom } from "./presence.js";

/**
 * Whether a person may be at one table of a session (its chat, its room). Provided by the
 * breakout tables; facilitators are let in before it is asked.
 */
export type TableAccess = (sessionId: string, tableId: string, userId: string) => Promise<boolean>;

export type SessionEndedListener = (sessionId: string) => void | Promise<void>;

export interface SessionServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Null when LiveKit is not configured: sessions work without video. */
  rooms: RoomControl | null;
}

export class SessionService {
  io: LiveServer | undefined;
  tableAccess: TableAccess | undefined;
  private readonly endedListeners: SessionEndedListener[] = [];

  constructor(readonly deps: SessionServiceDeps) {}

  /** Runs `listener` after a session ends (the breakout tables close theirs). */
  onEnded(listener: SessionEndedListener): void {
    this.endedListeners.push(listener);
  }

  /** Tells everyone in the session that it started or ended. */
  announceState(state: SessionLiveState): void {
    this.io?.to(sessionRoom(state.sessionId)).emit("session:state", state);
  }

  /** Sends everyone in the session the queue of raised hands. */
  async announceHands(sessionId: string): Promise<void> {
    if (!this.io) return;
    const hands = await listHands(this.deps.db, sessionId);
    this.io.to(sessionRoom(sessionId)).emit("session:hands", { sessionId: sessionId as never, hands });
  }

  /** After an end was committed: close the plenary room, lower the hands on every screen, tell others. */
  async afterEnded(state: SessionLiveState): Promise<void> {
    this.announceState(state);
    this.io
      ?.to(sessionRoom(state.sessionId))
      .emit("session:hands", { sessionId: state.sessionId, hands: [] });
    if (this.deps.rooms) {
      try {
        await this.deps.rooms.closeRoom(plenaryRoom(state.sessionId));
      } catch (err) {
        // The room closes by itself once empty (its empty timeout); the session has ended anyway.
        this.deps.logger.warn({ err, sessionId: state.sessionId }, "closing the plenary room failed");
      }
    }
    for (const listener of this.endedListeners) {
      try {
        await listener(state.sessionId);
      } catch (err) {
        this.deps.logger.error({ err, sessionId: state.sessionId }, "a session-ended listener failed");
      }
    }
  }

  /**
   * Changes what a person may publish in the plenary room and tells them, so their next token
   * (and their screen) follows. A person not in the room yet is fine: their next token carries it.
   */
  async setStage(sessionId: string, userId: string, onStage: boolean): Promise<void> {
    if (this.deps.rooms) {
      try {
        await this.deps.rooms.setCanPublish(plenaryRoom(sessionId), userId, onStage);
      } catch (err) {
        this.deps.logger.info(
          { err: (err as Error).message, sessionId, userId },
          "stage change not applied in the media room (not connected); the next token carries it",
        );
      }
    }
    this.io?.to(`user:${userId}`).emit("session:stage", { sessionId: sessionId as never, onStage });
  }
}
