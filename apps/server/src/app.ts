import express, { type Express } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "pino";
import { randomUUID } from "node:crypto";
import type { Db } from "@convivio/db";
import { errorHandler, notFoundHandler } from "./http/problem.js";
import { securityHeaders } from "./http/security.js";
import { webAppRouter } from "./http/webApp.js";
import { buildOpenApi } from "./http/openapi.js";
import { bindRoutes } from "./http/routes.js";
import { sessionMiddleware } from "./auth/cookies.js";
import { authRoutes } from "./auth/routes.js";
import type { AuthService } from "./auth/service.js";
import { createAuthLimiters, type RateLimitConfig } from "./auth/rateLimits.js";
import { eventRoutes } from "./events/routes.js";
import { opsRoutes, type ReadinessCheck } from "./ops/routes.js";
import type { Metrics } from "./ops/metrics.js";
import { localOnly, outboxApiRoutes, outboxCss, outboxPage } from "./email/outboxRoutes.js";
import type { RegistrationFeature } from "./registrations/feature.js";
import type { BoardFeature } from "./boards/feature.js";
import type { LibraryFeature } from "./library/feature.js";
import type { LiveSessionFeature } from "./session/feature.js";
import type { BreakoutFeature } from "./breakouts/feature.js";
import { liveKitWebhookHandler, mediaRoutes, type MediaDeps } from "./media/routes.js";

// The largest body the schemas allow is a library item's: 100,000 characters of Markdown, which in
// Italian prose (2-byte letters, 3-byte typographic quotes) is up to ~300 kB of UTF-8. The limit
// must not refuse with a 413 what the schema would accept; beyond it, a 413 comes before parsing.
export const JSON_BODY_LIMIT = "512kb";
const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

export interface AppDeps {
  db: Db;
  auth: AuthService;
  logger: Logger;
  metrics: Metrics;
  readiness: Record<string, ReadinessCheck>;
  rateLimit: RateLimitConfig;
  isDraining: () => boolean;
  production: boolean;
  secureCookies: boolean;
  /** Express `trust proxy`: a number of proxies, all or none, or addresses (parsed in env.ts). */
  trustProxy: boolean | number | string;
  livekitUrl?: string;
  webDist?: string;
  version: string;
  /** Event editing and registrations (their routers; their jobs are defined on the runtime's port). */
  registrations: Pick<RegistrationFeature, "routers">;
  /** Live boards (their REST routes; the socket side is attached to the live server). */
  boards?: Pick<BoardFeature, "router">;
  /** Communities and the library. */
  library?: Pick<LibraryFeature, "router">;
  /** Live sessions (start, end, the lobby's states; the socket side is attached to the live server). */
  sessions?: Pick<LiveSessionFeature, "router">;
  /** Breakout tables (their REST routes; the socket side is attached to the live server). */
  breakouts?: Pick<BreakoutFeature, "router">;
  media: MediaDeps;
}

/** The Express application: every route, parsed and authorized the same way, errors in one place. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy);
  app.set("query parser", "simple");

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers["x-request-id"];
        const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/metrics" },
    }),
  );
  app.use(deps.metrics.middleware);
  app.use(
    securityHeaders({
      production: deps.production,
      ...(deps.livekitUrl ? { livekitUrl: deps.livekitUrl } : {}),
    }),
  );
  // Signed webhooks need their exact bytes, so this route comes before the JSON parser.
  app.post("/api/livekit/webhook", ...liveKitWebhookHandler(deps.media));
  app.use(express.json({ limit: JSON_BODY_LIMIT, strict: true }));

  app.use(opsRoutes(deps.readiness, deps.metrics, deps.isDraining, deps.logger));
  const openApi = buildOpenApi(deps.version);
  app.use(bindRoutes({ openApi: () => ({ status: 200, body: openApi }) }));

  app.use("/api", sessionMiddleware(deps.auth));
  const limiters = createAuthLimiters(deps.rateLimit);
  app.post("/api/events/:slug/register", limiters.registration);
  app.use(
    authRoutes({
      auth: deps.auth,
      secureCookies: deps.secureCookies,
      limiters,
    }),
  );
  app.use(eventRoutes(deps.db));
  for (const router of deps.registrations.routers) app.use(router);
  if (deps.boards) app.use(deps.boards.router);
  if (deps.library) app.use(deps.library.router);
  if (deps.sessions) app.use(deps.sessions.router);
  if (deps.breakouts) app.use(deps.breakouts.router);
  app.use(mediaRoutes(deps.media));
  // The outbox holds working sign-in links; outside production it is served to this machine only
  // (see outboxRoutes.ts), never to whoever can reach the port.
  if (!deps.production) {
    app.use(outboxApiRoutes(deps.db));
    app.get("/dev/outbox", localOnly, outboxPage(deps.db));
    app.get("/dev/outbox.css", localOnly, outboxCss);
  }

  if (deps.webDist) {
    const web = webAppRouter(deps.webDist);
    if (web) app.use(web);
    else deps.logger.warn({ webDist: deps.webDist }, "web app not built; serving the API only");
  }

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
