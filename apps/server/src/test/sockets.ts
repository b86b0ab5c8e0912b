// Test support for live sockets: a socket.io client connected as one browser tab of a signed-in
// person, and the wait for the server to accept it.
import { io as connect, type Socket } from "socket.io-client";
import { PROTOCOL_VERSION } from "@convivio/protocol";

/** A socket as a browser tab of the person whose session cookie this is; it does not reconnect on its own. */
export function connectAs(url: string, cookie: string): Socket {
  return connect(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    auth: { protocolVersion: PROTOCOL_VERSION },
    extraHeaders: { cookie },
  });
}

/** Resolves at the server's `welcome` (the socket is accepted), rejects on a refused connection. */
export function welcomed(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("welcome", () => resolve());
    socket.once("connect_error", reject);
  });
}
