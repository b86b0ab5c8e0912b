import { bindRoutes } from "../http/routes.js";
import type { Metrics } from "./metrics.js";

/** A named check for /readyz; resolves when healthy, throws with a short reason when not. */
export type ReadinessCheck = () => Promise<void>;

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(check: ReadinessCheck): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
}

/** Liveness, readiness and metrics. */
export function opsRoutes(
  checks: Record<string, ReadinessCheck>,
  metrics: Metrics,
  isDraining: () => boolean,
) {
  return bindRoutes({
    health: () => ({ status: 200, body: { status: "ok" } }),
    ready: async () => {
      const results: Record<string, string> = {};
      let ready = !isDraining();
      if (isDraining()) results.shutdown = "draining";
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check);
            results[name] = "ok";
          } catch (err) {
            ready = false;
            results[name] = err instanceof Error ? err.message.slice(0, 120) : "failed";
          }
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
