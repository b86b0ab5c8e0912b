import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { eq, oneTimeTokens, authSessions, users } from "@convivio/db";
import { lastMailTo, startTestServer, type TestServer } from "../test/harness.js";

const PASSWORD = "correct horse battery";
let counter = 0;
const email = () => `person${++counter}-${Date.now()}@example.it`;

describe.each(testDatabases())("accounts on $driver", ({ open }) => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await open();
    server = await startTestServer({ database, env: { AUTH_RATE_LIMIT: "1000" } });
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it("signs up, signs out and signs in again with the same password", async () => {
    const client = server.client();
    const address = email();
    const signUp = await client.post("/api/auth/sign-up", {
      name: "Anna Bianchi",
      email: address,
      password: PASSWORD,
    });
    expect(signUp.status).toBe(201);
    expect(signUp.headers.get("set-cookie")).toMatch(/convivio_session=.*HttpOnly.*SameSite=Lax/i);
    // Not Secure outside production: a plain http://localhost must keep its session.
    expect(signUp.headers.get("set-cookie")).not.toMatch(/;\s*Secure/i);
    expect((await client.get("/api/me")).status).toBe(200);

    expect((await client.post("/api/auth/sign-out")).status).toBe(204);
    expect((await client.get("/api/me")).status).toBe(401);

    const signIn = await client.post("/api/auth/sign-in", {
      email: address.toUpperCase(),
      password: PASSWORD,
    });
    expect(signIn.status).toBe(200);
    expect((signIn.body as { user: { email: string } }).user.email).toBe(address);
  });

  it("stores a password only as an argon2id hash", async () => {
    const address = email();
    await server.client().post("/api/auth/sign-up", { name: "Hash", email: address, password: PASSWORD });
    const [row] = await database.db.select().from(users).where(eq(users.email, address));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain(PASSWORD);
  });

  it("refuses a wrong password, an unknown email and a second account for one email", async () => {
    const client = server.client();
    const address = email();
    await client.post("/api/auth/sign-up", { name: "Bruno", email: address, password: PASSWORD });
    const wrong = await server
      .client()
      .post("/api/auth/sign-in", { email: address, password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: "invalid_credentials" });
    const unknown = await server.client().post("/api/auth/sign-in", { email: email(), password: PASSWORD });
    expect(unknown.body).toMatchObject({ status: 401, code: "invalid_credentials" });
    const twice = await server
      .client()
      .post("/api/auth/sign-up", { name: "B2", email: address, password: PASSWORD });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: "email_taken" });
  });

  it("refuses passwords shorter than 12 characters", async () => {
    const res = await server
      .client()
      .post("/api/auth/sign-up", { name: "C", email: email(), password: "elevenchars" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "validation_failed", issues: [{ path: "password" }] });
  });

  it("signs an attendee in with a magic link exactly once", async () => {
    const address = email();
    const requester = server.client();
    const asked = await requester.post("/api/auth/magic-link", {
      email: address,
      name: "Dario",
      next: "/e/demo",
    });
    expect(asked.status).toBe(202);
    const { token, link } = await lastMailTo(requester, address);
    expect(link).toContain("/auth/magic?token=");
    expect(token).toHaveLength(43);

    const [stored] = await database.db
      .select()
      .from(oneTimeTokens)
      .innerJoin(users, eq(users.id, oneTimeTokens.userId))
      .where(eq(users.email, address));
    expect(stored!.one_time_tokens.tokenHash).not.toBe(token);

    const browser = server.client();
    const consumed = await browser.post("/api/auth/magic-link/consume", { token });
    expect(consumed.status).toBe(200);
    expect(consumed.body).toMatchObject({
      next: "/e/demo",
      user: { email: address, name: "Dario", hasPassword: false },
    });
    const created = (consumed.body as { user: { createdAt: string } }).user.createdAt;
    expect(new Date(created).toISOString()).toBe(created);
    // Signing in with the link proves the address (one statement claims, verifies and opens).
    const [verified] = await database.db.select().from(users).where(eq(users.email, address));
    expect(verified!.emailVerifiedAt).toBeInstanceOf(Date);
    expect((await browser.get("/api/me")).status).toBe(200);

    const again = await server.client().post("/api/auth/magic-link/consume", { token });
    expect(again.status).toBe(410);
    expect(again.body).toMatchObject({ code: "token_used" });
  });

  it("lets only one of many simultaneous uses of a magic link through", async () => {
    const address = email();
    await server.client().post("/api/auth/magic-link", { email: address });
    const { token } = await lastMailTo(server.client(), address);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => server.client().post("/api/auth/magic-link/consume", { token })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 410)).toHaveLength(11);
  });

  it("refuses an expired magic link and a made-up one", async () => {
    const address = email();
    await server.client().post("/api/auth/magic-link", { email: address });
    const { token } = await lastMailTo(server.client(), address);
    server.clock.advance(31 * 60_000);
    try {
      const expired = await server.client().post("/api/auth/magic-link/consume", { token });
      expect(expired.status).toBe(410);
      expect(expired.body).toMatchObject({ code: "token_expired" });
    } finally {
      server.clock.advance(-31 * 60_000);
    }
    const madeUp = await server.client().post("/api/auth/magic-link/consume", { token: "A".repeat(43) });
    expect(madeUp.status).toBe(400);
    expect(madeUp.body).toMatchObject({ code: "token_invalid" });
  });

  it("answers a magic-link or reset request the same for known and unknown addresses", async () => {
    const known = email();
    await server.client().post("/api/auth/sign-up", { name: "Nora", email: known, password: PASSWORD });
    const unknown = email();
    const outbox = async (to: string) =>
      (
        (await server.client().get("/api/dev/outbox")).body as { messages: { to: string; subject: string }[] }
      ).messages
        .filter((m) => m.to === to)
        .map((m) => m.subject)
        .sort();
    // The reset first: asking for a magic link makes an account of an unknown address.
    for (const path of ["/api/auth/password-reset", "/api/auth/magic-link"]) {
      const forKnown = await server.client().post(path, { email: known, locale: "en" });
      const forUnknown = await server.client().post(path, { email: unknown, locale: "en" });
      expect(forKnown.status, path).toBe(202);
      expect(forUnknown.status, path).toBe(forKnown.status);
      expect(forUnknown.text, path).toBe(forKnown.text);
      expect(forUnknown.headers.get("content-type"), path).toBe(forKnown.headers.get("content-type"));
      expect(forUnknown.headers.get("set-cookie"), path).toBeNull();
    }
    // The known account gets both links. An unknown address gets no reset link; it does get the
    // sign-in link, by design: attendees need no account, a magic link is how one starts.
    expect(await outbox(known)).toEqual(["Reset your Convivio password", "Your Convivio sign-in link"]);
    expect(await outbox(unknown)).toEqual(["Your Convivio sign-in link"]);
  });

  it("revokes every session on sign-out-everywhere", async () => {
    const address = email();
    const laptop = server.client();
    await laptop.post("/api/auth/sign-up", { name: "Elena", email: address, password: PASSWORD });
    const phone = server.client();
    await phone.post("/api/auth/sign-in", { email: address, password: PASSWORD });
    expect((await phone.get("/api/me")).status).toBe(200);

    expect((await laptop.post("/api/auth/sign-out-everywhere")).status).toBe(204);
    const revoked = await phone.get("/api/me");
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ code: "unauthenticated" });
    const [user] = await database.db.select().from(users).where(eq(users.email, address));
    const sessions = await database.db.select().from(authSessions).where(eq(authSessions.userId, user!.id));
    expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);
  });

  it("refuses a session past its expiry", async () => {
    const client = server.client();
    await client.post("/api/auth/sign-up", { name: "Fabio", email: email(), password: PASSWORD });
    server.clock.advance(31 * 86_400_000);
    try {
      expect((await client.get("/api/me")).status).toBe(401);
    } finally {
      server.clock.advance(-31 * 86_400_000);
    }
  });

  it("resets a password by email, ending the old sessions", async () => {
    const address = email();
    const old = server.client();
    await old.post("/api/auth/sign-up", { name: "Gina", email: address, password: PASSWORD, locale: "en" });
    await server.client().post("/api/auth/password-reset", { email: address });
    const { token, message } = await lastMailTo(server.client(), address);
    expect(message.subject).toBe("Reset your Convivio password");

    const fresh = server.client();
    const confirmed = await fresh.post("/api/auth/password-reset/confirm", {
      token,
      password: "a brand new passphrase",
    });
    expect(confirmed.status).toBe(200);
    expect((await fresh.get("/api/me")).status).toBe(200);
    expect((await old.get("/api/me")).status).toBe(401);
    expect(
      (await server.client().post("/api/auth/sign-in", { email: address, password: PASSWORD })).status,
    ).toBe(401);
    const signIn = await server
      .client()
      .post("/api/auth/sign-in", { email: address, password: "a brand new passphrase" });
    expect(signIn.status).toBe(200);
  });

  it("lets an attendee who came by magic link set a password, and asks for the current one to change it", async () => {
    const address = email();
    await server.client().post("/api/auth/magic-link", { email: address });
    const { token } = await lastMailTo(server.client(), address);
    const attendee = server.client();
    await attendee.post("/api/auth/magic-link/consume", { token });
    expect((await attendee.post("/api/me/password", { password: PASSWORD })).status).toBe(204);
    const change = await attendee.post("/api/me/password", { password: "another long passphrase" });
    expect(change.status).toBe(401);
    const changed = await attendee.post("/api/me/password", {
      password: "another long passphrase",
      currentPassword: PASSWORD,
    });
    expect(changed.status).toBe(204);
    const signIn = await server
      .client()
      .post("/api/auth/sign-in", { email: address, password: "another long passphrase" });
    expect(signIn.status).toBe(200);
  });

  it("updates name and language", async () => {
    const client = server.client();
    await client.post("/api/auth/sign-up", { name: "Ivo", email: email(), password: PASSWORD });
    const res = await client.patch("/api/me", { name: "Ivo Neri", locale: "en" });
    expect(res.body).toMatchObject({ user: { name: "Ivo Neri", locale: "en" } });
  });
});

