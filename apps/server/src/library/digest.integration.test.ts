// The weekly digest through the jobs port, on both databases and both job drivers (in-process and
// BullMQ): a start-up after a Monday nobody ran catches that week up once, however many nodes start;
// a run arms the next week before it sends, so a week whose every retry fails leaves the next one
// armed, and the next start-up sends the failed week; arming twice is harmless; a run weeks late
// sends no stale digest and arms the coming Monday, not each Monday in between.
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { afterAll, afterEach, beforeEach, describe, expect, test } from "vitest";
import { communities, eq, libraryDigestWeeks, libraryFollows, users } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { JobName } from "@convivio/protocol";
import { systemClock } from "../auth/clock.js";
import type { MailMessage, Mailer } from "../email/mailer.js";
import { createBullmqJobs } from "../jobs/bullmqJobs.js";
import { createInProcessJobs } from "../jobs/inProcessJobs.js";
import type { Jobs } from "../jobs/jobs.js";
import { DIGEST_ATTEMPTS, LibraryDigest, digestJobId, lastWeekEnd, nextWeekEnd } from "./digest.js";
import { insertItem } from "./items.js";
import { TEST_REDIS_URL, deleteRedisKeys } from "../test/jobs.js";

const RUN_PREFIX = `convivio-test-digest-${randomUUID().slice(0, 8)}`;
const POLL = { timeout: 15_000, interval: 25 };
const DAY_MS = 86_400_000;
const logger = pino({ level: "silent" });

/** A mailer that records what it sent, or fails every send while `failing`. */
function recordingMailer() {
  const sent: MailMessage[] = [];
  const mailer = {
    sent,
    attempts: 0,
    failing: false,
    async send(message: MailMessage) {
      mailer.attempts += 1;
      if (mailer.failing) throw new Error("smtp down");
      sent.push(message);
    },
    async close() {},
  } satisfies Mailer & Record<string, unknown>;
  return mailer;
}

const drivers: { driver: Jobs["driver"]; make: (prefix: string) => Jobs }[] = [
  { driver: "in-process", make: () => createInProcessJobs({ logger }) },
  {
    driver: "bullmq",
    make: (prefix) => createBullmqJobs({ connection: { url: TEST_REDIS_URL }, logger, prefix }),
  },
];

afterAll(() => deleteRedisKeys(RUN_PREFIX));

