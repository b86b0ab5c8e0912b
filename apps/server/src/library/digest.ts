// The weekly digest: every Monday (00:00 UTC) each person who follows a tag or a community gets
// one email listing the items published in the week before that they may see (the visibility
// rule decides, as everywhere) and that match what they follow. One job per week (id by week, so
// every node may schedule it and it runs once); each person's digest is claimed in
// library_digests before it is sent, so a retried or repeated run sends nobody twice.
import {
  and,
  eq,
  gte,
  inArray,
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
/** Most items one digest lists; the rest are a link away. */
const DIGEST_MAX_ITEMS = 30;

/** The Monday 00:00 UTC after `now` (the end of the week a digest covers). */
export function nextWeekEnd(now: Date): string {
  const day = now.getUTCDay(); // 0 = Sunday
  const daysToMonday = (8 - day) % 7 || 7;
  const monday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + daysToMonday);
  return new Date(monday).toISOString().slice(0, 10);
}

export interface DigestDeps {
  db: Db;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  jobs: Jobs;
  publicUrl: () => string;
}

export class LibraryDigest {
  constructor(private readonly deps: DigestDeps) {
    deps.jobs.define<LibraryDigestJob>({
      name: JobName.libraryDigest,
      schema: LibraryDigestJob,
      attempts: 5,
      handler: async ({ weekEnd }) => {
        await this.send(weekEnd);
        // The next week's run: a new id, as a handler that re-arms itself must use.
        await this.arm(new Date(Date.parse(`${weekEnd}T00:00:00Z`) + DAY_MS));
      },
    });
  }

  /** Schedules the digest for the Monday after `now`. Call after jobs.start(). */
  async arm(now: Date = this.deps.clock.now()): Promise<string> {
    const weekEnd = nextWeekEnd(now);
    await this.deps.jobs.schedule(
      JobName.libraryDigest,
      `library-digest:${weekEnd}`,
      { weekEnd } satisfies LibraryDigestJob,
      new Date(`${weekEnd}T00:00:00Z`),
    );
    return weekEnd;
  }

  /** Sends the digest of the week ending at `weekEnd` to everyone who follows something; returns how many got one. */
  async send(weekEnd: string): Promise<number> {
    const { db, mailer, logger } = this.deps;
    const end = new Date(`${weekEnd}T00:00:00Z`);
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
