import { Link, useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Slug, type AgendaSession, type EventDetail } from "@convivio/protocol";
import { ApiError, call, isApiError } from "../api/client";
import { useMe } from "../auth/session";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Alert } from "../ui/Alert";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { RegisterSection } from "../registrations/RegisterSection";
import { groupAgenda } from "./agenda";
import {
  dayKey,
  formatDayHeading,
  formatDayRange,
  formatTimeRange,
  formatTimeZone,
  viewerTimeZone,
} from "./datetime";
import { VisibilityBadge } from "./EventBadges";
import { useNoindex } from "./useNoindex";
import "../styles/events.css";
import { EventBoards } from "../boards/EventBoards";
import { EventCommunityFact } from "../library/EventCommunityFact";
import { AgendaTableSignUp } from "../breakouts/AgendaTableSignUp";

const notFound = new ApiError({ status: 404, code: "not_found", title: "Not found" });

/** An event's public page: what, when, and the programme by day and space. */
export function EventPage() {
  const { t } = useTranslation();
  const slug = useParams().slug ?? "";
  const validSlug = Slug.safeParse(slug).success;
  const event = useQuery({
    queryKey: ["event", slug],
    queryFn: ({ signal }) => call("getEvent", { params: { slug }, signal }),
    enabled: validSlug,
  });
  const error = validSlug ? event.error : notFound;
  const missing = isApiError(error, "not_found");
  useDocumentTitle(missing ? t("event.notFoundTitle") : event.data?.title);
  useNoindex(event.data?.visibility);

  if (missing) {
    return (
      <div className="container narrow page-message">
        <h1>{t("event.notFoundTitle")}</h1>
        <p className="lede">{t("event.notFoundBody")}</p>
        <Link to="/" className="btn btn-primary">
          {t("notFound.home")}
        </Link>
      </div>
    );
  }
  if (error) {
    return (
      <div className="container page">
        <PageLoadError title={t("event.loadError")} error={error} onRetry={() => void event.refetch()} />
      </div>
    );
  }
  if (!event.data) return <PageLoading />;
  return <EventView event={event.data} />;
}

