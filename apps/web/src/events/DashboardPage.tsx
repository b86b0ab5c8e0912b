import { Link } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { EventSummary } from "@convivio/protocol";
import { call } from "../api/client";
import { useNotice } from "../auth/notices";
import { useMe } from "../auth/session";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Alert } from "../ui/Alert";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { dayKey, formatDayRange, formatTimeRange, formatTimeZone, viewerTimeZone } from "./datetime";
import { RoleList, VisibilityBadge } from "./EventBadges";

export const myEventsQueryKey = ["me", "events"] as const;

/** The organizer's home: every event where the signed-in person holds a role. */
export function DashboardPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("dashboard.title"));
  const me = useMe();
  const notice = useNotice();
  const events = useQuery({
    queryKey: myEventsQueryKey,
    queryFn: ({ signal }) => call("listMyEvents", { signal }),
    select: (data) => [...data.events].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)),
  });
  const timeZone = viewerTimeZone();

  return (
    <div className="container page">
      <header className="page-header page-header-actions">
        <div>
          {me.data ? <p className="eyebrow">{t("dashboard.greeting", { name: me.data.name })}</p> : null}
          <h1>{t("dashboard.title")}</h1>
          <p className="muted">{t("dashboard.intro")}</p>
        </div>
        <Link to="/events/new" className="btn btn-primary">
          {t("registrations.newEvent.action")}
        </Link>
      </header>

      <div role="status" className="form-alert">
        {notice === "passwordReset" ? <Alert tone="success">{t("reset.done")}</Alert> : null}
      </div>

      {events.isPending ? (
        <PageLoading />
      ) : events.isError ? (
        <PageLoadError
          title={t("dashboard.loadError")}
          error={events.error}
          onRetry={() => void events.refetch()}
        />
      ) : events.data.length === 0 ? (
        <EmptyDashboard />
      ) : (
        <>
          <p className="list-meta">
            <span>{t("dashboard.count", { count: events.data.length })}</span>
            <span>{t("dashboard.timeZoneNote", { timeZone: formatTimeZone(timeZone) })}</span>
          </p>
          <ul className="event-grid" role="list">
            {events.data.map((event) => (
              <EventCard key={event.id} event={event} timeZone={timeZone} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function EventCard({ event, timeZone }: { event: EventSummary; timeZone: string }) {
  const { t } = useTranslation();
  const locale = INTL_LOCALE[currentLocale()];
  const isOrganizer = event.roles.includes("organizer");
  return (
    <li className="card event-card">
      <div className="event-card-top">
        <VisibilityBadge visibility={event.visibility} />
      </div>
      <h2 className="event-card-title">
        {/* Organizers open the event's console; everyone else its public page. */}
        <Link to={isOrganizer ? `/manage/${event.slug}` : `/e/${event.slug}`} className="stretched-link">
          {event.title}
        </Link>
      </h2>
      <p className="event-card-when">
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M4 6h16v14H4zM4 10h16M8 3v4m8-4v4" />
        </svg>
        <span>
          {formatDayRange(event.startsAt, event.endsAt, locale, timeZone)}
          {/* Hours help for a one-day event; across days the range already says enough. */}
          {dayKey(event.startsAt, timeZone) === dayKey(event.endsAt, timeZone) ? (
            <span className="muted">
              {" "}
              · {formatTimeRange(event.startsAt, event.endsAt, locale, timeZone)}
            </span>
          ) : null}
        </span>
      </p>
      <div className="event-card-roles">
        <span className="visually-hidden">{t("dashboard.rolesLabel")}: </span>
        <RoleList roles={event.roles} />
      </div>
      <Link to={`/e/${event.slug}/live`} className="event-card-live">
        {t("session.link.lobby")}
        <span className="visually-hidden">: {event.title}</span>
      </Link>
      {/* A visual cue only: the title's link already covers the card and names it. */}
      <p className="event-card-more" aria-hidden="true">
        {isOrganizer ? t("registrations.manageShell.manageEvent") : t("dashboard.openEvent")} →
      </p>
    </li>
  );
}

function EmptyDashboard() {
  const { t } = useTranslation();
  return (
    <section className="card empty-state" aria-labelledby="empty-title">
      <svg className="empty-art" viewBox="0 0 120 96" aria-hidden="true" focusable="false">
        <rect x="14" y="18" width="92" height="66" rx="10" className="empty-art-card" />
        <path d="M14 36h92M38 10v16M82 10v16" className="empty-art-line" />
        <circle cx="44" cy="58" r="6" className="empty-art-dot" />
        <circle cx="60" cy="58" r="6" className="empty-art-dot" />
        <circle cx="76" cy="58" r="6" className="empty-art-dot empty-art-accent" />
      </svg>
      <h2 id="empty-title">{t("dashboard.emptyTitle")}</h2>
      <p>{t("dashboard.emptyBody")}</p>
      <p className="muted">{t("dashboard.emptyHint")}</p>
      <div className="actions actions-center">
        <Link to="/events/new" className="btn btn-primary">
          {t("registrations.newEvent.action")}
        </Link>
        <Link to="/account" className="btn btn-secondary">
          {t("dashboard.emptyAction")}
        </Link>
      </div>
    </section>
  );
}
