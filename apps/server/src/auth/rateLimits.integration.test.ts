import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomInt, randomUUID } from "node:crypto";
import { startTestServer, type TestServer } from "../test/harness.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PASSWORD = "correct horse battery";

// Every test client connects from 127.0.0.1; TRUST_PROXY=loopback (the default) lets a test speak
// for other client addresses with X-Forwarded-For, as a load balancer on this machine would.
// Random IPv6 /56 prefixes (the limiter's unit for IPv6) keep runs apart in the shared Redis,
// whose counters outlive a run.
const randomPrefix = () => `2001:db8:${randomInt(0x10000).toString(16)}:${randomInt(0x100).toString(16)}00`;
const from = (address: string) => ({ "x-forwarded-for": address });
const email = () => `${randomUUID()}@example.it`;

async function post(server: TestServer, path: string, body: unknown, address: string) {
  return (await server.client().request("POST", path, body, from(address))).status;
}

async function outboxRecipients(server: TestServer): Promise<string[]> {
  const res = await server.client().get("/api/dev/outbox");
  return (res.body as { messages: { to: string }[] }).messages.map((m) => m.to);
}

describe("rate limits in memory (one node)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        AUTH_RATE_LIMIT: "3",
        AUTH_MAIL_RATE_LIMIT: "4",
        AUTH_ACCOUNT_RATE_LIMIT: "4",
        AUTH_RATE_WINDOW_SECONDS: "60",
      },
    });
  });
  afterAll(() => server.close());

  it("one address sends a bounded number of emails, whatever the recipients", async () => {
    const address = `${randomPrefix()}::1`;
    const recipients = [email(), email(), email(), email(), email()];
    const statuses = [
      await post(server, "/api/auth/magic-link", { email: recipients[0] }, address),
      await post(server, "/api/auth/magic-link", { email: recipients[1] }, address),
      await post(server, "/api/auth/password-reset", { email: recipients[2] }, address),
      await post(
        server,
        "/api/auth/sign-up",
        { name: "Nuova", email: recipients[3], password: PASSWORD },
        address,
      ),
      await post(server, "/api/auth/magic-link", { email: recipients[4] }, address),
      await post(server, "/api/auth/password-reset", { email: recipients[0] }, address),
    ];
    expect(statuses).toEqual([202, 202, 202, 201, 429, 429]);
    const sent = await outboxRecipients(server);
    expect(sent).toContain(recipients[1]);
    expect(sent).not.toContain(recipients[4]);
    // The budget is the address's: another one still gets its link.
    expect(await post(server, "/api/auth/magic-link", { email: recipients[4] }, `${randomPrefix()}::1`)).toBe(
      202,
    );
    expect(await outboxRecipients(server)).toContain(recipients[4]);
  });

  it("one account takes a bounded number of failed sign-ins, whatever the addresses", async () => {
    const target = email();
    await server.client().post("/api/auth/sign-up", { name: "Bersaglio", email: target, password: PASSWORD });
    // Successful sign-ins do not use up the account's budget.
    for (let i = 0; i < 5; i++) {
      expect(
        await post(
          server,
          "/api/auth/sign-in",
          { email: target, password: PASSWORD },
          `${randomPrefix()}::1`,
        ),
      ).toBe(200);
    }
    const guesses = [];
    for (let i = 0; i < 6; i++) {
      guesses.push(
        await post(
          server,
          "/api/auth/sign-in",
          { email: target, password: `guess ${i}` },
          `${randomPrefix()}::1`,
        ),
      );
    }
    expect(guesses).toEqual([401, 401, 401, 401, 429, 429]);
    // Locked for guessing even with the right password, from a fresh address...
    expect(
      await post(server, "/api/auth/sign-in", { email: target, password: PASSWORD }, `${randomPrefix()}::1`),
    ).toBe(429);
    // ...but only this account: the same addresses may still try another.
    expect(
      await post(server, "/api/auth/sign-in", { email: email(), password: "guess" }, `${randomPrefix()}::1`),
    ).toBe(401);
  });
});

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

  it("count one address's emails on every node together (3 × AUTH_RATE_LIMIT by default)", async () => {
    const address = `${randomPrefix()}::1`;
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      statuses.push(await post(i % 2 === 0 ? a : b, "/api/auth/magic-link", { email: email() }, address));
    }
    expect(statuses).toEqual([...Array<number>(12).fill(202), 429, 429]);
  });

  it("count one account's failed sign-ins from many addresses on every node together", async () => {
    const target = email();
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      statuses.push(
        await post(
          i % 2 === 0 ? a : b,
          "/api/auth/sign-in",
          { email: target, password: `guess ${i}` },
          `${randomPrefix()}::1`,
        ),
      );
    }
    expect(statuses).toEqual([...Array<number>(12).fill(401), 429, 429]);
  });
});
