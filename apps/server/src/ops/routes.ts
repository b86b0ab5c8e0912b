import type { Logger } from "pino";
import type { ReadinessState } from "@convivio/protocol";
import { bindRoutes } from "../http/routes.js";
import type { Metrics } from "./metrics.js";

/**
 * A named check for /readyz: resolves with its state. A throw, or no answer within 2 s, reads
 * "unreachable"; the error itself goes to the log only, since /readyz is public and a driver's
 * message can name hosts, users or schema.
 */
export type ReadinessCheck = () => Promise<ReadinessState> | ReadinessState;

const CHECK_TIMEOUT_MS = 2_000;
// A node with an outbox instead of SMTP still serves (a self-hoster may be trying it out); the
// state says why no mail arrives.
const SERVING_STATES: ReadonlySet<ReadinessState> = new Set(["ok", "outbox"]);

function withTimeout(check: ReadinessCheck): Promise<ReadinessState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([Promise.resolve().then(check), timeout]).finally(() => clearTimeout(timer));
}

/** Liveness, readiness and metrics. */
export function opsRoutes(
  checks: Record<string, ReadinessCheck>,
  metrics: Metrics,
  isDraining: () => boolean,
  logger: Logger,
) {
  return bindRoutes({
    health: () => ({ status: 200, body: { status: "ok" } }),
    ready: async () => {
      const results: Record<string, ReadinessState> = {};
      let ready = !isDraining();
      if (isDraining()) results.shutdown = "draining";
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          let state: ReadinessState;
          try {
            state = await withTimeout(check);
          } catch (err) {
            logger.warn({ err, check: name }, "readiness check failed");
            state = "unreachable";
          }
          results[name] = state;
          if (!SERVING_STATES.has(state)) ready = false;
        }),
      );
      return ready
        ? { status: 200, body: { status: "ready", checks: results } }
        : { status: 503, body: { status: "not_ready", checks: results } };
    },
    metrics: async ({ res }) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  });
}