function EventView({ event }: { event: EventDetail }) {
  const { t } = useTranslation();
  const me = useMe();
  const locale = INTL_LOCALE[currentLocale()];
  const viewer = viewerTimeZone();
  const days = groupAgenda(event, viewer);
  // Show the event's own times only where they would read differently from the viewer's.
  const zonesAgree = event.sessions.every(
    (session) =>
      formatTimeRange(session.startsAt, session.endsAt, locale, viewer) ===
        formatTimeRange(session.startsAt, session.endsAt, locale, event.timeZone) &&
      dayKey(session.startsAt, viewer) === dayKey(session.startsAt, event.timeZone),
  );
  const paragraphs = event.description.split(/\n\s*\n/).filter((text) => text.trim() !== "");

  return (
    <article className="event-page">
      <header className={event.coverUrl ? "event-hero has-cover" : "event-hero"}>
        {event.coverUrl ? (
          <div className="event-cover">
            <img src={event.coverUrl} alt="" />
          </div>
        ) : null}
        <div className="container">
          {me.data && event.roles.length > 0 ? (
            <div className="event-team-bar">
              <p className="back-link">
                <Link to="/dashboard">← {t("event.backToDashboard")}</Link>
              </p>
              {event.roles.includes("organizer") ? (
                <Link to={`/manage/${event.slug}`} className="btn btn-secondary btn-small">
                  {t("registrations.manageShell.manageEvent")}
                </Link>
              ) : null}
            </div>
          ) : null}
          {event.visibility !== "public" ? <VisibilityBadge visibility={event.visibility} /> : null}
          <h1>{event.title}</h1>
          <dl className="event-facts">
            <div>
              <dt>{t("event.when")}</dt>
              <dd>{formatDayRange(event.startsAt, event.endsAt, locale, viewer)}</dd>
            </div>
            <div>
              <dt>{t("event.timeZone")}</dt>
              <dd>{formatTimeZone(event.timeZone)}</dd>
            </div>
            <EventCommunityFact slug={event.slug} />
            {event.languages.length > 0 ? (
              <div>
                <dt>{t("event.languages")}</dt>
                <dd>
                  {event.languages.map((language) => (
                    <span key={language} lang={language} className="fact-item">
                      {t(`common.languageNames.${language}`)}
                    </span>
                  ))}
                </dd>
              </div>
            ) : null}
          </dl>
        </div>
      </header>

      <div className="container page">
        {event.visibility !== "public" ? (
          <Alert tone="info">
            {event.visibility === "draft" ? t("event.draftNotice") : t("event.unlistedNotice")}
          </Alert>
        ) : null}

        <div className="event-body">
          {event.descriptionHtml ? (
            // Rendered from Markdown and sanitized by the server: no script, style or frames survive.
            <div
              className="event-description prose"
              dangerouslySetInnerHTML={{ __html: event.descriptionHtml }}
            />
          ) : paragraphs.length > 0 ? (
            <div className="event-description">
              {paragraphs.map((text, index) => (
                <p key={index}>{text}</p>
              ))}
            </div>
          ) : (
            <div />
          )}
          <aside className="event-aside">
            <RegisterSection event={event} />
          </aside>
        </div>

        <EventBoards event={event} />

        {event.sessions.length > 0 ? (
          <section className="card callout live-callout" aria-labelledby="live-callout-title">
            <div>
              <h2 id="live-callout-title">{t("session.link.lobby")}</h2>
              <p>{t("session.link.lobbyHint")}</p>
            </div>
            <Link to={`/e/${event.slug}/live`} className="btn btn-primary">
              {t("session.link.lobby")} →
            </Link>
          </section>
        ) : null}

        <section id="programme" className="programme" aria-labelledby="programme-title">
          <h2 id="programme-title">{t("event.programmeTitle")}</h2>
          {days.length === 0 ? (
            <p className="muted">{t("event.programmeEmpty")}</p>
          ) : (
            <>
              <p className="muted time-zone-note">
                {zonesAgree
                  ? t("event.timeZoneSame", { timeZone: formatTimeZone(event.timeZone) })
                  : t("event.timeZoneDifferent", {
                      viewer: formatTimeZone(viewer),
                      event: formatTimeZone(event.timeZone),
                    })}
              </p>
              {days.map((day) => (
                <section key={day.day} className="agenda-day" aria-labelledby={`day-${day.day}`}>
                  <h3 id={`day-${day.day}`} className="agenda-day-title">
                    {formatDayHeading(day.firstStartsAt, locale, viewer)}
                  </h3>
                  <div className="agenda-tracks">
                    {day.tracks.map((track) => (
                      <section key={track.space?.id ?? "everyone"} className="agenda-track">
                        <h4 className="agenda-track-title">{track.space?.name ?? t("event.wholeEvent")}</h4>
                        <ol className="agenda-sessions">
                          {track.sessions.map((session) => (
                            <SessionItem
                              key={session.id}
                              slug={event.slug}
                              session={session}
                              locale={locale}
                              viewer={viewer}
                              eventTimeZone={zonesAgree ? null : event.timeZone}
                            />
                          ))}
                        </ol>
                      </section>
                    ))}
                  </div>
                </section>
              ))}
            </>
          )}
        </section>
      </div>
    </article>
  );
}

function SessionItem({
  slug,
  session,
  locale,
  viewer,
  eventTimeZone,
}: {
  slug: string;
  session: AgendaSession;
  locale: string;
  viewer: string;
  eventTimeZone: string | null;
}) {
  const { t } = useTranslation();
  return (
    <li className="agenda-session" id={`session-${session.id}`}>
      <p className="agenda-time">
        <time dateTime={session.startsAt}>
          {formatTimeRange(session.startsAt, session.endsAt, locale, viewer)}
        </time>
        {eventTimeZone ? (
          <span className="agenda-event-time">
            {t("event.eventTime", {
              time: formatTimeRange(session.startsAt, session.endsAt, locale, eventTimeZone),
              timeZone: formatTimeZone(eventTimeZone),
            })}
          </span>
        ) : null}
      </p>
      <p className="agenda-title">
        <Link to={`/e/${slug}/s/${session.id}`} className="agenda-title-link">
          {session.title}
        </Link>
        <span className={`kind kind-${session.kind}`}>{t(`sessionKind.${session.kind}`)}</span>
      </p>
      {session.speakers.length > 0 ? (
        <p className="agenda-speakers">
          {t("events.agenda.speakers", {
            count: session.speakers.length,
            names: session.speakers.map((p) => p.name).join(", "),
          })}
        </p>
      ) : null}
      {session.descriptionHtml ? (
        // Rendered from Markdown and sanitized by the server: no script, style or frames survive.
        <div
          className="agenda-description prose"
          dangerouslySetInnerHTML={{ __html: session.descriptionHtml }}
        />
      ) : null}
      <AgendaTableSignUp slug={slug} sessionId={session.id} />
    </li>
  );
}
