// The registration storm: N people submit the public registration form at the same instant for
// M seats, against the real server on PostgreSQL or PGlite; beside it, the raw insert rate of the
// same driver (single-row INSERTs, as many at once as the server's pool), which is the ceiling.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "@convivio/db";
import { LeanHttpError, leanPostJson } from "./leanPost.js";
import { freshTarget, openTarget, seed, type Driver } from "./seed.js";
import { startConvivio, startFormFloorProcess, type Process } from "./servers.js";
import {
  ProcessSampler,
  histogram,
  log,
  recordMs,
  summarize,
  wallMs,
  type LatencySummary,
  type ProcessStats,
} from "./stats.js";

export interface RegistrationScenario {
  driver: Driver;
  people: number;
  seats: number;
  nodeArgs?: string[];
}

export interface RegistrationResult {
  driver: Driver;
  people: number;
  seats: number;
  elapsedMs: number;
  /** Registrations answered per second over the storm. */
  throughput: number;
  latency: LatencySummary;
  statuses: Record<string, number>;
  confirmed: number;
  waitlisted: number;
  /** Confirmed seats the organizer's counts report afterwards (the database's word). */
  confirmedInDatabase: number;
  exactlySeats: boolean;
  rawInsert: { rows: number; concurrency: number; elapsedMs: number; rate: number };
  /** throughput / raw insert rate. */
  ratioToRaw: number;
  /**
   * The same storm, same client, against a bare HTTP server that parses the form and answers 201
   * (formFloor.ts): what HTTP alone costs on this machine, the ceiling for any server.
   */
  bareHttp: { rate: number; latency: LatencySummary; ok: number };
  /** throughput / the bare HTTP rate. */
  ratioToBareHttp: number;
  server: ProcessStats | null;
}

