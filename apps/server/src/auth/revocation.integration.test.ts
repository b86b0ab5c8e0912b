// Live sockets check the session only at their handshake, so revoking a session must also close
// the sockets opened with it: sign-out closes that session's, sign-out-everywhere and a password
// reset close all of the person's, a password change all but the current session's. On two nodes
// the close travels through the Redis adapter.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { PROTOCOL_VERSION } from "@convivio/protocol";
import { lastMailTo, startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import { eventually } from "../test/boards.js";

const PASSWORD = "correct horse battery";
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const QUIET_MS = 300;

interface LiveSocket {
  socket: Socket;
  /** Resolves with the disconnect reason. */
  closed: Promise<string>;
  isClosed(): boolean;
}

async function openSocket(url: string, cookie: string): Promise<LiveSocket> {
  const socket = connect(url, {
    transports: ["websocket"],
    reconnection: false,
    auth: { protocolVersion: PROTOCOL_VERSION },
    extraHeaders: { cookie },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("welcome", () => resolve());
    socket.once("connect_error", reject);
  });
  let done = false;
  const closed = new Promise<string>((resolve) =>
    socket.once("disconnect", (reason) => {
      done = true;
      resolve(reason);
    }),
  );
  return { socket, closed, isClosed: () => done };
}

/** Whether a socket that should stay open is still answering after the others were closed. */
async function stillOpen(live: LiveSocket): Promise<boolean> {
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  if (live.isClosed()) return false;
  const pong = (await live.socket.timeout(2_000).emitWithAck("ping")) as { ok: boolean };
  return pong.ok && !live.isClosed();
}

const email = () => `revoke-${randomUUID()}@example.it`;

async function signedIn(server: TestServer, address: string): Promise<TestClient> {
  const client = server.client();
  const res = await client.post("/api/auth/sign-in", { email: address, password: PASSWORD });
  expect(res.status).toBe(200);
  return client;
}

describe("revoking sessions closes their live sockets (one node)", () => {
  let server: TestServer;
  const sockets: LiveSocket[] = [];
  const open = async (client: TestClient, url = server.url) => {
    const live = await openSocket(url, client.cookie!);
    sockets.push(live);
    return live;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { AUTH_RATE_LIMIT: "1000" } });
  });
  afterAll(async () => {
    for (const live of sockets) live.socket.close();
    await server.close();
  });

  async function person() {
    const address = email();
    const laptop = server.client();
    await laptop.post("/api/auth/sign-up", { name: "Revocata", email: address, password: PASSWORD });
    const phone = await signedIn(server, address);
    return { address, laptop, phone };
  }

  it("sign-out closes that session's sockets and leaves the other session's open", async () => {
    const { laptop, phone } = await person();
    const laptopTabs = [await open(laptop), await open(laptop)];
    const phoneTab = await open(phone);

    expect((await laptop.post("/api/auth/sign-out")).status).toBe(204);
    expect(await Promise.all(laptopTabs.map((tab) => tab.closed))).toEqual([
      "io server disconnect",
      "io server disconnect",
    ]);
    expect(await stillOpen(phoneTab)).toBe(true);
  });

  it("sign-out-everywhere closes every socket of the person, and no one else's", async () => {
    const { laptop, phone } = await person();
    const someoneElse = await person();
    const tabs = [await open(laptop), await open(phone)];
    const otherTab = await open(someoneElse.laptop);

    expect((await laptop.post("/api/auth/sign-out-everywhere")).status).toBe(204);
    expect(await Promise.all(tabs.map((tab) => tab.closed))).toEqual([
      "io server disconnect",
      "io server disconnect",
    ]);
    expect(await stillOpen(otherTab)).toBe(true);
    // And the closed ones cannot come back with the old cookie.
    await expect(openSocket(server.url, phone.cookie!)).rejects.toMatchObject({
      data: { code: "unauthenticated" },
    });
  });

  it("a password change ends the other sessions and their sockets, and keeps the current one", async () => {
    const { laptop, phone } = await person();
    const laptopTab = await open(laptop);
    const phoneTab = await open(phone);

    const changed = await laptop.post("/api/me/password", {
      password: "a brand new passphrase",
      currentPassword: PASSWORD,
    });
    expect(changed.status).toBe(204);
    expect(await phoneTab.closed).toBe("io server disconnect");
    expect((await phone.get("/api/me")).status).toBe(401);
    expect((await laptop.get("/api/me")).status).toBe(200);
    expect(await stillOpen(laptopTab)).toBe(true);
  });

  it("a first password after sign-in links keeps the person's other devices signed in", async () => {
    const address = email();
    await server.client().post("/api/auth/magic-link", { email: address });
    const phone = server.client();
    await phone.post("/api/auth/magic-link/consume", { token: (await lastMailTo(phone, address)).token });
    await server.client().post("/api/auth/magic-link", { email: address });
    const laptop = server.client();
    await laptop.post("/api/auth/magic-link/consume", { token: (await lastMailTo(laptop, address)).token });
    const phoneTab = await open(phone);

    expect((await laptop.post("/api/me/password", { password: PASSWORD })).status).toBe(204);
    expect(await stillOpen(phoneTab)).toBe(true);
    expect((await phone.get("/api/me")).status).toBe(200);
  });

  it("a password reset closes every socket of the person", async () => {
    const { address, laptop, phone } = await person();
    const tabs = [await open(laptop), await open(phone)];

    await server.client().post("/api/auth/password-reset", { email: address });
    const { token } = await lastMailTo(server.client(), address);
    const fresh = server.client();
    const confirmed = await fresh.post("/api/auth/password-reset/confirm", {
      token,
      password: "a brand new passphrase",
    });
    expect(confirmed.status).toBe(200);
    expect(await Promise.all(tabs.map((tab) => tab.closed))).toEqual([
      "io server disconnect",
      "io server disconnect",
    ]);
    // The session the reset opened works for a new socket.
    expect(await stillOpen(await open(fresh))).toBe(true);
  });
});

