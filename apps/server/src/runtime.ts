import { settleWithin } from "./ops/settleWithin.js";
import { createServer, type Server as HttpServer } from "node:http";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import { Redis } from "ioredis";
import { createDb, type Database } from "@convivio/db";
import { createApp } from "./app.js";
import type { Env } from "./env.js";
import { isSecureCookies } from "./env.js";
import { AuthService } from "./auth/service.js";
import { systemClock, type Clock } from "./auth/clock.js";
import type { Mailer } from "./email/mailer.js";
import { createOutboxMailer } from "./email/outboxMailer.js";
import { createSmtpMailer } from "./email/smtpMailer.js";
import { createMetrics } from "./ops/metrics.js";
import { createLiveServer, drainLive, type LiveServer } from "./live/socket.js";
import { countingMailer } from "./email/countingMailer.js";
import { createLiveKitRooms } from "./media/rooms.js";
import { rememberEnsuredRooms } from "./media/ensuredRooms.js";
import { createJobs } from "./jobs/createJobs.js";
import type { Jobs } from "./jobs/jobs.js";
import { createRegistrationFeature } from "./registrations/feature.js";
import { createBoardFeature, type BoardFeature } from "./boards/feature.js";
import { createLibraryFeature, type LibraryFeature } from "./library/feature.js";
import { createDiskBlobStore } from "./library/blobStore.js";
import { createS3BlobStore } from "./library/s3BlobStore.js";
import { createLiveSessionFeature, type LiveSessionFeature } from "./session/feature.js";
import { createBreakoutFeature, type BreakoutFeature } from "./breakouts/feature.js";

export const VERSION = "0.1.0";

/**
 * Connections the kernel may hold for the server before it accepts them (it caps this at
 * net.core.somaxconn). Node's default, 511, is less than a registration rush opens at once: in the
 * storm of 2,000 the rest were dropped and their clients retried a second or three later, which
 * was most of its latency (docs/performance.md).
 */
export const LISTEN_BACKLOG = 4096;
const SHUTDOWN_GRACE_MS = 10_000;
const ADAPTER_READY_WAIT_MS = 5_000;

export interface RuntimeOverrides {
  database?: Database;
  mailer?: Mailer;
  clock?: Clock;
  logger?: Logger;
  /**
   * Redis key prefix of the BullMQ jobs and the socket.io adapter's channels, so test files
   * sharing one Redis keep their queues and their fan-out apart.
   */
  redisPrefix?: string;
  /** Sockets per slice of a board patch's fan-out (tests make it small to see the slicing). */
  boardFanOutSlice?: number;
}

/** A running server: its URL, its parts for tests and the seed, and a graceful stop. */
export interface Runtime {
  url: string;
  env: Env;
  database: Database;
  auth: AuthService;
  io: LiveServer;
  http: HttpServer;
  logger: Logger;
  jobs: Jobs;
  boards: BoardFeature;
  sessions: LiveSessionFeature;
  breakouts: BreakoutFeature;
  library: LibraryFeature;
  stop(): Promise<void>;
}

const defaultWebDist = () => join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "web", "dist");

function connectRedis(url: string, logger: Logger, name: string, readyCheck = true): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: readyCheck,
    connectionName: name,
  });
  client.on("error", (err: Error) => logger.warn({ err: err.message, name }, "redis connection error"));
  return client;
}

function watchRedisRecovery(client: Redis, logger: Logger, rearm: () => Promise<void>): void {
  let lost = client.status !== "ready";
  client.on("close", () => {
    if (!lost) logger.warn("redis connection lost; jobs and fan-out wait for it");
    lost = true;
  });
  client.on("ready", () => {
    if (!lost) return;
    lost = false;
    logger.info("redis is back; re-arming pending jobs from the database");
    rearm().catch((err: unknown) => logger.error({ err }, "re-arming jobs after a redis reconnect failed"));
  });
}

