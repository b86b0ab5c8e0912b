import { Server } from "socket.io";
import type { Server as HttpServer, IncomingMessage } from "node:http";
import type { Redis } from "ioredis";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Logger } from "pino";
import {
  ErrorCode,
  PROTOCOL_VERSION,
  SessionForget,
  type BoardClientToServer,
  type BoardServerToClient,
  type LibraryServerToClient,
  type LiveClientToServer,
  type LiveServerToClient,
  type SessionClientToServer,
  type SessionRole,
  type SessionServerToClient,
} from "@convivio/protocol";
import type { AuthService, Revocation } from "../auth/service.js";
import { sessionTokenFrom } from "../auth/cookies.js";
import type { Metrics } from "../ops/metrics.js";
import type { Actor } from "../auth/actor.js";

export interface LiveDeps {
  auth: AuthService;
  logger: Logger;
  metrics: Metrics;
  /** Publisher and subscriber for the Redis adapter (cluster mode); `key` prefixes its channels. */
  redis?: { pub: Redis; sub: Redis; key?: string };
  /** Origins allowed to open a socket besides the request's own host. */
  allowedOrigins: string[];
}

export interface SocketData {
  actor: Actor;
  /** Live sessions this socket joined, with the role it joined as (read across nodes by presence). */
  sessions?: Record<string, SessionRole>;
}

/**
 * Messages between server nodes, carried by the socket.io adapter (Redis in cluster mode): short
 * nudges only, never state (see boards/hub.ts).
 */
export interface NodeToNode {
  /** A board committed up to `version` on the sending node. */
  "board:changed": (boardId: string, version: number) => void;
  /** The participants connected to a board on the sending node. */
  "board:presence": (nodeId: string, boardId: string, participantIds: string[]) => void;
  /** Sessions the sending node dropped from its session cache: ended, or their person changed. */
  "auth:forget": (what: unknown) => void;
}

export type LiveServer = Server<
  LiveClientToServer & BoardClientToServer & SessionClientToServer,
  LiveServerToClient & BoardServerToClient & SessionServerToClient & LibraryServerToClient,
  NodeToNode,
  SocketData
>;

// A socket authenticates with a cookie, so a page on another origin must not be able to open one.
function isSameOrigin(req: IncomingMessage, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // Non-browser clients send no Origin; the session cookie still gates them.
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The room of every socket a person has open, on any node. */
export const userRoom = (userId: string) => `user:${userId}`;
/** The room of the sockets opened with one sign-in session, on any node. */
export const authSessionRoom = (sessionId: string) => `auth:${sessionId}`;

class HandshakeError extends Error {
  readonly data: { code: string };
  constructor(code: string) {
    super(code);
    this.data = { code };
  }
}

/**
 * The live endpoint: WebSocket only (no long-polling, so no sticky sessions), no per-message
 * deflate, the session cookie and PROTOCOL_VERSION checked at the handshake.
 */
export function createLiveServer(httpServer: HttpServer, deps: LiveDeps): LiveServer {
  const io: LiveServer = new Server(httpServer, {
    path: "/socket.io",
    transports: ["websocket"],
    perMessageDeflate: false,
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    allowRequest: (req, callback) => callback(null, isSameOrigin(req, deps.allowedOrigins)),
  });
  if (deps.redis) {
    const { pub, sub, key } = deps.redis;
    io.adapter(createAdapter(pub, sub, key ? { key: `${key}:socket.io` } : {}));
  }

  io.use(async (socket, next) => {
    const auth = socket.handshake.auth as { protocolVersion?: unknown } | undefined;
    if (auth?.protocolVersion !== PROTOCOL_VERSION)
      return next(new HandshakeError(ErrorCode.versionMismatch));
    try {
      const actor = await deps.auth.resolveSession(sessionTokenFrom(socket.handshake.headers.cookie));
      if (!actor) return next(new HandshakeError(ErrorCode.unauthenticated));
      socket.data.actor = actor;
      next();
    } catch (err) {
      deps.logger.error({ err }, "socket handshake failed");
      next(new HandshakeError(ErrorCode.internal));
    }
  });

  // The session is checked only at the handshake, so a socket would outlive its sign-out; this
  // closes the revoked sessions' sockets on every node (the Redis adapter carries the request).
  // A handshake that read the session just before its revocation and joins just after keeps its
  // socket until it reconnects; that window is one database round trip.
  // Sessions a node stops trusting (auth/sessionCache.ts) are dropped from every node's cache.
  // (One node has nobody to tell: the in-memory adapter has no server-to-server channel.)
  if (deps.redis) deps.auth.onForget((what) => io.serverSideEmit("auth:forget", what));
  io.on("auth:forget", (what) => {
    const parsed = SessionForget.safeParse(what);
    if (parsed.success) deps.auth.forget(parsed.data);
    else
      deps.logger.warn({ issues: parsed.error.issues }, "ignored a malformed auth:forget from another node");
  });

  deps.auth.onRevoked((revoked: Revocation) => {
    const target =
      "sessionId" in revoked
        ? io.in(authSessionRoom(revoked.sessionId))
        : revoked.exceptSessionId
          ? io.in(userRoom(revoked.userId)).except(authSessionRoom(revoked.exceptSessionId))
          : io.in(userRoom(revoked.userId));
    target.disconnectSockets(true);
  });

  io.on("connection", (socket) => {
    deps.metrics.socketConnections.inc();
    const { user, sessionId } = socket.data.actor;
    // Every person has a room of their own, so any node can reach all of their tabs; and every
    // sign-in session one, so signing out closes exactly that session's sockets.
    void socket.join([userRoom(user.id), authSessionRoom(sessionId)]);
    socket.emit("welcome", { protocolVersion: PROTOCOL_VERSION, user });
    socket.on("ping", (ack) => {
      if (typeof ack === "function") ack({ ok: true, serverTime: new Date().toISOString() });
    });
    socket.on("disconnect", () => deps.metrics.socketConnections.dec());
  });
  return io;
}

/** Longest wait a client is told to take before reconnecting when this node drains. */
export const RECONNECT_SPREAD_MS = 5_000;

/**
 * Before a node stops: tell each client to reconnect after a random delay within the spread (so a
 * rollout causes no reconnect storm on the other nodes), then close the sockets.
 */
export function drainLive(io: LiveServer, random: () => number = Math.random): void {
  for (const socket of io.of("/").sockets.values()) {
    socket.emit("reconnect", { afterMs: Math.floor(random() * RECONNECT_SPREAD_MS) });
  }
  io.local.disconnectSockets(true);
}
