// Wires the live boards: the store and its cache, the command path, the phase-timer job (defined
// while the runtime is built, before the jobs port starts), the REST routes, and — once the socket
// server exists — the socket handlers and the per-node fan-out.
import type { Router } from "express";
import type { Logger } from "pino";
import type { Db } from "@convivio/db";
import type { Clock } from "../auth/clock.js";
import type { Jobs } from "../jobs/jobs.js";
import type { LiveServer } from "../live/socket.js";
import { CatchUp } from "./catchUp.js";
import { BoardCommands } from "./commands.js";
import { BoardHub, type BroadcastMode } from "./hub.js";
import { TokenBuckets, type TokenBucketOptions } from "./rateLimiter.js";
import { boardRoutes } from "./routes.js";
import { attachBoardSockets } from "./sockets.js";
import { BoardStore } from "./store.js";
import { BoardTimers } from "./timers.js";

/** Burst and steady rate of commands (and joins) per participant and process. */
export const DEFAULT_BOARD_RATE_LIMIT: TokenBucketOptions = { capacity: 30, refillPerSecond: 10 };

export interface BoardFeatureDeps {
  db: Db;
  jobs: Jobs;
  clock: Clock;
  logger: Logger;
  rateLimit?: TokenBucketOptions;
  /** How patches go out: "tick" (default) or "per-op", the load benchmark's naive reference. */
  broadcast?: BroadcastMode;
  /** Sockets per slice of a large audience's patch (tests only; see `FAN_OUT_SLICE`). */
  fanOutSlice?: number;
  /** Records each answered live command (the Prometheus metrics). */
  observe?: (event: string, seconds: number, code?: string) => void;
}

export interface BoardFeature {
  router: Router;
  store: BoardStore;
  commands: BoardCommands;
  timers: BoardTimers;
  /** The fan-out, once `attach` ran. */
  hub: BoardHub | undefined;
  /** Starts the live side on the socket server (handlers and ticks). */
  attach(io: LiveServer, options: { clustered: boolean }): BoardHub;
  /** Re-arms every running phase timer from the database. Call after jobs.start(). */
  rearm(): Promise<number>;
  stop(): void;
}

export function createBoardFeature(deps: BoardFeatureDeps): BoardFeature {
  const { db, jobs, clock } = deps;
  const logger = deps.logger.child({ component: "boards" });
  const store = new BoardStore(db, (err, boardId) =>
    logger.error({ err, boardId }, "a command broke an invariant of the board rules"),
  );
  const commands = new BoardCommands({ store, clock, logger });
  const timers = new BoardTimers({ db, jobs, clock, logger, commands: () => commands });
  // The ack of a command that sets a deadline waits for its job: a node that dies right after
  // acking leaves the timer armed in Redis, not only in the database.
  commands.onCommitted((boardId, after, before) => timers.afterCommit(boardId, before, after.state));
  const feature: BoardFeature = {
    router: boardRoutes({ db, store, clock }),
    store,
    commands,
    timers,
    hub: undefined,
    attach(io, { clustered }) {
      const hub = new BoardHub({
        io,
        store,
        catchUp: new CatchUp(store),
        logger,
        clustered,
        ...(deps.broadcast ? { broadcast: deps.broadcast } : {}),
        ...(deps.fanOutSlice ? { fanOutSlice: deps.fanOutSlice } : {}),
      });
      commands.onCommitted((boardId, after, before, events) => hub.committed(boardId, after, before, events));
      attachBoardSockets(io, {
        db,
        hub,
        commands,
        limiter: new TokenBuckets(deps.rateLimit ?? DEFAULT_BOARD_RATE_LIMIT),
        logger,
        ...(deps.observe ? { observe: deps.observe } : {}),
      });
      hub.start();
      feature.hub = hub;
      return hub;
    },
    async rearm() {
      const armed = await timers.rearm();
      if (armed) logger.info({ armed }, "board timers re-armed");
      return armed;
    },
    stop() {
      feature.hub?.stop();
    },
  };
  return feature;
}
