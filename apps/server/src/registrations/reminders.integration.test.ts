// Invariant 8 for reminders, on both jobs drivers: each reminder goes out once (BullMQ with two
// servers' workers on one Redis, plus a third server re-arming from the database as it joins; the
// in-process driver across a restart that loses its timers); a moved session moves its reminder;
// a cancelled session or registration has none.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Database } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { JobName, reminderJobId } from "@convivio/protocol";
import type { Mailer, MailMessage } from "../email/mailer.js";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import {
  HOUR_MS,
  createEvent,
  localIn,
  register,
  signUpOrganizer,
  unique,
  withToken,
} from "../test/events.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const ZONE = "Europe/Rome";
/** Seconds from the start of a scenario to the first reminder: time to set everything up first. */
// Generous: on a loaded 2-core CI machine the set-up alone has taken over 12 s.
const LEAD_S = 45;

function recordingMailer(sent: MailMessage[]): Mailer {
  return {
    async send(message) {
      sent.push(message);
    },
    async close() {},
  };
}

const sleepUntil = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now())));

interface Scenario {
  eventTitle: string;
  attendee: string;
  leaver: string;
  regId: string;
  sessions: { kept: string; movedNear: string; movedFar: string; deleted: string };
  /** When every reminder of the scenario is due. */
  lastDueMs: number;
}

/**
 * An event whose 1 h reminder falls LEAD_S seconds from now, sessions around it, one attendee with a
 * seat in each, and one who cancels. Then: one session moves closer (its reminder is due soon), one
 * moves away, one is deleted.
 */
async function setUp(organizer: TestClient, client: () => TestClient): Promise<Scenario> {
  const t0 = Math.ceil(Date.now() / 1000) * 1000;
  const near = (s: number) => t0 + HOUR_MS + s * 1000;
  const event = await createEvent(organizer, {
    title: `Reminders ${unique()}`,
    timeZone: ZONE,
    startsAt: near(LEAD_S),
    durationMs: 6 * HOUR_MS,
  });
  const session = async (title: string, startMs: number) => {
    const res = await organizer.post(`/api/events/${event.slug}/sessions`, {
      title,
      kind: "workshop",
      startsAt: localIn(ZONE, startMs),
      endsAt: localIn(ZONE, startMs + HOUR_MS),
      registrationEnabled: true,
    });
    if (res.status !== 201) throw new Error(`session: ${res.status} ${res.text}`);
    return (res.body as { session: { id: string } }).session.id;
  };
  const sessions = {
    kept: await session("Kept", near(LEAD_S + 2)),
    movedNear: await session("Moved near", near(3600 * 2)),
    movedFar: await session("Moved far", near(LEAD_S + 2)),
    deleted: await session("Deleted", near(LEAD_S + 2)),
  };
  const attendee = `att-${unique()}@example.org`;
  const leaver = `leave-${unique()}@example.org`;
  const reg = await register(client(), event.slug, { name: "Att", email: attendee, locale: "en" });
  const gone = await register(client(), event.slug, { name: "Leave", email: leaver, locale: "en" });
  for (const id of Object.values(sessions)) {
    for (const r of [reg, gone]) {
      const seat = await withToken(
        client(),
        "POST",
        `/api/registrations/${r.receipt!.id}/sessions/${id}`,
        r.token!,
      );
      if (seat.status !== 200) throw new Error(`seat: ${seat.status} ${seat.text}`);
    }
  }
  await withToken(client(), "POST", `/api/registrations/${gone.receipt!.id}/cancel`, gone.token!);
  const move = (id: string, startMs: number) =>
    organizer.patch(`/api/events/${event.slug}/sessions/${id}`, {
      startsAt: localIn(ZONE, startMs),
      endsAt: localIn(ZONE, startMs + HOUR_MS),
    });
  expect((await move(sessions.movedNear, near(LEAD_S + 4))).status).toBe(200);
  expect((await move(sessions.movedFar, near(3600 * 3))).status).toBe(200);
  expect((await organizer.delete(`/api/events/${event.slug}/sessions/${sessions.deleted}`)).status).toBe(204);
  if (Date.now() > near(LEAD_S) - HOUR_MS) throw new Error("set-up took longer than LEAD_S; raise it");
  return {
    eventTitle: event.title,
    attendee,
    leaver,
    regId: reg.receipt!.id,
    sessions,
    lastDueMs: near(LEAD_S + 4) - HOUR_MS,
  };
}

