// Helpers for tests of events and registrations: organizers, events, sessions and settings through
// the real API, and wall-clock strings for a zone.
import { afterAll, beforeAll } from "vitest";
import type { TestDatabase } from "@convivio/db/testing";
import { formatLocalDateTime, type EventDetail, type RegistrationSettingsBody } from "@convivio/protocol";
import { startTestServer, type TestClient, type TestServer } from "./harness.js";

let counter = 0;
/** A unique suffix for slugs and emails within a test run. */
export const unique = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** `YYYY-MM-DDTHH:mm:ss` of an instant in a zone: what a form in that zone would send. */
export function localIn(timeZone: string, instant: number): string {
  const seconds = String(new Date(instant).getUTCSeconds()).padStart(2, "0");
  return `${formatLocalDateTime(instant, timeZone)}:${seconds}`;
}

export async function signUpOrganizer(server: TestServer, name = "Olga Organizer"): Promise<TestClient> {
  const client = server.client();
  const res = await client.post("/api/auth/sign-up", {
    name,
    email: `organizer-${unique()}@example.it`,
    password: "correct horse battery",
    locale: "en",
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  return client;
}

export interface EventOptions {
  timeZone?: string;
  /** Start as an instant (default: 30 days from now, rounded to the hour). */
  startsAt?: number;
  durationMs?: number;
  title?: string;
  visibility?: "draft" | "unlisted" | "public";
  settings?: Partial<RegistrationSettingsBody>;
}

/** Creates a published event with registration open (unless told otherwise) and returns it. */
export async function createEvent(organizer: TestClient, options: EventOptions = {}): Promise<EventDetail> {
  const timeZone = options.timeZone ?? "Europe/Rome";
  const startsAt = options.startsAt ?? Math.ceil((Date.now() + 30 * DAY_MS) / HOUR_MS) * HOUR_MS;
  const endsAt = startsAt + (options.durationMs ?? 8 * HOUR_MS);
  const slug = `event-${unique()}`;
  const created = await organizer.post("/api/events", {
    slug,
    title: options.title ?? `Event ${slug}`,
    timeZone,
    startsAt: localIn(timeZone, startsAt),
    endsAt: localIn(timeZone, endsAt),
    languages: ["it", "en"],
  });
  if (created.status !== 201) throw new Error(`create event failed: ${created.status} ${created.text}`);
  const visibility = await organizer.post(`/api/events/${slug}/visibility`, {
    visibility: options.visibility ?? "public",
  });
  if (visibility.status !== 200) throw new Error(`publish failed: ${visibility.status} ${visibility.text}`);
  const settings = await organizer.put(`/api/events/${slug}/registration-settings`, {
    enabled: true,
    ...options.settings,
  });
  if (settings.status !== 200) throw new Error(`settings failed: ${settings.status} ${settings.text}`);
  return (visibility.body as { event: EventDetail }).event;
}

export interface Receipt {
  id: string;
  status: string;
  waitlistPosition: number | null;
}

/** Registers someone through the public form; returns the response. */
export async function register(client: TestClient, slug: string, body: Record<string, unknown>) {
  const res = await client.post(`/api/events/${slug}/register`, body);
  return {
    ...res,
    receipt: (res.body as { registration?: Receipt } | undefined)?.registration,
    token: (res.body as { manageToken?: string } | undefined)?.manageToken,
  };
}

/** A request with the token of an emailed registration link. */
export function withToken(client: TestClient, method: string, path: string, token: string, body?: unknown) {
  return client.request(method, path, body, { "x-registration-token": token });
}

/**
 * For a describe block: a database, a server on it and a signed-up organizer, opened before its
 * tests and closed after them. Read the fields inside the tests (they are set in beforeAll).
 */
export function serverWithOrganizer(open: () => Promise<TestDatabase>) {
  const setup = {} as { database: TestDatabase; server: TestServer; organizer: TestClient };
  beforeAll(async () => {
    setup.database = await open();
    setup.server = await startTestServer({ database: setup.database, env: { AUTH_RATE_LIMIT: "1000" } });
    setup.organizer = await signUpOrganizer(setup.server);
  });
  afterAll(async () => {
    await setup.server.close();
    await setup.database.close();
  });
  return setup;
}
