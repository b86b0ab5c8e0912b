// TRUST_PROXY=1, as infra/compose.yaml and infra/k8s set it behind Caddy or an Ingress: the one proxy
// in front (here the test client itself, connecting from loopback) is trusted and the address it
// appends to X-Forwarded-For is the client's, so each client has its own rate-limit bucket. Read as
// the address 0.0.0.1 (Express's reading of the string "1"), every client would share the proxy's
// address and one client's limit would shut out the whole site.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./test/harness.js";

const MAIL_LIMIT = 2;

describe("behind one proxy (TRUST_PROXY=1)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        TRUST_PROXY: "1",
        AUTH_RATE_LIMIT: "100",
        AUTH_MAIL_RATE_LIMIT: String(MAIL_LIMIT),
        AUTH_RATE_WINDOW_SECONDS: "600",
      },
    });
  });
  afterAll(() => server?.close());

  /** A sign-in link asked for through the proxy, which forwards `forwardedFor` as X-Forwarded-For. */
  const askLink = async (forwardedFor: string) =>
    (
      await server
        .client()
        .request(
          "POST",
          "/api/auth/magic-link",
          { email: `${randomUUID()}@example.it` },
          { "x-forwarded-for": forwardedFor },
        )
    ).status;

  it("gives each client address its own bucket, and a client cannot choose its address", async () => {
    const first = "198.51.100.7";
    const statuses = [];
    for (let i = 0; i <= MAIL_LIMIT; i++) statuses.push(await askLink(first));
    expect(statuses).toEqual([202, 202, 429]);

    // Another client behind the same proxy is not held back by the first one's limit.
    expect(await askLink("198.51.100.8")).toBe(202);

    // Only the proxy's own entry counts: an address the client wrote in front of it is not trusted.
    expect(await askLink(`203.0.113.${1 + (Date.now() % 200)}, ${first}`)).toBe(429);
  });
});