describe.each(testDatabases())("weekly digest on $driver", ({ open }) => {
  describe.each(drivers)("through the $driver jobs driver", ({ make }) => {
    let database: TestDatabase;
    let prefix: string;
    const nodes: Jobs[] = [];
    // The week that ended on the latest Monday: its digest is owed, and nobody has run it.
    const now = systemClock.now();
    const missed = lastWeekEnd(now);
    const next = nextWeekEnd(now);
    let reader: { id: string; email: string };

    /** One server's digest: its own jobs driver (sharing Redis keys with the others under `prefix`). */
    async function startNode(mailer: Mailer): Promise<{ digest: LibraryDigest; jobs: Jobs }> {
      const jobs = make(prefix);
      nodes.push(jobs);
      const digest = new LibraryDigest({
        db: database.db,
        mailer,
        clock: systemClock,
        logger,
        jobs,
        publicUrl: () => "https://convivio.example",
        retryBackoffMs: 10,
      });
      await jobs.start();
      return { digest, jobs };
    }

    const finishedWeeks = async () =>
      (await database.db.select().from(libraryDigestWeeks)).map((row) => row.week);

    beforeEach(async () => {
      database = await open();
      prefix = `${RUN_PREFIX}-${randomUUID().slice(0, 8)}`;
      const db = database.db;
      const [person] = await db
        .insert(users)
        .values({ email: `lettrice-${randomUUID()}@example.it`, name: "Lia Lettrice", locale: "it" })
        .returning();
      reader = person!;
      const [community] = await db
        .insert(communities)
        .values({ slug: `italia-${randomUUID().slice(0, 8)}`, name: "Italia", kind: "national" })
        .returning();
      await db
        .insert(libraryFollows)
        .values({ userId: reader.id, targetKind: "community", target: community!.id });
      // Published two days before the missed Monday, for everyone.
      await db.transaction((tx) =>
        insertItem(
          tx,
          {
            kind: "act",
            title: "Mozione della settimana scorsa",
            summary: "",
            body: "",
            tags: [],
            territory: null,
            language: "it",
            communityId: community!.id,
            status: "published",
            audience: "everyone",
            authorId: null,
            adaptedFromId: null,
            sourceBoardId: null,
          },
          new Date(Date.parse(`${missed}T00:00:00Z`) - 2 * DAY_MS),
        ),
      );
    }, 60_000);
    afterEach(async () => {
      await Promise.all(nodes.splice(0).map((jobs) => jobs.stop()));
      await database.close();
    });

    test("a start-up catches up the missed week once, on any number of nodes, and arms the next", async () => {
      const mailer = recordingMailer();
      const first = await startNode(mailer);
      expect(await first.digest.rearm()).toBe(missed);
      // The handler ran through the jobs port: the reader got the week's item, the week is recorded.
      await expect.poll(() => finishedWeeks(), POLL).toEqual([missed]);
      expect(mailer.sent).toHaveLength(1);
      expect(mailer.sent[0]).toMatchObject({ to: reader.email });
      expect(mailer.sent[0]!.text).toContain("Mozione della settimana scorsa");
      expect(await first.jobs.pending(JobName.libraryDigest)).toEqual([digestJobId(next)]);

      // Arming again, and more nodes starting, make no second run and no second job.
      expect(await first.digest.rearm()).toBeNull();
      const second = await startNode(mailer);
      const third = await startNode(mailer);
      expect(await Promise.all([second.digest.rearm(), third.digest.rearm()])).toEqual([null, null]);
      // Even a run of the finished week (a schedule that raced the record) sends nothing.
      expect(await second.digest.send(missed)).toBe(0);
      for (const node of [first, second, third]) {
        const pending = await node.jobs.pending(JobName.libraryDigest);
        // In-process pending jobs are each node's own; BullMQ's are the cluster's, one per id.
        expect(pending).toEqual([digestJobId(next)]);
      }
      expect(mailer.sent).toHaveLength(1);
    });

    test("a run that comes weeks late sends nothing stale and arms the coming Monday, not past ones", async () => {
      const mailer = recordingMailer();
      const node = await startNode(mailer);
      const stale = new Date(Date.parse(`${missed}T00:00:00Z`) - 14 * DAY_MS).toISOString().slice(0, 10);
      // A job left in Redis while every node was down three weeks ago.
      await node.jobs.schedule(
        JobName.libraryDigest,
        digestJobId(stale),
        { weekEnd: stale },
        new Date(`${stale}T00:00:00Z`),
      );
      await expect.poll(() => node.jobs.pending(JobName.libraryDigest), POLL).toEqual([digestJobId(next)]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await node.jobs.pending(JobName.libraryDigest)).toEqual([digestJobId(next)]);
      expect(mailer.attempts).toBe(0);
      expect(await finishedWeeks()).toEqual([]);
    });

    test("a week whose every retry fails leaves the next week armed and is sent at the next start-up", async () => {
      const broken = recordingMailer();
      broken.failing = true;
      const node = await startNode(broken);
      // The week's run, as the run of the week before armed it; nothing else arms the next one.
      await node.jobs.schedule(
        JobName.libraryDigest,
        digestJobId(missed),
        { weekEnd: missed },
        new Date(`${missed}T00:00:00Z`),
      );
      await expect.poll(() => broken.attempts, POLL).toBe(DIGEST_ATTEMPTS);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(broken.attempts).toBe(DIGEST_ATTEMPTS);
      // No attempt left and nothing recorded as sent, yet the run armed next Monday's before it
      // sent: the series goes on.
      expect(await node.jobs.pending(JobName.libraryDigest)).toEqual([digestJobId(next)]);
      expect(await finishedWeeks()).toEqual([]);
      expect(broken.sent).toEqual([]);
      await node.jobs.stop();

      // The server restarts with mail working: the failed week goes out, once.
      const mailer = recordingMailer();
      const restarted = await startNode(mailer);
      expect(await restarted.digest.rearm()).toBe(missed);
      await expect.poll(() => finishedWeeks(), POLL).toEqual([missed]);
      expect(mailer.sent.map((m) => m.to)).toEqual([reader.email]);
      const [week] = await database.db
        .select()
        .from(libraryDigestWeeks)
        .where(eq(libraryDigestWeeks.week, missed));
      expect(week?.recipients).toBe(1);
      expect(await restarted.jobs.pending(JobName.libraryDigest)).toEqual([digestJobId(next)]);
    });
  });
});
