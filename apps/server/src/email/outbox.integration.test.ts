// The outbox holds working sign-in links: outside production it is served to this machine only.
// The server listens on every interface (the default HOST=0.0.0.0) and is asked through each of
// this machine's non-loopback addresses, as another machine on the network would.
import { networkInterfaces } from "node:os";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test/harness.js";

// IPv4 only: HOST=0.0.0.0 listens on IPv4.
function nonLoopbackAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && !i.internal && i.family === "IPv4")
    .map((i) => i!.address);
}

/** A GET to `host:port` with the Host header an ordinary client would send. */
function get(host: string, port: number, path: string) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = request({ host, port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the development outbox", () => {
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    server = await startTestServer({ env: { HOST: "0.0.0.0", NODE_ENV: "development" } });
    port = Number(new URL(server.url).port);
    await server.client().post("/api/auth/magic-link", { email: "segreto@example.it" });
  });
  afterAll(() => server.close());

  it("is served to this machine, saying who else may read it", async () => {
    const api = await server.client().get("/api/dev/outbox");
    expect(api.status).toBe(200);
    expect(JSON.stringify(api.body)).toContain("segreto@example.it");
    const page = await get("127.0.0.1", port, "/dev/outbox");
    expect(page.status).toBe(200);
    expect(page.body).toContain("segreto@example.it");
    expect(page.body).toContain("only requests from this machine");
  });

  it("answers another machine 404 problem+json, with no link in it", async () => {
    const addresses = nonLoopbackAddresses();
    // The machines we run on have a network interface; without one, the guard's unit test
    // (outboxRoutes.test.ts) is what covers this.
    console.info(`outbox asked through: ${addresses.join(", ") || "(no non-loopback address)"}`);
    for (const address of addresses) {
      for (const path of ["/api/dev/outbox", "/dev/outbox", "/dev/outbox.css"]) {
        const res = await get(address, port, path);
        expect(res.status, `${address}${path}`).toBe(404);
        expect(res.type).toContain("application/problem+json");
        expect(JSON.parse(res.body)).toMatchObject({
          code: "not_found",
          detail: expect.stringContaining("loopback"),
        });
        expect(res.body).not.toContain("segreto");
      }
    }
  });

  it("answers 404 to a loopback request a proxy forwarded", async () => {
    const res = await server.client().request("GET", "/api/dev/outbox", undefined, {
      "x-forwarded-for": "203.0.113.7",
    });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("segreto");
  });
});
