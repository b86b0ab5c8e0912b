// Wires the breakout tables: the service (commands, seating, timers, roll-up), its timer job (defined
// while the runtime is built, before the jobs port starts), the REST routes, the table access the
// live sessions' table chat asks, the media-token route's table branch, and — once the socket server
// exists — the socket handlers.
import type { Router } from "express";
import type { Logger } from "pino";
import type { Db } from "@convivio/db";
import type { Clock } from "../auth/clock.js";
import type { Jobs } from "../jobs/jobs.js";
import type { LiveServer } from "../live/socket.js";
import type { BoardFeature } from "../boards/feature.js";
import type { LiveKitConfig } from "../media/tokens.js";
import type { RoomControl } from "../media/rooms.js";
import { TokenBuckets, type TokenBucketOptions } from "../boards/rateLimiter.js";
import { socketNotifier } from "./notify.js";
import { breakoutRoutes } from "./routes.js";
import { BreakoutService } from "./service.js";
import { attachBreakoutSockets } from "./sockets.js";
import { BreakoutTimers } from "./timers.js";

/** Burst and steady rate of breakout events per person and process. */
export const DEFAULT_BREAKOUT_RATE_LIMIT: TokenBucketOptions = { capacity: 20, refillPerSecond: 5 };

export interface BreakoutFeatureDeps {
  db: Db;
  jobs: Jobs;
  clock: Clock;
  logger: Logger;
  boards: Pick<BoardFeature, "store" | "commands">;
  liveKit: { config: LiveKitConfig; rooms: RoomControl } | null;
  rateLimit?: TokenBucketOptions;
}

export interface BreakoutFeature {
  router: Router;
  service: BreakoutService;
  timers: BreakoutTimers;
  /** Who may be at a table: its seat holders and the session's facilitators (table chat asks this). */
  tableAccess(sessionId: string, tableId: string, userId: string): Promise<boolean>;
  attach(io: LiveServer): void;
  /** Re-arms the timers of every running or closing run. Call after jobs.start(). */
  rearm(): Promise<number>;
}

export function createBreakoutFeature(deps: BreakoutFeatureDeps): BreakoutFeature {
  const logger = deps.logger.child({ component: "breakouts" });
  const service = new BreakoutService({
    db: deps.db,
    clock: deps.clock,
    logger,
    boards: deps.boards.store,
    commands: deps.boards.commands,
    liveKit: deps.liveKit,
  });
  const timers = new BreakoutTimers({ db: deps.db, jobs: deps.jobs, logger, handlers: () => service });
  service.timers = timers;
  return {
    router: breakoutRoutes({ db: deps.db, clock: deps.clock, service, store: deps.boards.store }),
    service,
    timers,
    tableAccess: (sessionId, tableId, userId) => service.mayBeAt(sessionId, tableId, userId),
    attach(io) {
      service.notifier = socketNotifier(io);
      attachBreakoutSockets(io, {
        db: deps.db,
        clock: deps.clock,
        service,
        limiter: new TokenBuckets(deps.rateLimit ?? DEFAULT_BREAKOUT_RATE_LIMIT),
        logger,
      });
    },
    async rearm() {
      const armed = await timers.rearm();
      if (armed) logger.info({ armed }, "breakout timers re-armed");
      return armed;
    },
  };
}
