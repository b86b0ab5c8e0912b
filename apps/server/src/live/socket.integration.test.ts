import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { PROTOCOL_VERSION, type Welcome } from "@convivio/protocol";
import { startTestServer, type TestServer } from "../test/harness.js";

function open(
  server: TestServer,
  options: { cookie?: string; version?: number; origin?: string; transports?: string[] },
) {
  return connect(server.url, {
    transports: (options.transports ?? ["websocket"]) as ("websocket" | "polling")[],
    reconnection: false,
    auth: { protocolVersion: options.version ?? PROTOCOL_VERSION },
    extraHeaders: {
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.origin ? { origin: options.origin } : {}),
    },
  });
}

function outcome(
  socket: Socket,
): Promise<{ welcome?: Welcome; error?: { message: string; data?: { code: string } } }> {
  return new Promise((resolve) => {
    socket.on("welcome", (welcome: Welcome) => resolve({ welcome }));
    socket.on("connect_error", (error: Error & { data?: { code: string } }) =>
      resolve({ error: { message: error.message, ...(error.data ? { data: error.data } : {}) } }),
    );
  });
}

describe("the live socket handshake", () => {
  let server: TestServer;
  let cookie: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const client = server.client();
    await client.post("/api/auth/sign-up", {
      name: "Live",
      email: "live@example.it",
      password: "correct horse battery",
    });
    cookie = client.cookie!;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server.close();
  });

  it("welcomes a signed-in client with the protocol version", async () => {
    const socket = open(server, { cookie });
    sockets.push(socket);
    const { welcome } = await outcome(socket);
    expect(welcome).toMatchObject({ protocolVersion: PROTOCOL_VERSION, user: { name: "Live" } });
    const pong = await socket.emitWithAck("ping");
    expect(pong).toMatchObject({ ok: true });
  });

  it("refuses a client without a session", async () => {
    const socket = open(server, {});
    sockets.push(socket);
    expect(await outcome(socket)).toMatchObject({ error: { data: { code: "unauthenticated" } } });
  });

  it("refuses a client speaking another protocol version", async () => {
    const socket = open(server, { cookie, version: PROTOCOL_VERSION + 1 });
    sockets.push(socket);
    expect(await outcome(socket)).toMatchObject({ error: { data: { code: "version_mismatch" } } });
  });

  it("refuses a page on another origin, even with the cookie", async () => {
    const socket = open(server, { cookie, origin: "https://evil.example" });
    sockets.push(socket);
    const { error } = await outcome(socket);
    expect(error).toBeDefined();
  });

  it("offers no long-polling transport", async () => {
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { cookie } });
    expect(res.status).toBe(400);
  });
});

describe("draining a node", () => {
  it("tells each live client when to reconnect, spread over a few seconds, then closes", async () => {
    const server = await startTestServer();
    const client = server.client();
    await client.post("/api/auth/sign-up", {
      name: "Drain",
      email: "drain@example.it",
      password: "correct horse battery",
    });
    const sockets = Array.from({ length: 5 }, () => open(server, { cookie: client.cookie! }));
    await Promise.all(sockets.map((s) => outcome(s)));
    const told = sockets.map(
      (s) =>
        new Promise<{ afterMs: number; closed: boolean }>((resolve) => {
          s.on("reconnect", (payload: { afterMs: number }) => {
            s.on("disconnect", () => resolve({ afterMs: payload.afterMs, closed: true }));
          });
        }),
    );
    await server.close();
    const results = await Promise.all(told);
    for (const r of results) {
      expect(r.closed).toBe(true);
      expect(r.afterMs).toBeGreaterThanOrEqual(0);
      expect(r.afterMs).toBeLessThan(5_000);
    }
    expect(new Set(results.map((r) => r.afterMs)).size).toBeGreaterThan(1);
  });
});
