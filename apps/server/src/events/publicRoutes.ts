// The public list of events (the home page's "upcoming" and "past"): public events only, never
// unlisted or draft ones, a page at a time.
import { and, asc, count, desc, eq, eventCovers, events, gt, inArray, lte, type Db } from "@convivio/db";
import { PUBLIC_EVENTS_LIMITS, type EventId, type PublicEventSummary } from "@convivio/protocol";
import type { Clock } from "../auth/clock.js";
import { bindRoutes } from "../http/routes.js";
import { plainSummary } from "./summary.js";

export function publicEventRoutes({ db, clock }: { db: Db; clock: Clock }) {
  return bindRoutes({
    listPublicEvents: async ({ query }) => {
      const now = clock.now();
      const upcoming = query.period === "upcoming";
      // Upcoming includes what is on right now (not yet ended), soonest first; past, latest first.
      const where = and(
        eq(events.visibility, "public"),
        upcoming ? gt(events.endsAt, now) : lte(events.endsAt, now),
      );
      const [rows, [total]] = await Promise.all([
        db
          .select()
          .from(events)
          .where(where)
          .orderBy(upcoming ? asc(events.startsAt) : desc(events.startsAt), asc(events.id))
          .limit(query.limit)
          .offset(query.offset),
        db.select({ n: count() }).from(events).where(where),
      ]);
      const covered = rows.length
        ? new Set(
            (
              await db
                .select({ eventId: eventCovers.eventId })
                .from(eventCovers)
                .where(
                  inArray(
                    eventCovers.eventId,
                    rows.map((r) => r.id),
                  ),
                )
            ).map((c) => c.eventId),
          )
        : new Set<string>();
      const list: PublicEventSummary[] = rows.map((event) => ({
        id: event.id as EventId,
        slug: event.slug,
        title: event.title,
        timeZone: event.timeZone,
        startsAt: event.startsAt.toISOString(),
        endsAt: event.endsAt.toISOString(),
        languages: event.languages.filter((l): l is "it" | "en" => l === "it" || l === "en"),
        summary: plainSummary(event.description, PUBLIC_EVENTS_LIMITS.summaryMaxLength),
        coverUrl: covered.has(event.id)
          ? `/api/events/${event.slug}/cover?v=${event.updatedAt.getTime()}`
          : null,
      }));
      return { status: 200, body: { events: list, total: total?.n ?? 0 } };
    },
  });
}