describe("revoking sessions closes their live sockets on every node (Redis adapter)", () => {
  let one: TestServer;
  let two: TestServer;
  const sockets: LiveSocket[] = [];

  beforeAll(async () => {
    // Sessions are cached for a minute here, so only the nodes' forget messages explain a refusal.
    const options = {
      env: { REDIS_URL, AUTH_RATE_LIMIT: "1000", SESSION_CACHE_MS: "60000" },
      overrides: { redisPrefix: `convivio-test-${randomUUID()}` },
    };
    one = await startTestServer(options);
    two = await startTestServer({ ...options, database: one.database });
  });
  afterAll(async () => {
    for (const live of sockets) live.socket.close();
    await two.stop();
    await one.close();
  });

  it("sign-out on one node closes the session's socket on the other", async () => {
    const address = email();
    const laptop = one.client();
    await laptop.post("/api/auth/sign-up", { name: "Due Nodi", email: address, password: PASSWORD });
    const phone = await signedIn(one, address);
    const laptopTab = await openSocket(two.url, laptop.cookie!);
    const phoneTab = await openSocket(two.url, phone.cookie!);
    sockets.push(laptopTab, phoneTab);

    expect((await laptop.post("/api/auth/sign-out")).status).toBe(204);
    expect(await laptopTab.closed).toBe("io server disconnect");
    expect(await stillOpen(phoneTab)).toBe(true);
  });

  it("sign-out-everywhere on one node closes the person's sockets on both", async () => {
    const address = email();
    const laptop = one.client();
    await laptop.post("/api/auth/sign-up", { name: "Ovunque", email: address, password: PASSWORD });
    const phone = await signedIn(two, address);
    const tabs = [
      await openSocket(one.url, laptop.cookie!),
      await openSocket(two.url, phone.cookie!),
      await openSocket(two.url, laptop.cookie!),
    ];
    sockets.push(...tabs);

    expect((await phone.post("/api/auth/sign-out-everywhere")).status).toBe(204);
    expect(await Promise.all(tabs.map((tab) => tab.closed))).toEqual([
      "io server disconnect",
      "io server disconnect",
      "io server disconnect",
    ]);
  });

  it("a session ended on one node is refused at once by the other, which had it cached", async () => {
    const address = email();
    const laptop = one.client();
    await laptop.post("/api/auth/sign-up", { name: "In Cache", email: address, password: PASSWORD });
    const elsewhere = two.client();
    elsewhere.cookie = laptop.cookie;
    expect((await elsewhere.get("/api/me")).status).toBe(200);

    // Renamed on one node: the other's cached session carries the new name.
    expect((await laptop.patch("/api/me", { name: "Nuovo Nome" })).status).toBe(200);
    await eventually(async () =>
      expect((await elsewhere.get("/api/me")).body).toMatchObject({ user: { name: "Nuovo Nome" } }),
    );

    const started = Date.now();
    expect((await laptop.post("/api/auth/sign-out")).status).toBe(204);
    await eventually(async () => expect((await elsewhere.get("/api/me")).status).toBe(401));
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