/** The driver's ceiling: `rows` single-row INSERTs (autocommit), `concurrency` at a time. */
export async function rawInsertRate(
  driver: Driver,
  rows: number,
  concurrency: number,
): Promise<RegistrationResult["rawInsert"]> {
  const dataDir = mkdtempSync(join(tmpdir(), "convivio-raw-"));
  const target = await freshTarget(driver, dataDir);
  const database = await openTarget(target, concurrency);
  try {
    const { db } = database;
    await db.execute(
      sql`create table raw_inserts (id uuid primary key default gen_random_uuid(), event_id uuid not null,
        email text not null, name text not null, status text not null, created_at timestamptz not null default now())`,
    );
    const eventId = randomUUID();
    let next = 0;
    const started = wallMs();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < rows) {
          const i = next++;
          await db.execute(
            sql`insert into raw_inserts (event_id, email, name, status) values (${eventId}, ${`p${i}@load.example`}, ${`Person ${i}`}, 'confirmed')`,
          );
        }
      }),
    );
    const elapsedMs = wallMs() - started;
    return {
      rows,
      concurrency,
      elapsedMs: Math.round(elapsedMs),
      rate: Math.round((rows / elapsedMs) * 1000),
    };
  } finally {
    await database.close();
    await target.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** `people` POSTs of the registration form at once, each answered or counted as unanswered. */
async function registrationStorm(endpoint: string, people: number) {
  const hist = histogram();
  const statuses: Record<string, number> = {};
  let confirmed = 0;
  let waitlisted = 0;
  const started = wallMs();
  await Promise.all(
    Array.from({ length: people }, async (_, i) => {
      const sent = wallMs();
      try {
        const res = await leanPostJson(
          endpoint,
          { name: `Person ${i}`, email: `storm-${i}@load.example`, locale: "en" },
          120_000,
        );
        recordMs(hist, wallMs() - sent);
        const body = parseJson(res.body) as { registration?: { status: string } };
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (body.registration?.status === "confirmed") confirmed++;
        if (body.registration?.status === "waitlisted") waitlisted++;
      } catch (err) {
        // No answer at all (connection refused or reset, timeout): counted, never retried.
        const cause = err instanceof LeanHttpError ? err.code : (err as Error).name;
        const key = `no answer: ${cause}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
    }),
  );
  return { hist, statuses, confirmed, waitlisted, elapsedMs: wallMs() - started };
}

async function createEvent(url: string, cookie: string, seats: number): Promise<string> {
  const slug = `storm-${randomUUID().slice(0, 8)}`;
  const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const call = async (method: string, path: string, body: unknown, expected: number) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify(body),
    });
    if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  await call(
    "POST",
    "/api/events",
    {
      slug,
      title: "Registration storm",
      timeZone: "Europe/Rome",
      startsAt: `${day}T09:00:00`,
      endsAt: `${day}T18:00:00`,
      languages: ["en"],
    },
    201,
  );
  await call("POST", `/api/events/${slug}/visibility`, { visibility: "public" }, 200);
  await call("PUT", `/api/events/${slug}/registration-settings`, { enabled: true, capacity: seats }, 200);
  return slug;
}

export async function runRegistration(scenario: RegistrationScenario): Promise<RegistrationResult> {
  const { driver, people, seats } = scenario;
  const label = `registration ${driver} ${people} for ${seats}`;
  const dataDir = mkdtempSync(join(tmpdir(), "convivio-load-"));
  const target = await freshTarget(driver, dataDir);
  let server: Process | undefined;
  try {
    log(`${label}: starting the server`);
    const seeded = await seed(target, { participants: 0 });
    server = await startConvivio({ target, ...(scenario.nodeArgs ? { nodeArgs: scenario.nodeArgs } : {}) });
    const { url } = server;
    const slug = await createEvent(url, seeded.organizer.cookie, seats);
    // Warm the route (first-request compilation, pool connections) with one registration.
    const warm = await fetch(`${url}/api/events/${slug}/registration`);
    await warm.arrayBuffer();

    const sampler = new ProcessSampler(server.pid, `${url}/metrics`, target.databaseName);
    await sampler.start();
    log(`${label}: storm`);
    const storm = await registrationStorm(`${url}/api/events/${slug}/register`, people);
    const { hist, statuses, confirmed, waitlisted, elapsedMs } = storm;
    const serverStats = await sampler.stop();
    const counts = await fetch(`${url}/api/events/${slug}/registrations/counts`, {
      headers: { cookie: seeded.organizer.cookie },
    });
    const confirmedInDatabase = ((await counts.json()) as { confirmed?: number }).confirmed ?? -1;
    await server.stop();
    server = undefined;

    log(`${label}: raw insert rate`);
    const rawInsert = await rawInsertRate(driver, people, 10);
    log(`${label}: bare HTTP floor`);
    const floorProcess = await startFormFloorProcess();
    let floor: Awaited<ReturnType<typeof registrationStorm>>;
    try {
      floor = await registrationStorm(`${floorProcess.url}/register`, people);
    } finally {
      await floorProcess.stop();
    }
    const bareHttp = {
      rate: Math.round((people / floor.elapsedMs) * 1000),
      latency: summarize(floor.hist),
      ok: floor.statuses["201"] ?? 0,
    };
    const throughput = Math.round((people / elapsedMs) * 1000);
    const result: RegistrationResult = {
      driver,
      people,
      seats,
      elapsedMs: Math.round(elapsedMs),
      throughput,
      latency: summarize(hist),
      statuses,
      confirmed,
      waitlisted,
      confirmedInDatabase,
      exactlySeats: confirmed === seats && confirmedInDatabase === seats,
      rawInsert,
      ratioToRaw: rawInsert.rate > 0 ? Math.round((throughput / rawInsert.rate) * 1000) / 1000 : 0,
      bareHttp,
      ratioToBareHttp: bareHttp.rate > 0 ? Math.round((throughput / bareHttp.rate) * 1000) / 1000 : 0,
      server: serverStats,
    };
    log(
      `${label}: ${throughput}/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
        `confirmed ${confirmed} (db ${confirmedInDatabase}), raw ${rawInsert.rate}/s, ` +
        `bare HTTP ${bareHttp.rate}/s (p99 ${bareHttp.latency.p99} ms)`,
    );
    return result;
  } finally {
    await server?.stop();
    await target.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
