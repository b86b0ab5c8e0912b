// The page's shared live connection and the React hooks that read it.
import { useEffect, useMemo, useSyncExternalStore } from "react";
import { io } from "socket.io-client";
import { PROTOCOL_VERSION, type BoardId } from "@convivio/protocol";
import type { BoardClient, BoardClientState } from "./BoardClient";
import { LiveConnection, type LiveClientSocket, type LiveState } from "./LiveConnection";

let shared: LiveConnection | null = null;

/** The one live connection of this page, created on first use (it connects once a board opens). */
export function liveConnection(): LiveConnection {
  if (shared) return shared;
  const connection = new LiveConnection({
    createSocket: (): LiveClientSocket =>
      io({
        path: "/socket.io",
        // WebSocket only: no long-polling, so any server node can serve any client (DESIGN.md).
        transports: ["websocket"],
        autoConnect: false,
        auth: { protocolVersion: PROTOCOL_VERSION },
        reconnectionDelay: 1_000,
        reconnectionDelayMax: 10_000,
      }),
    isOnline: () => navigator.onLine,
  });
  window.addEventListener("online", () => connection.handleOnline());
  window.addEventListener("offline", () => connection.handleOffline());
  shared = connection;
  return connection;
}

/** The connection's state, for the indicator every live page shows. */
export function useLiveState(): LiveState {
  const connection = liveConnection();
  return useSyncExternalStore(connection.subscribe, connection.getState);
}

/** Opens a board on the live connection while the component is mounted. */
export function useBoardClient(boardId: BoardId): { client: BoardClient; state: BoardClientState } {
  const connection = liveConnection();
  const client = useMemo(() => connection.client(boardId), [connection, boardId]);
  useEffect(() => {
    connection.acquire(boardId);
    return () => connection.release(boardId);
  }, [connection, boardId]);
  const state = useSyncExternalStore(client.subscribe, client.getState);
  return { client, state };
}