function checkReminders(sent: MailMessage[], s: Scenario) {
  const reminders = (to: string) =>
    sent
      .filter((m) => m.to === to && m.subject.startsWith("In one hour: "))
      .map((m) => m.subject.slice("In one hour: ".length))
      .sort();
  // Exactly once each: the event, the kept session, the session moved near; nothing else.
  expect(reminders(s.attendee)).toEqual(["Kept", "Moved near", s.eventTitle].sort());
  expect(reminders(s.leaver)).toEqual([]);
  expect(sent.some((m) => m.to === s.attendee && m.subject === "Time changed: Moved far")).toBe(true);
  expect(sent.some((m) => m.to === s.attendee && m.subject === "Cancelled: Deleted")).toBe(true);
  expect(sent.filter((m) => m.to === s.attendee && m.subject.startsWith("Tomorrow:"))).toEqual([]);
}

describe("reminders with BullMQ: two servers, one Redis, one PostgreSQL", () => {
  const prefix = `convivio-test-reminders-${randomUUID().slice(0, 8)}`;
  const sent: MailMessage[] = [];
  let database: TestDatabase;
  const pools: Database[] = [];
  const servers: TestServer[] = [];

  const start = async () => {
    const pool = await createDb({ url: database.url!, poolSize: 5 });
    pools.push(pool);
    const server = await startTestServer({
      database: pool,
      env: { REDIS_URL, AUTH_RATE_LIMIT: "1000" },
      overrides: { mailer: recordingMailer(sent), redisPrefix: prefix },
    });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    database = await testDatabases()[1]!.open();
    await start();
    await start();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const pool of pools) await pool.close();
    await database.close();
  });

  it(
    "fires each reminder once, moves and cancels them with their session",
    { timeout: 180_000 },
    async () => {
      expect(servers[0]!.jobs.driver).toBe("bullmq");
      const organizer = await signUpOrganizer(servers[0]!);
      let next = 0;
      const s = await setUp(organizer, () => servers[next++ % 2]!.client());
      const pending = await servers[0]!.jobs.pending(JobName.reminder);
      expect(pending).toContain(reminderJobId(s.regId, s.sessions.movedFar, "1h"));
      expect(pending).not.toContain(reminderJobId(s.regId, s.sessions.deleted, "1h"));

      // A third server joins and re-arms everything from the database: still once each.
      await start();
      await sleepUntil(s.lastDueMs + 4000);
      await expect
        .poll(() => sent.filter((m) => m.to === s.attendee && m.subject.startsWith("In one hour")).length, {
          timeout: 15_000,
        })
        .toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      checkReminders(sent, s);
    },
  );
});

describe("reminders with the in-process driver across a restart", () => {
  const sent: MailMessage[] = [];
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await testDatabases()[0]!.open();
    server = await startTestServer({
      database,
      env: { AUTH_RATE_LIMIT: "1000" },
      overrides: { mailer: recordingMailer(sent) },
    });
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it(
    "re-arms pending reminders from the database at start-up and fires each once",
    { timeout: 180_000 },
    async () => {
      expect(server.jobs.driver).toBe("in-process");
      const organizer = await signUpOrganizer(server);
      const s = await setUp(organizer, () => server.client());
      // The process stops: its timers are gone. A new one on the same database re-arms them.
      await server.stop();
      server = await startTestServer({
        database,
        env: { AUTH_RATE_LIMIT: "1000" },
        overrides: { mailer: recordingMailer(sent) },
      });
      expect(await server.jobs.pending(JobName.reminder)).toEqual(
        expect.arrayContaining([
          reminderJobId(s.regId, null, "1h"),
          reminderJobId(s.regId, s.sessions.kept, "1h"),
        ]),
      );
      await sleepUntil(s.lastDueMs + 3000);
      await expect
        .poll(() => sent.filter((m) => m.to === s.attendee && m.subject.startsWith("In one hour")).length, {
          timeout: 15_000,
        })
        .toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      checkReminders(sent, s);
    },
  );
});
