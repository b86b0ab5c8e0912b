import type { Metrics } from "../ops/metrics.js";
import { sendEach, type Mailer } from "./mailer.js";

/** Wraps a mailer so every message sent is counted in the metrics. */
export function countingMailer(inner: Mailer, metrics: Metrics, transport: string): Mailer {
  return {
    async send(message) {
      await inner.send(message);
      metrics.emailsSent.inc({ transport });
    },
    async sendMany(messages) {
      const outcomes = await sendEach(inner, messages);
      const sent = outcomes.filter((outcome) => outcome === undefined).length;
      if (sent > 0) metrics.emailsSent.inc({ transport }, sent);
      return outcomes;
    },
    close: () => inner.close(),
  };
}
