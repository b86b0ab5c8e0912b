// The weekly digest: every Monday (00:00 UTC) each person who follows a tag or a community gets
// one email listing the items published in the week before that they may see (the visibility
// rule decides, as everywhere) and that match what they follow. One job per week, its id by week,
// so every node may schedule it and it runs once.
//
// Robust against a lost week: a run arms the next week before it sends (so a week whose every retry
// fails does not end the series), a finished week is recorded in library_digest_weeks, and a
// start-up catches up the latest week if it never finished (the server was down that Monday, or
// every retry failed) — on any number of nodes at once, as the job id and the record make it one
// run. Each person's digest is claimed in library_digests before it is sent, so a retried or
// repeated run sends nobody twice.
import {
  and,
  eq,
  gte,
  inArray,
  libraryDigestWeeks,
  libraryDigests,
  libraryFollows,
  libraryItems,
  lt,
  or,
  sql,
  users,
  type Db,
} from "@convivio/db";
import { JobName, LibraryDigestJob } from "@convivio/protocol";
import type { Logger } from "pino";
import type { Clock } from "../auth/clock.js";
import type { Mailer } from "../email/mailer.js";
import type { Jobs } from "../jobs/jobs.js";
import { canSeeItem, viewerOf } from "./visibility.js";

const DAY_MS = 86_400_000;
/** Runs of one week's digest before it waits for the next start-up's catch-up. */
export const DIGEST_ATTEMPTS = 5;
/** Most items one digest lists; the rest are a link away. */
const DIGEST_MAX_ITEMS = 30;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const mondayAt = (weekEnd: string) => new Date(`${weekEnd}T00:00:00Z`);

/** The Monday 00:00 UTC after `now` (the end of the week a digest covers). */
export function nextWeekEnd(now: Date): string {
  const day = now.getUTCDay(); // 0 = Sunday
  const daysToMonday = (8 - day) % 7 || 7;
  return dayOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + daysToMonday));
}

/** The Monday 00:00 UTC at or before `now`: the end of the latest week a digest is owed for. */
export function lastWeekEnd(now: Date): string {
  const daysSinceMonday = (now.getUTCDay() + 6) % 7;
  return dayOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysSinceMonday));
}

/** The job id of a week's digest: one per week across the cluster. */
export const digestJobId = (weekEnd: string) => `library-digest:${weekEnd}`;

export interface DigestDeps {
  db: Db;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  jobs: Jobs;
  publicUrl: () => string;
  /** Wait before the first retry of a failed run (the jobs port's default when unset); only tests lower it. */
  retryBackoffMs?: number;
}

export class LibraryDigest {
  constructor(private readonly deps: DigestDeps) {
    deps.jobs.define<LibraryDigestJob>({
      name: JobName.libraryDigest,
      schema: LibraryDigestJob,
      attempts: DIGEST_ATTEMPTS,
      ...(deps.retryBackoffMs === undefined ? {} : { backoffMs: deps.retryBackoffMs }),
      handler: async ({ weekEnd }) => {
        const now = this.deps.clock.now();
        // The next week first: if this week fails every retry, the series still goes on. Its id
        // is new (a handler that re-arms itself must use one), and arming it again is harmless.
        // A run that comes late (its job waited in Redis while every node was down) arms the
        // coming Monday, not a chain of past ones that would each mail a stale digest at once.
        const following = dayOf(mondayAt(weekEnd).getTime() + 7 * DAY_MS);
        const coming = nextWeekEnd(now);
        await this.schedule(following > coming ? following : coming);
        // A week older than the latest one ended is news nobody needs: the start-up's catch-up
        // sends the latest week.
        if (weekEnd < lastWeekEnd(now)) {
          this.deps.logger.info({ weekEnd }, "library digest of a past week skipped");
          return;
        }
        await this.send(weekEnd);
      },
    });
  }

  /** Schedules the run of the week ending `weekEnd` (at once if that Monday is past). */
  private async schedule(weekEnd: string): Promise<void> {
    await this.deps.jobs.schedule(
      JobName.libraryDigest,
      digestJobId(weekEnd),
      { weekEnd } satisfies LibraryDigestJob,
      mondayAt(weekEnd),
    );
  }

  /** Schedules the digest for the Monday after `now`. Call after jobs.start(). */
  async arm(now: Date = this.deps.clock.now()): Promise<string> {
    const weekEnd = nextWeekEnd(now);
    await this.schedule(weekEnd);
    return weekEnd;
  }

