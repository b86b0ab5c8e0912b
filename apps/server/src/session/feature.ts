// Wires live sessions: the service (state announcements and LiveKit control), the REST routes,
// and — once the socket server exists — the socket handlers and the presence announcer.
import type { Router } from "express";
import type { Logger } from "pino";
import type { Db } from "@convivio/db";
import type { Clock } from "../auth/clock.js";
import type { LiveServer } from "../live/socket.js";
import type { RoomControl } from "../media/rooms.js";
import { TokenBuckets, type TokenBucketOptions } from "../boards/rateLimiter.js";
import { PresenceAnnouncer } from "./presence.js";
import { sessionRoutes } from "./routes.js";
import { SessionService, type SessionEndedListener, type TableAccess } from "./service.js";
import { attachSessionSockets } from "./sockets.js";

/** Burst and steady rate of session events (joins, hands, moderation) per person and process. */
export const DEFAULT_SESSION_RATE_LIMIT: TokenBucketOptions = { capacity: 30, refillPerSecond: 10 };
/** Chat messages per person and process: a short burst, then one every half second. */
export const DEFAULT_CHAT_RATE_LIMIT: TokenBucketOptions = { capacity: 10, refillPerSecond: 2 };

export interface LiveSessionFeatureDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Null when LiveKit is not configured. */
  rooms: RoomControl | null;
  /** Who may be at a table (provided by the breakout tables); without it table chat is refused. */
  tableAccess?: TableAccess;
  rateLimit?: TokenBucketOptions;
  chatRateLimit?: TokenBucketOptions;
}

export interface LiveSessionFeature {
  router: Router;
  service: SessionService;
  /** Sets who may be at a table (the breakout tables call this while the runtime is built). */
  useTableAccess(access: TableAccess | undefined): void;
  /** Runs `listener` after a session ends. */
  onEnded(listener: SessionEndedListener): void;
  attach(io: LiveServer): void;
  stop(): void;
}

export function createLiveSessionFeature(deps: LiveSessionFeatureDeps): LiveSessionFeature {
  const logger = deps.logger.child({ component: "sessions" });
  const service = new SessionService({ db: deps.db, clock: deps.clock, logger, rooms: deps.rooms });
  service.tableAccess = deps.tableAccess;
  let presence: PresenceAnnouncer | undefined;
  return {
    router: sessionRoutes(service),
    service,
    useTableAccess(access) {
      service.tableAccess = access;
    },
    onEnded(listener) {
      service.onEnded(listener);
    },
    attach(io) {
      service.io = io;
      presence = new PresenceAnnouncer(io, logger);
      attachSessionSockets(io, {
        service,
        presence,
        limiter: new TokenBuckets(deps.rateLimit ?? DEFAULT_SESSION_RATE_LIMIT),
        chatLimiter: new TokenBuckets(deps.chatRateLimit ?? DEFAULT_CHAT_RATE_LIMIT),
        logger,
      });
    },
    stop() {
      presence?.stop();
    },
  };
}
