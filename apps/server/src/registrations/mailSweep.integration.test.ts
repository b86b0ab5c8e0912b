// Emails whose scheduling failed while the jobs port stayed up go out without a restart: a
// recurring sweep (one job per slot, a deterministic id) re-arms unsent messages from the database.
// On the in-process driver (PGlite) and on BullMQ with two processes' workers (PostgreSQL): the
// sweep is armed once per slot across them, and the message is sent exactly once. A message the
// SMTP server keeps refusing is tried a bounded number of times, each try's links included, and
// then given up, in the log.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  count,
  createDb,
  eq,
  inArray,
  registrationLinks,
  registrationMessages,
  type Database,
} from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { JobName, REGISTRATION_MAIL_SWEEP_JOB, reminderJobId } from "@convivio/protocol";
import { AuthService } from "../auth/service.js";
import type { Mailer, MailMessage } from "../email/mailer.js";
import { createSmtpMailer } from "../email/smtpMailer.js";
import { createBullmqJobs } from "../jobs/bullmqJobs.js";
import { createInProcessJobs } from "../jobs/inProcessJobs.js";
import type { Jobs } from "../jobs/jobs.js";
import { TestClock, startTestServer } from "../test/harness.js";
import { createEvent, signUpOrganizer, unique } from "../test/events.js";
import { createRegistrationFeature, type RegistrationFeature } from "./feature.js";
import { MAIL_YIELD_MAX_MS, MESSAGE_SEND_ATTEMPTS } from "./mailJobs.js";
import { TEST_REDIS_URL, deleteRedisKeys } from "../test/jobs.js";

const RUN_PREFIX = `convivio-test-mail-sweep-${randomUUID().slice(0, 8)}`;
const SWEEP_EVERY_MS = 1000;
const logger = pino({ level: "silent" });

/** A jobs port whose scheduling of registration emails fails while `failing` is set, as a flaky Redis would. */
function flakyJobs(inner: Jobs, state: { failing: boolean }): Jobs {
  return {
    driver: inner.driver,
    define: (definition) => inner.define(definition),
    async schedule(name, id, payload, runAt) {
      if (state.failing && name === JobName.registrationMail) throw new Error("scheduling failed");
      return inner.schedule(name, id, payload, runAt);
    },
    cancel: (name, id) => inner.cancel(name, id),
    pending: (name) => inner.pending(name),
    start: () => inner.start(),
    stop: () => inner.stop(),
  };
}

interface Node {
  feature: RegistrationFeature;
  jobs: Jobs;
}

/**
 * An SMTP server that takes every message to its end and then refuses it (554) when `refuses` says
 * so for its recipients (by default, always), counting each message refused and accepted.
 */
async function startRefusingSmtp(refuses: (to: string) => boolean = () => true) {
  const refused: string[] = [];
  const accepted: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      stream.resume();
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(",");
        if (!refuses(to)) {
          accepted.push(to);
          return callback();
        }
        refused.push(to);
        callback(Object.assign(new Error("Message rejected by policy"), { responseCode: 554 }));
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { port } = smtp.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    refused,
    accepted,
    close: () => new Promise<void>((resolve) => smtp.close(resolve)),
  };
}

const drivers = [
  {
    name: "in-process driver, PGlite, one process",
    factory: testDatabases()[0]!,
    processes: 1,
    makeJobs: () => createInProcessJobs({ logger }),
  },
  {
    name: "BullMQ, PostgreSQL, two processes",
    factory: testDatabases()[1]!,
    processes: 2,
    makeJobs: () => createBullmqJobs({ connection: { url: TEST_REDIS_URL }, logger, prefix: RUN_PREFIX }),
  },
];

afterAll(() => deleteRedisKeys(RUN_PREFIX));

