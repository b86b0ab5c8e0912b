import { Link } from "react-router";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { PublicEventSummary, PublicEventsQuery } from "@convivio/protocol";
import { call } from "../api/client";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { formatDayRange, viewerTimeZone } from "./datetime";
import "../styles/events.css";

type Period = NonNullable<PublicEventsQuery["period"]>;

const PAGE_SIZE: Record<Period, number> = { upcoming: 6, past: 3 };

/** A page at a time of the public events of one period; the next page is fetched on demand. */
function usePublicEvents(period: Period) {
  return useInfiniteQuery({
    queryKey: ["public-events", period],
    queryFn: ({ pageParam, signal }) =>
      call("listPublicEvents", { query: { period, limit: PAGE_SIZE[period], offset: pageParam }, signal }),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, page) => n + page.events.length, 0);
      return loaded < last.total ? loaded : undefined;
    },
  });
}

/**
 * The public events on the home page: what is coming (and on now), then what happened lately.
 * Only public events are listed; unlisted ones are for people with their link. Nothing shows
 * while there is nothing public yet.
 */
export function PublicEventList() {
  const { t } = useTranslation();
  const upcoming = usePublicEvents("upcoming");
  const past = usePublicEvents("past");
  const count = (query: typeof upcoming) => query.data?.pages[0]?.total ?? 0;
  if (upcoming.isError && past.isError) {
    return (
      <section className="section" aria-labelledby="public-events-title">
        <div className="container">
          <h2 id="public-events-title" className="section-title">
            {t("events.public.upcomingTitle")}
          </h2>
          <Alert tone="error">{t("events.public.loadError")}</Alert>
        </div>
      </section>
    );
  }
  if (count(upcoming) === 0 && count(past) === 0) return null;
  return (
    <section className="section public-events" aria-labelledby="public-events-title">
      <div className="container">
        <h2 id="public-events-title" className="section-title">
          {t("events.public.upcomingTitle")}
        </h2>
        {count(upcoming) === 0 ? (
          <p className="muted">{t("events.public.noUpcoming")}</p>
        ) : (
          <EventCards query={upcoming} moreLabel={t("events.public.moreUpcoming")} />
        )}
        {count(past) > 0 ? (
          <>
            <h3 className="public-events-subtitle">{t("events.public.pastTitle")}</h3>
            <EventCards query={past} moreLabel={t("events.public.morePast")} />
          </>
        ) : null}
      </div>
    </section>
  );
}

function EventCards({ query, moreLabel }: { query: ReturnType<typeof usePublicEvents>; moreLabel: string }) {
  const events = query.data?.pages.flatMap((page) => page.events) ?? [];
  return (
    <>
      <ul className="public-event-grid" role="list">
        {events.map((event) => (
          <EventCard key={event.id} event={event} />
        ))}
      </ul>
      {query.hasNextPage ? (
        <div className="public-events-more">
          <Button
            variant="secondary"
            busy={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            {moreLabel}
          </Button>
        </div>
      ) : null}
    </>
  );
}

function EventCard({ event }: { event: PublicEventSummary }) {
  const { t } = useTranslation();
  const locale = INTL_LOCALE[currentLocale()];
  return (
    <li className="card public-event">
      {event.coverUrl ? (
        <img className="public-event-cover" src={event.coverUrl} alt="" loading="lazy" />
      ) : null}
      <div className="public-event-body">
        <p className="public-event-when">
          <time dateTime={event.startsAt}>
            {formatDayRange(event.startsAt, event.endsAt, locale, viewerTimeZone())}
          </time>
        </p>
        <h3 className="public-event-title">
          <Link to={`/e/${event.slug}`}>{event.title}</Link>
        </h3>
        {event.summary ? <p className="public-event-summary">{event.summary}</p> : null}
        {event.languages.length > 0 ? (
          <p className="muted small">
            {event.languages.map((language) => t(`common.languageNames.${language}`)).join(" · ")}
          </p>
        ) : null}
      </div>
    </li>
  );
}
