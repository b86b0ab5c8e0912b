import { performance } from "node:perf_hooks";
import { Counter, Histogram, Registry, collectDefaultMetrics, Gauge } from "prom-client";
import type { RequestHandler } from "express";

const LOOP_SAMPLE_MS = 250;
/** The share of a sample from which the event loop counts as busy (a rush it can hardly keep up with). */
export const LOOP_BUSY = 0.9;
/** A dip below LOOP_BUSY this long ends a rush; a shorter one does not. */
const LOOP_QUIET_MS = 1_000;

/** The process's Prometheus registry and the HTTP and socket metrics every node exports. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "convivio_" });
  const httpDuration = new Histogram({
    name: "convivio_http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const httpErrors = new Counter({
    name: "convivio_http_server_errors_total",
    help: "HTTP responses with status 500 or above",
    registers: [registry],
  });
  const socketConnections = new Gauge({
    name: "convivio_socket_connections",
    help: "Live socket connections open on this process",
    registers: [registry],
  });
  const emailsSent = new Counter({
    name: "convivio_emails_sent_total",
    help: "Emails handed to the mail transport",
    labelNames: ["transport"] as const,
    registers: [registry],
  });

  const liveCommands = new Counter({
    name: "convivio_live_commands_total",
    help: "Live socket commands answered, by event and outcome (ok or the refusal code)",
    labelNames: ["event", "outcome"] as const,
    registers: [registry],
  });
  const liveCommandDuration = new Histogram({
    name: "convivio_live_command_duration_seconds",
    help: "Time from a live command's arrival to its acknowledgement (after the commit)",
    labelNames: ["event"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  /** Records one answered live command; `code` is the refusal code, absent when it succeeded. */
  const observeLiveCommand = (event: string, seconds: number, code?: string) => {
    liveCommands.inc({ event, outcome: code ?? "ok" });
    liveCommandDuration.observe({ event }, seconds);
  };

  const inFlight = new Gauge({
    name: "convivio_http_requests_in_flight",
    help: "HTTP requests this process has received and not yet finished answering",
    registers: [registry],
  });

  // The share of the last sampling period the event loop spent working, not waiting for I/O.
  const loopUtilization = new Gauge({
    name: "convivio_event_loop_utilization",
    help: "Share of the last quarter second the event loop was busy (0 to 1)",
    registers: [registry],
  });
  let loopMark = performance.eventLoopUtilization();
  let recentUtilization = 0;
  /**
   * When the loop became busy (at least LOOP_BUSY of a sample), kept through dips shorter than
   * LOOP_QUIET_MS: a load that flickers is one long rush, not many short ones.
   */
  let busySince: number | null = null;
  /** When the current dip below LOOP_BUSY began, or null while busy. */
  let quietSince: number | null = null;
  const sampler = setInterval(() => {
    const now = performance.eventLoopUtilization();
    recentUtilization = performance.eventLoopUtilization(now, loopMark).utilization;
    loopMark = now;
    loopUtilization.set(recentUtilization);
    const at = Date.now();
    if (recentUtilization >= LOOP_BUSY) {
      quietSince = null;
      busySince ??= at - LOOP_SAMPLE_MS;
    } else {
      quietSince ??= at;
      if (at - quietSince >= LOOP_QUIET_MS) busySince = null;
    }
  }, LOOP_SAMPLE_MS);
  sampler.unref();

  const middleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    inFlight.inc();
    // "close" comes once per response, answered or abandoned.
    res.once("close", () => inFlight.dec());
    res.on("finish", () => {
      // Route templates keep label cardinality bounded; unmatched paths share one label.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : "unmatched";
      end({ method: req.method, route, status: String(res.statusCode) });
      if (res.statusCode >= 500) httpErrors.inc();
    });
    next();
  };

  return {
    registry,
    middleware,
    socketConnections,
    emailsSent,
    observeLiveCommand,
    /** The share of the last quarter second the event loop was busy. */
    loopUtilization: () => recentUtilization,
    /**
     * How long the event loop has been busy, dips shorter than a second included (0 while it is not
     * busy now): a rush, and how old it is.
     */
    busyForMs: () => (busySince === null || quietSince !== null ? 0 : Date.now() - busySince),
    close: () => clearInterval(sampler),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