describe.each(drivers)("the unsent-email sweep: $name", ({ factory, processes, makeJobs }) => {
  let database: TestDatabase;
  const pools: Database[] = [];
  const nodes: Node[] = [];

  afterEach(async () => {
    for (const node of nodes.splice(0)) await node.jobs.stop();
    for (const pool of pools.splice(0)) await pool.close();
    await database.close();
  });

  /** An event made through the real API; the server is gone before the nodes start. */
  async function eventFor(title: string) {
    database = await factory.open();
    const server = await startTestServer({ database, env: { AUTH_RATE_LIMIT: "1000" } });
    const event = await createEvent(await signUpOrganizer(server), { title: `${title} ${unique()}` });
    await server.close();
    return event;
  }

  /** The registration feature on `processes` nodes, each with its own pool, jobs and (shared) clock. */
  async function startNodes(options: {
    mailer: Mailer;
    state?: { failing: boolean };
    sweepEveryMs?: number;
    log?: typeof logger;
    busyForMs?: () => number;
  }) {
    const clock = new TestClock();
    for (let i = 0; i < processes; i++) {
      // Each process gets its own pool, as separate processes would.
      const pool = database.url ? await createDb({ url: database.url, poolSize: 5 }) : database;
      if (pool !== database) pools.push(pool);
      const jobs = flakyJobs(makeJobs(), options.state ?? { failing: false });
      const auth = new AuthService(pool.db, options.mailer, clock, {
        sessionTtlDays: 30,
        magicLinkTtlMinutes: 30,
        resetTtlMinutes: 60,
        publicUrl: () => "http://localhost:3000",
      });
      const feature = createRegistrationFeature({
        db: pool.db,
        jobs,
        mailer: options.mailer,
        auth,
        clock,
        logger: options.log ?? logger,
        publicUrl: () => "http://localhost:3000",
        mailSweepEveryMs: options.sweepEveryMs ?? SWEEP_EVERY_MS,
        ...(options.busyForMs ? { busyForMs: options.busyForMs } : {}),
      });
      await jobs.start();
      await feature.rearm();
      nodes.push({ feature, jobs });
    }
  }

  it(
    "sends an email whose scheduling failed on a later sweep, once, without a restart",
    { timeout: 120_000 },
    async () => {
      const event = await eventFor("Sweep");
      const sent: MailMessage[] = [];
      const mailer: Mailer = {
        async send(message) {
          sent.push(message);
        },
        async close() {},
      };
      const state = { failing: true };
      await startNodes({ mailer, state });
      // Every process armed the same next sweep: one job, with the slot in its id.
      const sweeps = await nodes[0]!.jobs.pending(REGISTRATION_MAIL_SWEEP_JOB);
      expect(sweeps).toHaveLength(1);
      expect(sweeps[0]).toMatch(/^mail-sweep:\d+$/);
      expect(Number(sweeps[0]!.split(":")[1]) % SWEEP_EVERY_MS).toBe(0);

      // Registering commits the confirmation, but scheduling its email fails (and is only logged).
      const email = `swept-${unique()}@example.it`;
      const registered = await nodes[0]!.feature.service.register(
        event.id,
        { name: "Sara", email, locale: "en", answers: {} },
        { kind: "self" },
      );
      expect(registered.registration.status).toBe("confirmed");
      const unsent = async () =>
        (
          await database.db
            .select({ sentAt: registrationMessages.sentAt })
            .from(registrationMessages)
            .where(eq(registrationMessages.registrationId, registered.registration.id))
        ).filter((m) => m.sentAt === null).length;
      expect(await unsent()).toBe(1);
      // The failed email did not hold back the registration's reminders.
      expect(await nodes[0]!.jobs.pending(JobName.reminder)).toEqual(
        expect.arrayContaining([
          reminderJobId(registered.registration.id, null, "24h"),
          reminderJobId(registered.registration.id, null, "1h"),
        ]),
      );
      // While scheduling keeps failing, sweeps come and go and nothing is sent (nor lost).
      await new Promise((resolve) => setTimeout(resolve, 3 * SWEEP_EVERY_MS));
      expect(sent).toEqual([]);
      expect(await unsent()).toBe(1);

      // Scheduling works again: a sweep (no restart) sends it, exactly once.
      state.failing = false;
      await expect
        .poll(() => sent.filter((m) => m.to === email).length, { timeout: 20_000, interval: 200 })
        .toBe(1);
      expect(sent.find((m) => m.to === email)!.subject).toBe(`You're registered: ${event.title}`);
      await expect.poll(unsent, { timeout: 5_000 }).toBe(0);
      // More sweeps run (still armed, one at a time) and send nothing more.
      await new Promise((resolve) => setTimeout(resolve, 3 * SWEEP_EVERY_MS));
      expect(sent.filter((m) => m.to === email)).toHaveLength(1);
      expect(await nodes[0]!.jobs.pending(REGISTRATION_MAIL_SWEEP_JOB)).toHaveLength(1);
    },
  );

  it(
    `gives up on an email the SMTP server keeps refusing after ${MESSAGE_SEND_ATTEMPTS} tries, each with its links, and says so in the log`,
    { timeout: 120_000 },
    async () => {
      const event = await eventFor("Refused");
      const smtp = await startRefusingSmtp();
      const mailer = createSmtpMailer(smtp.url, "Convivio <hello@convivio.test>");
      const logged: { msg: string; messageId?: string; attempts?: number }[] = [];
      const log = pino({ level: "error" }, { write: (line: string) => logged.push(JSON.parse(line)) });
      // A short sweep: the tries it spaces (one sweep, then twice as long after each) come in seconds.
      const sweepEveryMs = 500;
      try {
        await startNodes({ mailer, sweepEveryMs, log });
        const email = `refused-${unique()}@example.it`;
        const registered = await nodes[0]!.feature.service.register(
          event.id,
          { name: "Rosa", email, locale: "en", answers: {} },
          { kind: "self" },
        );
        const registrationId = registered.registration.id;
        const message = async () =>
          (
            await database.db
              .select()
              .from(registrationMessages)
              .where(eq(registrationMessages.registrationId, registrationId))
          )[0]!;
        const links = async () =>
          Number(
            (
              await database.db
                .select({ n: count() })
                .from(registrationLinks)
                .where(eq(registrationLinks.registrationId, registrationId))
            )[0]!.n,
          );
        const refusedFor = () => smtp.refused.filter((to) => to === email).length;

        await expect.poll(refusedFor, { timeout: 60_000, interval: 200 }).toBe(MESSAGE_SEND_ATTEMPTS);
        await expect
          .poll(() => logged.filter((l) => l.msg.startsWith("registration email given up")).length, {
            timeout: 5_000,
          })
          .toBe(1);
        // A dozen more sweeps come and go: no further try.
        await new Promise((resolve) => setTimeout(resolve, 12 * sweepEveryMs));
        expect(refusedFor()).toBe(MESSAGE_SEND_ATTEMPTS);
        const row = await message();
        expect(row).toMatchObject({ sentAt: null, claimedAt: null, attempts: MESSAGE_SEND_ATTEMPTS });
        // The receipt's link at registration, then one per try and no more.
        expect(await links()).toBe(1 + MESSAGE_SEND_ATTEMPTS);
        const givenUp = logged.filter((l) => l.msg.startsWith("registration email given up"));
        expect(givenUp).toEqual([
          expect.objectContaining({ messageId: row.id, attempts: MESSAGE_SEND_ATTEMPTS }),
        ]);
        // A restart re-arms unsent messages, but not one given up.
        await nodes[0]!.feature.rearm();
        await new Promise((resolve) => setTimeout(resolve, 4 * sweepEveryMs));
        expect(refusedFor()).toBe(MESSAGE_SEND_ATTEMPTS);
      } finally {
        await mailer.close();
        await smtp.close();
      }
    },
  );

  it(
    "among emails sent together, one the SMTP server refuses is tried again alone; the others go out once",
    { timeout: 120_000 },
    async () => {
      const event = await eventFor("Together");
      const smtp = await startRefusingSmtp((to) => to.startsWith("refused-"));
      const mailer = createSmtpMailer(smtp.url, "Convivio <hello@convivio.test>");
      try {
        await startNodes({ mailer, sweepEveryMs: 500 });
        const emails = Array.from({ length: 8 }, (_, i) =>
          i === 5 ? `refused-${unique()}@example.it` : `together${i}-${unique()}@example.it`,
        );
        // Registered at once on one node: the first alone, the other seven in one batch, whose
        // emails are one job.
        const registered = await Promise.all(
          emails.map((email, i) =>
            nodes[0]!.feature.service.register(
              event.id,
              { name: `T ${i}`, email, locale: "en", answers: {} },
              { kind: "self" },
            ),
          ),
        );
        const refusedEmail = emails[5]!;
        await expect
          .poll(() => smtp.refused.filter((to) => to === refusedEmail).length, {
            timeout: 60_000,
            interval: 200,
          })
          .toBe(MESSAGE_SEND_ATTEMPTS);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        // Every other person got exactly one email, and no try for the refused one sent it again.
        expect([...smtp.accepted].sort()).toEqual(emails.filter((e) => e !== refusedEmail).sort());
        const rows = await database.db
          .select()
          .from(registrationMessages)
          .where(
            inArray(
              registrationMessages.registrationId,
              registered.map((r) => r.registration.id),
            ),
          );
        const refusedId = registered[5]!.registration.id;
        for (const row of rows) {
          if (row.registrationId === refusedId) {
            expect(row).toMatchObject({ sentAt: null, attempts: MESSAGE_SEND_ATTEMPTS });
          } else {
            expect(row.sentAt).not.toBeNull();
            expect(row.attempts).toBe(1);
          }
        }
      } finally {
        await mailer.close();
        await smtp.close();
      }
    },
  );

  it(
    "registration emails wait while a rush lasts, and go when it passes or when it began too long ago",
    { timeout: 120_000 },
    async () => {
      const event = await eventFor("Rush");
      const sent: { to: string; at: number }[] = [];
      const mailer: Mailer = {
        async send(message) {
          sent.push({ to: message.to, at: Date.now() });
        },
        async close() {},
      };
      // The process's load as the test says: busy since `since`, or not busy.
      const rush: { since: number | null } = { since: Date.now() };
      await startNodes({ mailer, busyForMs: () => (rush.since === null ? 0 : Date.now() - rush.since) });
      const register = (email: string) =>
        nodes[0]!.feature.service.register(
          event.id,
          { name: "Rita", email, locale: "en", answers: {} },
          { kind: "self" },
        );
      // The rush passes: the email goes out then, not before.
      const first = `rush-${unique()}@example.it`;
      await register(first);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(sent).toEqual([]);
      rush.since = null;
      const passed = Date.now();
      await expect.poll(() => sent.length, { timeout: 5_000, interval: 50 }).toBe(1);
      expect(sent[0]!.to).toBe(first);
      expect(sent[0]!.at - passed).toBeLessThan(1_000);

      // A rush that does not pass holds emails back until MAIL_YIELD_MAX_MS after it began, all of
      // them together, however many jobs wait in line.
      rush.since = Date.now();
      const emails = Array.from({ length: 12 }, (_, i) => `long${i}-${unique()}@example.it`);
      for (const email of emails) await register(email);
      await expect
        .poll(() => sent.length, { timeout: MAIL_YIELD_MAX_MS + 10_000, interval: 100 })
        .toBe(1 + emails.length);
      const waited = sent.slice(1).map((m) => m.at - rush.since!);
      expect(Math.min(...waited)).toBeGreaterThanOrEqual(MAIL_YIELD_MAX_MS - 100);
      expect(Math.max(...waited)).toBeLessThan(MAIL_YIELD_MAX_MS + 4_000);
      // Later emails of the same long rush are not held back at all.
      const late = `late-${unique()}@example.it`;
      const registeredAt = Date.now();
      await register(late);
      await expect.poll(() => sent.some((m) => m.to === late), { timeout: 5_000, interval: 50 }).toBe(true);
      expect(sent.find((m) => m.to === late)!.at - registeredAt).toBeLessThan(2_000);
    },
  );
});
