// Starts a real server (HTTP + socket.io) on a free port for integration tests, with a movable
// clock and a throwaway database, and gives a small cookie-keeping HTTP client.
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { createDb, type Database } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { EnvSchema, type Env } from "../env.js";
import { startRuntime, type Runtime, type RuntimeOverrides } from "../runtime.js";
import type { Clock } from "../auth/clock.js";

export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface TestServer extends Runtime {
  clock: TestClock;
  client(): TestClient;
  close(): Promise<void>;
}

export function testEnv(overrides: Record<string, string> = {}): Env {
  return EnvSchema.parse({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    // Every test client comes from 127.0.0.1; the concurrency tests register hundreds at once.
    REGISTRATION_RATE_LIMIT: "100000",
    ...overrides,
  });
}

export async function startTestServer(
  options: { env?: Record<string, string>; database?: Database; overrides?: RuntimeOverrides } = {},
): Promise<TestServer> {
  const owned: TestDatabase | undefined = options.database ? undefined : await testDatabases()[0]!.open();
  const database = options.database ?? owned!;
  const clock = new TestClock();
  const runtime = await startRuntime(testEnv(options.env), {
    database,
    clock,
    logger: pino({ level: "silent" }),
    // Test files share one Redis: each server keeps its jobs and fan-out to itself unless the test
    // gives its nodes one prefix to share.
    redisPrefix: `convivio-test-${randomUUID()}`,
    ...options.overrides,
  });
  return {
    ...runtime,
    clock,
    client: () => new TestClient(runtime.url),
    async close() {
      await runtime.stop();
      if (owned) await owned.close();
    },
  };
}

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Two servers on one PostgreSQL database and one Redis, as two processes would be. */
export interface TwoNodes {
  nodes: [TestServer, TestServer];
  /** The database (the first node's pool); the second node has a pool of its own. */
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * Starts two nodes sharing a PostgreSQL test database (each with its own connection pool) and one
 * Redis prefix, so the socket.io adapter, the jobs and the rate limits are shared between them.
 */
export async function startTwoNodes(
  options: { env?: Record<string, string>; poolSize?: number } = {},
): Promise<TwoNodes> {
  const database = await testDatabases()
    .find((factory) => factory.driver === "postgres")!
    .open();
  const secondPool = await createDb({ url: database.url!, poolSize: options.poolSize ?? 5 });
  const shared = {
    env: { REDIS_URL: TEST_REDIS_URL, ...options.env },
    overrides: { redisPrefix: `convivio-test-${randomUUID()}` },
  };
  const nodes: [TestServer, TestServer] = [
    await startTestServer({ ...shared, database }),
    await startTestServer({ ...shared, database: secondPool }),
  ];
  return {
    nodes,
    database,
    async close() {
      for (const node of nodes) await node.close();
      await secondPool.close();
      await database.close();
    },
  };
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** A fetch wrapper that keeps the session cookie like a browser would. */
export class TestClient {
  cookie: string | undefined;
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    };
    const res = await fetch(`${this.baseUrl}${path}`, init);
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      if (!pair?.startsWith("convivio_session=")) continue;
      const value = pair.slice("convivio_session=".length);
      this.cookie = value ? pair : undefined;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: res.status, headers: res.headers, body: parsed, text } satisfies TestResponse;
  }

  get(path: string) {
    return this.request("GET", path);
  }
  post(path: string, body?: unknown) {
    return this.request("POST", path, body);
  }
  patch(path: string, body?: unknown) {
    return this.request("PATCH", path, body);
  }
  put(path: string, body?: unknown) {
    return this.request("PUT", path, body);
  }
  delete(path: string) {
    return this.request("DELETE", path);
  }
}

/** The newest outbox message to `to`, and the first link in it. */
export async function lastMailTo(client: TestClient, to: string) {
  const res = await client.get("/api/dev/outbox");
  const messages = (res.body as { messages: { to: string; subject: string; text: string }[] }).messages;
  const message = messages.find((m) => m.to === to);
  if (!message) throw new Error(`no mail to ${to}`);
  const link = /https?:\/\/\S+/.exec(message.text)?.[0];
  const token = link ? new URL(link).searchParams.get("token") : null;
  return { message, link, token };
}
