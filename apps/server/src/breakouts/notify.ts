// How the breakouts reach people: socket.io rooms, on every node (the Redis adapter carries emits,
// `socketsLeave` and `fetchSockets` in cluster mode). Before the socket server is attached (and in
// REST-only tests) nobody is present and nothing is sent.
import type {
  BreakoutAssignment,
  BreakoutNotice,
  BreakoutPublicState,
  BreakoutServerToClient,
  FacilitatorCall,
  MyCall,
} from "@convivio/protocol";
import { userRoom, type LiveServer } from "../live/socket.js";
import { audienceRoom, selfRoom } from "../boards/hub.js";

/** Everyone following a session's breakouts (state, notices). */
export const breakoutRoom = (sessionId: string) => `breakouts:${sessionId}`;
/** The participants among them: who is present to be seated. */
export const breakoutPeopleRoom = (sessionId: string) => `breakouts:${sessionId}:people`;
/** The facilitators among them (calls). */
export const breakoutLeadRoom = (sessionId: string) => `breakouts:${sessionId}:lead`;

export interface PresentPerson {
  userId: string;
  name: string;
}

export interface BreakoutNotifier {
  assigned(userId: string, payload: BreakoutAssignment): void;
  state(payload: BreakoutPublicState): void;
  notice(payload: BreakoutNotice): void;
  calls(sessionId: string, calls: FacilitatorCall[]): void;
  /** To one person (all their tabs): their own call, or null once it is over. */
  myCall(userId: string, payload: MyCall): void;
  /**
   * One person (all their tabs, every node) was moved away from a table: their sockets stop getting
   * its board's live updates, as its board refuses them from now on (boards/access.ts).
   */
  leftBoard(userId: string, boardId: string): void;
  /** Participants following the session's breakouts now, all nodes together, each once. */
  present(sessionId: string): Promise<PresentPerson[]>;
  /** Everyone following the session's breakouts now (facilitators too), all nodes together. */
  connected(sessionId: string): Promise<Set<string>>;
}

export const silentNotifier: BreakoutNotifier = {
  assigned: () => undefined,
  state: () => undefined,
  notice: () => undefined,
  calls: () => undefined,
  myCall: () => undefined,
  leftBoard: () => undefined,
  present: () => Promise.resolve([]),
  connected: () => Promise.resolve(new Set()),
};

type Emitter = {
  to(room: string): {
    emit<E extends keyof BreakoutServerToClient>(
      event: E,
      ...args: Parameters<BreakoutServerToClient[E]>
    ): void;
  };
};

export function socketNotifier(io: LiveServer): BreakoutNotifier {
  // The live server's event map is shared with other features; breakout events are typed here.
  const emitter = io as unknown as Emitter;
  return {
    assigned: (userId, payload) => emitter.to(userRoom(userId)).emit("breakout:assigned", payload),
    state: (payload) => emitter.to(breakoutRoom(payload.sessionId)).emit("breakout:state", payload),
    notice: (payload) => emitter.to(breakoutRoom(payload.sessionId)).emit("breakout:notice", payload),
    calls: (sessionId, calls) =>
      emitter.to(breakoutLeadRoom(sessionId)).emit("breakout:calls", { sessionId, calls }),
    myCall: (userId, payload) => emitter.to(userRoom(userId)).emit("breakout:myCall", payload),
    // The rooms a participant's sockets joined on the board (boards/hub.ts); a facilitator, whom
    // every board admits, is in the facilitator rooms and stays. The hub still counts the socket
    // among the board's people until it leaves the board or disconnects (presence only).
    leftBoard: (userId, boardId) =>
      io
        .in(userRoom(userId))
        .socketsLeave([audienceRoom(boardId, "participant"), selfRoom(boardId, "participant", userId)]),
    async present(sessionId) {
      const sockets = await io.in(breakoutPeopleRoom(sessionId)).fetchSockets();
      const people = new Map<string, PresentPerson>();
      for (const socket of sockets) {
        const user = socket.data.actor?.user;
        if (user && !people.has(user.id)) people.set(user.id, { userId: user.id, name: user.name });
      }
      return [...people.values()].sort((a, b) => a.userId.localeCompare(b.userId));
    },
    async connected(sessionId) {
      // The same cluster-wide ask as `present`: a closed tab left the room on its node.
      const sockets = await io.in(breakoutRoom(sessionId)).fetchSockets();
      return new Set(sockets.flatMap((socket) => (socket.data.actor ? [socket.data.actor.user.id] : [])));
    },
  };
}