/** Builds every client from the environment, migrates, and listens. Only this file wires I/O. */
export async function startRuntime(env: Env, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  const logger =
    overrides.logger ??
    pino({ level: env.LOG_LEVEL, base: { service: "convivio-server", pid: process.pid } });
  const production = env.NODE_ENV === "production";
  const database =
    overrides.database ??
    (await createDb({
      ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: join(env.DATA_DIR, "pglite") }),
      poolSize: env.DATABASE_POOL_SIZE,
    }));
  const applied = await database.migrate();
  if (applied.length) logger.info({ applied }, "migrations applied");
  // A database this runtime opened is its own to fill (tests bring theirs, shared by many servers).
  if (!overrides.database) await database.warm();

  const redis = env.REDIS_URL
    ? {
        main: connectRedis(env.REDIS_URL, logger, "convivio-main"),
        pub: connectRedis(env.REDIS_URL, logger, "convivio-pub"),
        // No ready check on the subscriber: ioredis writes SUBSCRIBE (a command flagged "loading")
        // before its INFO ready check, Redis refuses INFO in subscriber mode, ioredis drops the
        // connection and reconnects without the subscriptions it never saw confirmed. The
        // adapter's channels were then silently missing on that node (seen under load in tests).
        sub: connectRedis(env.REDIS_URL, logger, "convivio-sub", false),
      }
    : undefined;

  // Features define their jobs while the runtime is built; workers start once the server listens.
  const jobs = await createJobs({
    redisUrl: env.REDIS_URL,
    logger,
    ...(overrides.redisPrefix ? { prefix: overrides.redisPrefix } : {}),
  });

  const metrics = createMetrics();
  const transport = overrides.mailer ? "custom" : env.SMTP_URL ? "smtp" : "outbox";
  const mailer = countingMailer(
    overrides.mailer ??
      (env.SMTP_URL ? createSmtpMailer(env.SMTP_URL, env.MAIL_FROM) : createOutboxMailer(database.db)),
    metrics,
    transport,
  );
  // A self-hoster may try production mode without mail, so this does not stop the server; but
  // sign-in links, resets and confirmations then reach no one, and in production nobody can read
  // the outbox either. /readyz repeats it as `mail: "outbox"`.
  if (production && transport === "outbox") {
    logger.warn(
      "NODE_ENV=production without SMTP_URL: emails (sign-in links, password resets, confirmations) are written to the outbox table and delivered to no one. Set SMTP_URL.",
    );
  }

  let url = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  const auth = new AuthService(database.db, mailer, overrides.clock ?? systemClock, {
    sessionTtlDays: env.SESSION_TTL_DAYS,
    sessionCacheMs: env.SESSION_CACHE_MS,
    magicLinkTtlMinutes: env.MAGIC_LINK_TTL_MINUTES,
    resetTtlMinutes: 60,
    publicUrl: () => url,
  });
  const registrations = createRegistrationFeature({
    db: database.db,
    jobs,
    mailer,
    auth,
    clock: overrides.clock ?? systemClock,
    logger,
    publicUrl: () => url,
    busyForMs: metrics.busyForMs,
  });
  const boards = createBoardFeature({
    db: database.db,
    jobs,
    clock: overrides.clock ?? systemClock,
    logger,
    observe: metrics.observeLiveCommand,
    broadcast: env.BOARD_BROADCAST,
    ...(overrides.boardFanOutSlice ? { fanOutSlice: overrides.boardFanOutSlice } : {}),
  });

  const liveKit =
    env.LIVEKIT_URL && env.LIVEKIT_API_KEY && env.LIVEKIT_API_SECRET
      ? (() => {
          const config = {
            url: env.LIVEKIT_URL,
            apiKey: env.LIVEKIT_API_KEY,
            apiSecret: env.LIVEKIT_API_SECRET,
          };
          return { config, rooms: rememberEnsuredRooms(createLiveKitRooms(config)) };
        })()
      : null;
  const sessions = createLiveSessionFeature({
    db: database.db,
    clock: overrides.clock ?? systemClock,
    logger,
    rooms: liveKit?.rooms ?? null,
  });
  const breakouts = createBreakoutFeature({
    db: database.db,
    jobs,
    clock: overrides.clock ?? systemClock,
    logger,
    boards,
    liveKit,
  });
  // Table chat asks the breakouts who sits where; a session that ends closes its tables.
  sessions.useTableAccess(breakouts.tableAccess);
  sessions.onEnded((sessionId) => breakouts.service.closeNow(sessionId));

  const s3 =
    env.S3_ENDPOINT && env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
      ? {
          endpoint: env.S3_ENDPOINT,
          region: env.S3_REGION,
          bucket: env.S3_BUCKET,
          accessKeyId: env.S3_ACCESS_KEY_ID,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        }
      : null;
  if (redis && !s3) {
    // Cluster mode with attachments on this node's disk: the others serve them only if DATA_DIR is
    // a folder they share (docs/deploy.md, "Attachments").
    logger.warn(
      { dataDir: env.DATA_DIR },
      "library attachments are stored under DATA_DIR/blobs on this node: share that folder between the nodes or set S3_*",
    );
  }
  const library = createLibraryFeature({
    db: database.db,
    jobs,
    clock: overrides.clock ?? systemClock,
    logger,
    blobs: s3 ? createS3BlobStore(s3) : createDiskBlobStore(join(env.DATA_DIR, "blobs")),
    boards: boards.store,
    mailer,
    publicUrl: () => url,
    operatorEmails: env.PLATFORM_OPERATOR_EMAILS,
  });

  let draining = false;
  const app = createApp({
    db: database.db,
    auth,
    logger,
    metrics,
    readiness: {
      database: async () => {
        await database.ping();
        const pending = await database.pending();
        if (!pending.length) return "ok";
        logger.warn({ pending }, "readiness: migrations pending");
        return "migrations_pending";
      },
      ...(redis
        ? {
            redis: async () => {
              if ((await redis.main.ping()) !== "PONG") throw new Error("redis answered PING without PONG");
              return "ok" as const;
            },
          }
        : {}),
      ...(production && transport === "outbox" ? { mail: () => "outbox" as const } : {}),
    },
    rateLimit: {
      limit: env.AUTH_RATE_LIMIT,
      ...(env.AUTH_MAIL_RATE_LIMIT ? { mailLimit: env.AUTH_MAIL_RATE_LIMIT } : {}),
      ...(env.AUTH_ACCOUNT_RATE_LIMIT ? { accountLimit: env.AUTH_ACCOUNT_RATE_LIMIT } : {}),
      registrationLimit: env.REGISTRATION_RATE_LIMIT,
      windowSeconds: env.AUTH_RATE_WINDOW_SECONDS,
      ...(redis ? { redis: redis.main } : {}),
    },
    isDraining: () => draining,
    production,
    secureCookies: isSecureCookies(env),
    trustProxy: env.TRUST_PROXY,
    ...(env.LIVEKIT_URL ? { livekitUrl: env.LIVEKIT_URL } : {}),
    webDist: env.WEB_DIST ?? defaultWebDist(),
    version: VERSION,
    registrations,
    boards,
    sessions,
    breakouts,
    library,
    media: {
      db: database.db,
      clock: overrides.clock ?? systemClock,
      logger,
      liveKit,
      tableToken: (user, sessionId, tableId, hidden) =>
        breakouts.service.tokenForRoute(user, sessionId, tableId, hidden),
    },
  });

  const http = createServer(app);
  http.keepAliveTimeout = 65_000;
  const io = createLiveServer(http, {
    auth,
    logger,
    metrics,
    allowedOrigins: env.PUBLIC_URL ? [new URL(env.PUBLIC_URL).origin] : [],
    ...(redis
      ? {
          redis: {
            pub: redis.pub,
            sub: redis.sub,
            ...(overrides.redisPrefix ? { key: overrides.redisPrefix } : {}),
          },
        }
      : {}),
  });
  // The adapter subscribes on its own schedule; a node that served before its subscriptions were
  // in place would answer "who is here" with its own sockets only. Redis answers one connection's
  // commands in order, so this PING returns once the SUBSCRIBEs before it have taken effect.
  // A Redis that is down holds no one up: the node serves, says it is not ready, and subscribes
  // once Redis is back (ioredis re-subscribes on reconnect).
  if (redis) await settleWithin(redis.sub.ping(), ADAPTER_READY_WAIT_MS);
  boards.attach(io, { clustered: Boolean(redis) });
  library.attach(io);
  sessions.attach(io);
  breakouts.attach(io);

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen({ port: env.PORT, host: env.HOST, backlog: LISTEN_BACKLOG }, () => resolve());
  });
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  if (!env.PUBLIC_URL) url = `http://localhost:${port}`;
  logger.info(
    { url, database: database.driver, redis: Boolean(redis), mail: transport, jobs: jobs.driver },
    "convivio listening",
  );
  await jobs.start();
  // Durable truth lives in the database; pending jobs are re-armed from it: reminders and emails
  // owed while no process was running (or by one that died), phase timers, breakout rounds and
  // close-all countdowns that were running, and the next weekly library digest.
  const rearmAll = async () => {
    await registrations.rearm();
    await boards.rearm();
    await breakouts.rearm();
    await library.rearm();
  };
  // Redis may come back empty after a restart (pending jobs live there): each time the connection
  // is ready again after a loss, re-arm from the database. Job ids make a second arming a no-op and
  // delivery records keep a reminder from going out twice. A node that starts while Redis is down
  // serves (and says it is not ready) and re-arms once Redis is reachable.
  if (redis) watchRedisRecovery(redis.main, logger, rearmAll);
  if (!redis || redis.main.status === "ready") await rearmAll();
  else logger.warn("redis is not reachable yet; pending jobs are re-armed once it is");

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      draining = true;
      logger.info("shutting down: no new connections, finishing in-flight requests");
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      // Keep-alive connections become idle as their last request finishes; close them as they do.
      http.closeIdleConnections();
      const idleSweep = setInterval(() => http.closeIdleConnections(), 100);
      // Live clients go elsewhere, each after its own random delay.
      boards.stop();
      sessions.stop();
      drainLive(io);
      const grace = setTimeout(() => http.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(grace);
      clearInterval(idleSweep);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      // Running handlers finish (they may still send mail or write to the database).
      await jobs.stop();
      await mailer.close();
      // disconnect, not quit: quit waits for a reply that never comes while Redis is down.
      if (redis) for (const client of [redis.main, redis.pub, redis.sub]) client.disconnect();
      if (!overrides.database) await database.close();
      metrics.close();
      logger.info("stopped");
    })();
    return stopping;
  };

  return { url, env, database, auth, io, http, logger, jobs, boards, sessions, breakouts, library, stop };
}
