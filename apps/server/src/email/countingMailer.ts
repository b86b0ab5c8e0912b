import type { Metrics } from "../ops/metrics.js";
import type { Mailer } from "./mailer.js";

/** Wraps a mailer so every message sent is counted in the metrics. */
export function countingMailer(inner: Mailer, metrics: Metrics, transport: string): Mailer {
  return {
    async send(message) {
      await inner.send(message);
      metrics.emailsSent.inc({ transport });
    },
    close: () => inner.close(),
  };
}
