import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { startTestServer, type TestServer } from "../test/harness.js";

/** A logger whose JSON lines the test can read. */
function capturedLogger(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  });
  return {
    logger: pino({ level: "info" }, sink),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe("operations endpoints", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: { LIVEKIT_URL: "https://media.example.org", LIVEKIT_API_KEY: "k", LIVEKIT_API_SECRET: "s" },
    });
  });
  afterAll(() => server.close());

  it("/healthz says the process is up", async () => {
    const res = await server.client().get("/healthz");
    expect(res).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("/readyz checks the database and its migrations", async () => {
    const res = await server.client().get("/readyz");
    // Outside production the outbox is the expected default, so there is no mail state.
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ready", checks: { database: "ok" } });
  });

  it("/metrics exports Prometheus text with request durations", async () => {
    await server.client().get("/api/me");
    const res = await server.client().get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(res.text).toContain(
      'convivio_http_request_duration_seconds_count{method="GET",route="/api/me",status="401"}',
    );
    expect(res.text).toContain("convivio_process_resident_memory_bytes");
    expect(res.text).toContain("convivio_socket_connections");
    // The scrape itself is the one request in flight; the loop's busy share is between 0 and 1.
    expect(res.text).toMatch(/^convivio_http_requests_in_flight 1$/m);
    const utilization = /^convivio_event_loop_utilization ([0-9.e-]+)$/m.exec(res.text);
    expect(Number(utilization?.[1])).toBeGreaterThanOrEqual(0);
    expect(Number(utilization?.[1])).toBeLessThanOrEqual(1);
  });

  it("the Grafana dashboard in infra/ queries only metrics the server exports", async () => {
    const dashboard = await readFile(
      new URL("../../../../infra/grafana/convivio-dashboard.json", import.meta.url),
      "utf8",
    );
    const exprs = [...dashboard.matchAll(/"expr": "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
    const used = new Set(
      exprs.flatMap((expr) =>
        [...expr.matchAll(/\b(convivio_[a-z0-9_]+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, "")),
      ),
    );
    expect(used.size).toBeGreaterThanOrEqual(10);
    const exported = (await server.client().get("/metrics")).text;
    for (const name of used) expect(exported, name).toMatch(new RegExp(`^# TYPE ${name} `, "m"));
  });

  it("the CSP lets the browser reach the configured LiveKit server", async () => {
    const csp = (await server.client().get("/healthz")).headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/connect-src 'self' wss:\/\/media\.example\.org https:\/\/media\.example\.org/);
  });

  it("/api/openapi.json serves the document", async () => {
    const res = await server.client().get("/api/openapi.json");
    expect(res.body).toMatchObject({ openapi: "3.1.0" });
  });
});

describe("/readyz with pending migrations", () => {
  it("says migrations_pending, naming none of them, and logs which", async () => {
    const { logger, lines } = capturedLogger();
    const server = await startTestServer({ overrides: { logger } });
    try {
      // As if a newer release's migration had not been applied to this database yet.
      const newest = await server.database.raw.transaction(async (conn) => {
        const [row] = await conn.query<{ id: string }>(
          "SELECT id FROM schema_migrations ORDER BY id DESC LIMIT 1",
        );
        await conn.query("DELETE FROM schema_migrations WHERE id = $1", [row!.id]);
        return row;
      });
      const res = await server.client().get("/readyz");
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: "not_ready", checks: { database: "migrations_pending" } });
      expect(res.text).not.toContain(newest!.id);
      expect(
        lines().some(
          (l) => l.msg === "readiness: migrations pending" && JSON.stringify(l.pending).includes(newest!.id),
        ),
      ).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe("production without SMTP_URL", () => {
  it("starts, warns loudly in the log, and says mail: outbox on /readyz", async () => {
    const { logger, lines } = capturedLogger();
    const server = await startTestServer({ env: { NODE_ENV: "production" }, overrides: { logger } });
    try {
      const warning = lines().find((l) => /production without SMTP_URL/.test(String(l.msg)));
      expect(warning).toMatchObject({ level: 40 });
      const res = await server.client().get("/readyz");
      // Still ready: a self-hoster may be trying it out; the state says why no mail arrives.
      expect(res).toMatchObject({
        status: 200,
        body: { status: "ready", checks: { database: "ok", mail: "outbox" } },
      });
    } finally {
      await server.close();
    }
  });
});

describe("/readyz in cluster mode", () => {
  it("is not ready while Redis is unreachable, and says only that", async () => {
    const { logger, lines } = capturedLogger();
    const server = await startTestServer({
      env: { REDIS_URL: "redis://127.0.0.1:1" },
      overrides: { logger },
    });
    try {
      const res = await server.client().get("/readyz");
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: "not_ready", checks: { database: "ok", redis: "unreachable" } });
      // The reason goes to the log, not to whoever asked.
      expect(lines().some((l) => l.msg === "readiness check failed" && l.check === "redis")).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("is ready with the real Redis", async () => {
    const server = await startTestServer({
      env: { REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379" },
    });
    try {
      const res = await server.client().get("/readyz");
      expect(res.body).toMatchObject({ status: "ready", checks: { database: "ok", redis: "ok" } });
    } finally {
      await server.close();
    }
  });
});
