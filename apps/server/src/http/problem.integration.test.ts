import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventMembers, events, users, eq } from "@convivio/db";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";

const PASSWORD = "correct horse battery";

function expectProblem(
  res: { status: number; headers: Headers; body: unknown },
  status: number,
  code: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({
    status,
    code,
    type: expect.stringContaining(code),
    title: expect.any(String),
  });
}

describe("errors are problem+json with a stable code", () => {
  let server: TestServer;
  let organizer: TestClient;
  let outsider: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    organizer = server.client();
    outsider = server.client();
    await organizer.post("/api/auth/sign-up", { name: "Org", email: "org@example.it", password: PASSWORD });
    await outsider.post("/api/auth/sign-up", { name: "Out", email: "out@example.it", password: PASSWORD });
    const db = server.database.db;
    const [org] = await db.select().from(users).where(eq(users.email, "org@example.it"));
    const [draft] = await db
      .insert(events)
      .values({
        slug: "bozza-segreta",
        title: "Draft",
        timeZone: "Europe/Rome",
        startsAt: new Date("2027-01-10T09:00:00Z"),
        endsAt: new Date("2027-01-10T17:00:00Z"),
        visibility: "draft",
      })
      .returning();
    const [open] = await db
      .insert(events)
      .values({
        slug: "evento-pubblico",
        title: "Public",
        timeZone: "Europe/Rome",
        startsAt: new Date("2027-01-10T09:00:00Z"),
        endsAt: new Date("2027-01-10T17:00:00Z"),
        visibility: "public",
      })
      .returning();
    await db.insert(eventMembers).values([
      { eventId: draft!.id, userId: org!.id, role: "organizer" },
      { eventId: open!.id, userId: org!.id, role: "organizer" },
    ]);
  });
  afterAll(() => server.close());

  it("400 for a body that fails its schema, listing the fields", async () => {
    const res = await server
      .client()
      .post("/api/auth/sign-up", { name: "", email: "not-an-email", password: 3 });
    expectProblem(res, 400, "validation_failed");
    const paths = (res.body as { issues: { path: string }[] }).issues.map((i) => i.path).sort();
    expect(paths).toEqual(["email", "name", "password"]);
  });

  it("400 for unknown fields and for JSON that does not parse", async () => {
    const extra = await server
      .client()
      .post("/api/auth/sign-in", { email: "a@b.it", password: "x", admin: true });
    expectProblem(extra, 400, "validation_failed");
    const broken = await server.client().request("POST", "/api/auth/sign-in", "{not json", {
      "content-type": "application/json",
    });
    expectProblem(broken, 400, "bad_request");
  });

  it("415 for a body that is not JSON, 413 for one too large", async () => {
    const form = await server.client().request("POST", "/api/auth/sign-in", "email=a@b.it", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expectProblem(form, 415, "unsupported_media_type");
    const huge = await server
      .client()
      .post("/api/auth/sign-up", { name: "x".repeat(600_000), email: "a@b.it", password: PASSWORD });
    expectProblem(huge, 413, "payload_too_large");
  });

  it("401 without a session", async () => {
    expectProblem(await server.client().get("/api/me"), 401, "unauthenticated");
  });

  it("403 when the role does not allow it", async () => {
    expectProblem(await outsider.get("/api/events/evento-pubblico/team"), 403, "forbidden");
    const team = await organizer.get("/api/events/evento-pubblico/team");
    expect(team.status).toBe(200);
    expect(team.body).toMatchObject({ members: [{ name: "Org", roles: ["organizer"] }] });
  });

  it("404 for unknown routes, and for drafts seen from outside their team", async () => {
    const route = await server.client().get("/api/does-not-exist");
    expectProblem(route, 404, "not_found");
    expectProblem(await outsider.get("/api/events/bozza-segreta"), 404, "not_found");
    expectProblem(await server.client().get("/api/events/bozza-segreta"), 404, "not_found");
    expect((await organizer.get("/api/events/bozza-segreta")).status).toBe(200);
    const mine = await organizer.get("/api/me/events");
    expect((mine.body as { events: { slug: string }[] }).events.map((e) => e.slug).sort()).toEqual([
      "bozza-segreta",
      "evento-pubblico",
    ]);
  });

  it("carries the request id, taking a sane one from the client", async () => {
    const res = await server
      .client()
      .request("GET", "/api/nowhere", undefined, { "x-request-id": "trace-123" });
    expect(res.headers.get("x-request-id")).toBe("trace-123");
    expect(res.body).toMatchObject({ requestId: "trace-123" });
  });

  it("sets security headers with a same-origin CSP", async () => {
    const res = await server.client().get("/healthz");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("a 500", () => {
  it("says something went wrong and leaks no internals", async () => {
    const server = await startTestServer();
    const client = server.client();
    await client.post("/api/auth/sign-up", { name: "Zed", email: "zed@example.it", password: PASSWORD });
    // Break the database under the running server: every query now fails inside a handler.
    await server.database.close();
    const res = await client.get("/api/me/events");
    expectProblem(res, 500, "internal_error");
    expect(res.text).not.toMatch(/pglite|closed|stack|at |Error:/i);
    expect(Object.keys(res.body as object).sort()).toEqual([
      "code",
      "instance",
      "requestId",
      "status",
      "title",
      "type",
    ]);
    await server.stop();
  });
});
