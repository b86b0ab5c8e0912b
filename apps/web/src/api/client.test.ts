import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import type { EventDetail, User } from "@convivio/protocol";
import { ApiError, buildPath, buildQuery, call, fetchFile, type BodyOf, type ResponseOf } from "./client";

const user = {
  id: "0b5c1f8e-3c1a-4c7e-9a61-2f4f1d6b7a10",
  email: "maria.rossi@comune.example.it",
  name: "Maria Rossi",
  locale: "it",
  hasPassword: true,
  createdAt: "2025-05-01T09:00:00.000Z",
};

function respond(status: number, body?: unknown, contentType = "application/json") {
  const fetchMock = vi.fn<typeof fetch>(async () =>
    body === undefined
      ? new Response(null, { status })
      : new Response(JSON.stringify(body), { status, headers: { "Content-Type": contentType } }),
  );
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("call", () => {
  it("sends the body as JSON to the route's method and path, with the session cookie", async () => {
    const fetchMock = respond(200, { user });
    const result = await call("signIn", { body: { email: user.email, password: "correct horse battery" } });

    expect(result.user.name).toBe("Maria Rossi");
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe("/api/auth/sign-in");
    expect(init?.method).toBe("POST");
    expect(init?.credentials).toBe("same-origin");
    expect(new Headers(init?.headers).get("Content-Type")).toBe("application/json");
    expect(JSON.parse(String(init?.body))).toEqual({ email: user.email, password: "correct horse battery" });
  });

  it("fills and encodes path parameters", async () => {
    const fetchMock = respond(404, {
      type: "about:blank",
      title: "Not found",
      status: 404,
      code: "not_found",
    });
    await expect(call("getEvent", { params: { slug: "open-day" } })).rejects.toBeInstanceOf(ApiError);
    expect(fetchMock.mock.calls[0]?.[0]).toBe("/api/events/open-day");
    expect(buildPath("/api/events/{slug}", { slug: "a b/c" })).toBe("/api/events/a%20b%2Fc");
  });

  it("throws the problem's code, status and field issues", async () => {
    respond(
      400,
      {
        type: "https://convivio.dev/problems/validation_failed",
        title: "Validation failed",
        status: 400,
        code: "validation_failed",
        issues: [{ path: "password", message: "Too small" }, { bogus: true }],
        requestId: "req-1",
      },
      "application/problem+json",
    );
    const error = await call("signUp", { body: { name: "A", email: "a@b.it", password: "x" } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "validation_failed",
      issues: [{ path: "password", message: "Too small" }],
      requestId: "req-1",
    });
  });

  it("derives a code from the status when the body is not a problem", async () => {
    respond(429, undefined);
    await expect(call("requestMagicLink", { body: { email: user.email } })).rejects.toMatchObject({
      code: "rate_limited",
      status: 429,
    });
  });

  it("resolves an empty 204 to undefined and sends no body", async () => {
    const fetchMock = respond(204);
    await expect(call("signOut")).resolves.toBeUndefined();
    expect(fetchMock.mock.calls[0]?.[1]?.body).toBeUndefined();
  });

  it("rejects a success body that breaks the contract", async () => {
    respond(200, { user: { ...user, id: 42 } });
    await expect(call("getMe")).rejects.toMatchObject({ code: "unexpected_response" });
  });

  it("reports network failures as network_error", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    await expect(call("getMe")).rejects.toMatchObject({ code: "network_error", status: 0 });
  });

  it("sends the defined query values and extra headers", async () => {
    const fetchMock = respond(200, { registrations: [], total: 0, questions: [] });
    await call("listRegistrations", {
      params: { slug: "open-day" },
      query: { q: "anna rossi", status: "waitlisted", offset: 0 },
      headers: { "x-registration-token": "t" },
    });
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe("/api/events/open-day/registrations?q=anna+rossi&status=waitlisted&offset=0");
    expect(new Headers(init?.headers).get("x-registration-token")).toBe("t");
    expect(buildQuery({ q: "", status: undefined })).toBe("");
  });

  it("downloads a file with the name the server suggests, or throws its problem", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(
        async () =>
          new Response("BEGIN:VCALENDAR", {
            status: 200,
            headers: { "Content-Disposition": 'attachment; filename="open-day.ics"' },
          }),
      ),
    );
    const file = await fetchFile("getRegistrationCalendar", {
      params: { registrationId: "0b5c1f8e-3c1a-4c7e-9a61-2f4f1d6b7a10" },
    });
    expect(file.filename).toBe("open-day.ics");
    expect(await file.blob.text()).toBe("BEGIN:VCALENDAR");

    respond(404, { type: "about:blank", title: "Not found", status: 404, code: "not_found" });
    await expect(fetchFile("exportRegistrations", { params: { slug: "open-day" } })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("types bodies and responses from the route registry", () => {
    expectTypeOf<ResponseOf<"getMe">>().toEqualTypeOf<{ user: User }>();
    expectTypeOf<ResponseOf<"getEvent">>().toEqualTypeOf<EventDetail>();
    expectTypeOf<ResponseOf<"signOut">>().toEqualTypeOf<undefined>();
    expectTypeOf<BodyOf<"signIn">>().toEqualTypeOf<{ email: string; password: string }>();
    // @ts-expect-error -- getEvent needs its slug
    void (() => call("getEvent"));
    // @ts-expect-error -- signIn has no `name`
    void (() => call("signIn", { body: { email: "a@b.it", password: "p", name: "x" } }));
  });
});