describe.each<{ name: string; env: Record<string, string> }>([
  { name: "NODE_ENV=production", env: { NODE_ENV: "production" } },
  { name: "SECURE_COOKIES=true", env: { SECURE_COOKIES: "true" } },
])("the session cookie with $name", ({ env }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { AUTH_RATE_LIMIT: "1000", ...env } });
  });
  afterAll(() => server.close());

  const sessionCookie = (res: { headers: Headers }) =>
    res.headers.getSetCookie().find((line) => line.startsWith("convivio_session="));

  it("is Secure, HttpOnly and SameSite=Lax when set, and Secure when cleared", async () => {
    const client = server.client();
    const signUp = await client.post("/api/auth/sign-up", {
      name: "Sicura",
      email: email(),
      password: PASSWORD,
    });
    expect(signUp.status).toBe(201);
    const set = sessionCookie(signUp);
    expect(set).toBeDefined();
    const attributes = set!.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
    const signOut = await client.post("/api/auth/sign-out");
    expect(signOut.status).toBe(204);
    const cleared = sessionCookie(signOut);
    expect(cleared).toMatch(/^convivio_session=;/);
    expect(cleared!.split(";").map((a) => a.trim().toLowerCase())).toContain("secure");
  });
});

describe("rate limits", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { AUTH_RATE_LIMIT: "3", AUTH_RATE_WINDOW_SECONDS: "60" } });
  });
  afterAll(() => server.close());

  it("stops repeated sign-in attempts with 429 rate_limited", async () => {
    const attempts = [];
    for (let i = 0; i < 4; i++) {
      attempts.push(
        await server
          .client()
          .post("/api/auth/sign-in", { email: "target@example.it", password: "guess " + i }),
      );
    }
    expect(attempts.slice(0, 3).map((r) => r.status)).toEqual([401, 401, 401]);
    expect(attempts[3]!.status).toBe(429);
    expect(attempts[3]!.headers.get("content-type")).toContain("application/problem+json");
    expect(attempts[3]!.body).toMatchObject({ code: "rate_limited" });
  });

  it("stops magic-link floods to one address", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await server.client().post("/api/auth/magic-link", { email: "flood@example.it" })).status,
      );
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});
