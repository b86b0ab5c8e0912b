import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { startTestServer, type TestServer } from "../test/harness.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

describe("rate limits in cluster mode", () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    const env = { REDIS_URL, AUTH_RATE_LIMIT: "4", AUTH_RATE_WINDOW_SECONDS: "60" };
    a = await startTestServer({ env });
    b = await startTestServer({ env, database: a.database });
  });
  afterAll(async () => {
    await b.stop();
    await a.close();
  });

  it("count attempts on every node together through Redis", async () => {
    const email = `${randomUUID()}@example.it`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const node = i % 2 === 0 ? a : b;
      statuses.push(
        (await node.client().post("/api/auth/sign-in", { email, password: "guess guess" })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });
});