  /**
   * At start-up (and when Redis comes back): arms next Monday's run and, when the latest week's run
   * never finished, schedules it at once. Returns the week caught up, if any. Older missed weeks are
   * not sent: a digest of a month ago is news nobody needs.
   */
  async rearm(now: Date = this.deps.clock.now()): Promise<string | null> {
    await this.arm(now);
    const last = lastWeekEnd(now);
    if (await this.finished(last)) return null;
    await this.schedule(last);
    return last;
  }

  /** Whether the run of the week ending `weekEnd` finished. */
  async finished(weekEnd: string): Promise<boolean> {
    const [row] = await this.deps.db
      .select({ week: libraryDigestWeeks.week })
      .from(libraryDigestWeeks)
      .where(eq(libraryDigestWeeks.week, weekEnd));
    return row !== undefined;
  }

  /**
   * Sends the digest of the week ending at `weekEnd` to everyone who follows something and has not
   * had it yet, then records the week as finished; returns how many got one in this run. A week
   * already finished sends nothing.
   */
  async send(weekEnd: string): Promise<number> {
    const { db, mailer, logger } = this.deps;
    if (await this.finished(weekEnd)) {
      logger.info({ weekEnd }, "library digest already sent");
      return 0;
    }
    const end = mondayAt(weekEnd);
    const start = new Date(end.getTime() - 7 * DAY_MS);
    const followers = await db.selectDistinct({ userId: libraryFollows.userId }).from(libraryFollows);
    let sent = 0;
    for (const { userId } of followers) {
      const follows = await db.select().from(libraryFollows).where(eq(libraryFollows.userId, userId));
      const tags = follows.filter((f) => f.targetKind === "tag").map((f) => f.target);
      const communityIds = follows.filter((f) => f.targetKind === "community").map((f) => f.target);
      const matches = [
        ...(tags.length
          ? tags.map((tag) => sql`${libraryItems.tags} @> ${JSON.stringify([tag])}::jsonb`)
          : []),
        ...(communityIds.length ? [inArray(libraryItems.communityId, communityIds)] : []),
      ];
      if (matches.length === 0) continue;
      const items = await db
        .select({
          id: libraryItems.id,
          title: libraryItems.title,
          summary: libraryItems.summary,
          kind: libraryItems.kind,
        })
        .from(libraryItems)
        .where(
          and(
            canSeeItem(await viewerOf(db, userId)),
            eq(libraryItems.status, "published"),
            gte(libraryItems.publishedAt, start),
            lt(libraryItems.publishedAt, end),
            or(...matches),
          ),
        )
        .orderBy(sql`${libraryItems.publishedAt} DESC`)
        .limit(DIGEST_MAX_ITEMS);
      if (items.length === 0) continue;
      const [person] = await db.select().from(users).where(eq(users.id, userId));
      if (!person) continue;
      const [claimed] = await db
        .insert(libraryDigests)
        .values({ userId, week: weekEnd, items: items.length, sentAt: this.deps.clock.now() })
        .onConflictDoNothing()
        .returning({ userId: libraryDigests.userId });
      if (!claimed) continue; // Already sent by an earlier run.
      try {
        await mailer.send(this.render(person, items, weekEnd));
        sent += 1;
      } catch (err) {
        // Not sent: release the claim so the job's retry sends it.
        await db
          .delete(libraryDigests)
          .where(and(eq(libraryDigests.userId, userId), eq(libraryDigests.week, weekEnd)));
        throw err;
      }
    }
    const [recipients] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(libraryDigests)
      .where(eq(libraryDigests.week, weekEnd));
    await db
      .insert(libraryDigestWeeks)
      .values({ week: weekEnd, recipients: Number(recipients?.n ?? 0), finishedAt: this.deps.clock.now() })
      .onConflictDoNothing();
    logger.info({ weekEnd, sent }, "library digest sent");
    return sent;
  }

  private render(
    person: { email: string; name: string; locale: string },
    items: { id: string; title: string; summary: string }[],
    weekEnd: string,
  ) {
    const base = this.deps.publicUrl();
    const italian = person.locale !== "en";
    const subject = italian
      ? `Convivio: ${items.length} novità nella biblioteca`
      : `Convivio: ${items.length} new in the library`;
    const intro = italian
      ? `Ciao ${person.name}, ecco cosa è stato pubblicato questa settimana su ciò che segui (fino al ${weekEnd}):`
      : `Hello ${person.name}, here is what was published this week on what you follow (up to ${weekEnd}):`;
    const lines = items.map(
      (item) =>
        `• ${item.title}\n  ${item.summary ? `${item.summary}\n  ` : ""}${base}/library/items/${item.id}`,
    );
    const footer = italian
      ? `Per smettere di seguire un'etichetta o una comunità: ${base}/library/following`
      : `To stop following a tag or a community: ${base}/library/following`;
    return { to: person.email, subject, text: [intro, "", ...lines, "", footer].join("\n") };
  }
}
