import type { User } from "./auth.js";

/** What the client sends in `socket.handshake.auth`. */
export interface LiveHandshake {
  protocolVersion: number;
}

/** Sent once after a successful handshake. */
export interface Welcome {
  protocolVersion: number;
  user: User;
}

/** Events the server emits to every live client, whatever it joins. */
export interface LiveServerToClient {
  welcome: (payload: Welcome) => void;
  /** The node is shutting down; reconnect after `afterMs` (spread so clients do not stampede). */
  reconnect: (payload: { afterMs: number }) => void;
}

/** Events every live client may emit. */
export interface LiveClientToServer {
  ping: (ack: (reply: { ok: true; serverTime: string }) => void) => void;
}
