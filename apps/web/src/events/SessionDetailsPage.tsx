import { Link, useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { SessionId, Slug, type EventDetail, type SessionDetail } from "@convivio/protocol";
import { ApiError, call, isApiError } from "../api/client";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { registrationFormQueryKey, useViewerRegistration } from "../registrations/access";
import { SessionSeats } from "../registrations/SessionSeats";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { dayKey, formatDayHeading, formatTimeRange, formatTimeZone, viewerTimeZone } from "./datetime";
import { VisibilityBadge } from "./EventBadges";
import { useNoindex } from "./useNoindex";
import "../styles/events.css";

const notFound = new ApiError({ status: 404, code: "not_found", title: "Not found" });

/** One session's public page: what, when (the viewer's time and the event's), where, who, seats. */
export function SessionDetailsPage() {
  const { t } = useTranslation();
  const params = useParams();
  const slug = params.slug ?? "";
  const sessionId = params.sessionId ?? "";
  const valid = Slug.safeParse(slug).success && SessionId.safeParse(sessionId).success;
  const event = useQuery({
    queryKey: ["event", slug],
    queryFn: ({ signal }) => call("getEvent", { params: { slug }, signal }),
    enabled: valid,
  });
  const session = useQuery({
    queryKey: ["event", slug, "session", sessionId],
    queryFn: ({ signal }) => call("getSession", { params: { slug, sessionId }, signal }),
    enabled: valid,
  });
  const error = valid ? (event.error ?? session.error) : notFound;
  const missing = isApiError(error, "not_found");
  useDocumentTitle(missing ? t("events.session.notFoundTitle") : session.data?.session.title);
  useNoindex(event.data?.visibility);

  if (missing) {
    return (
      <div className="container narrow page-message">
        <h1>{t("events.session.notFoundTitle")}</h1>
        <p className="lede">{t("events.session.notFoundBody")}</p>
        <Link to={event.data ? `/e/${slug}` : "/"} className="btn btn-primary">
          {event.data ? t("events.session.toEvent") : t("notFound.home")}
        </Link>
      </div>
    );
  }
  if (error) {
    return (
      <div className="container page">
        <PageLoadError
          title={t("events.session.loadError")}
          error={error}
          onRetry={() => void Promise.all([event.refetch(), session.refetch()])}
        />
      </div>
    );
  }
  if (!event.data || !session.data) return <PageLoading />;
  return <SessionView event={event.data} session={session.data.session} />;
}

function SessionView({ event, session }: { event: EventDetail; session: SessionDetail }) {
  const { t } = useTranslation();
  const locale = INTL_LOCALE[currentLocale()];
  const viewer = viewerTimeZone();
  const space = event.spaces.find((s) => s.id === session.spaceId);
  const inViewer = formatTimeRange(session.startsAt, session.endsAt, locale, viewer);
  const inEvent = formatTimeRange(session.startsAt, session.endsAt, locale, event.timeZone);
  // The event's own time beside the viewer's, where the two would read differently.
  const zonesDiffer =
    inViewer !== inEvent || dayKey(session.startsAt, viewer) !== dayKey(session.startsAt, event.timeZone);
  // The form's count follows seats taken or given back on this page (it is what they refresh).
  const form = useQuery({
    queryKey: registrationFormQueryKey(event.slug),
    queryFn: ({ signal }) => call("getRegistrationForm", { params: { slug: event.slug }, signal }),
    enabled: session.registrationEnabled,
  });
  const fromForm = form.data?.sessions.find((s) => s.sessionId === session.id);
  const seatsLeft = fromForm
    ? fromForm.seatsLeft
    : session.capacity === null || session.seatsTaken === null
      ? null
      : Math.max(0, session.capacity - session.seatsTaken);
  const names = (people: SessionDetail["speakers"]) => people.map((p) => p.name).join(", ");

  return (
    <article className="session-page">
      <div className="container narrow page">
        <p className="back-link">
          <Link to={`/e/${event.slug}#session-${session.id}`}>
            ← {t("events.session.backToAgenda", { title: event.title })}
          </Link>
        </p>
        <header className="page-header session-header">
          <p className="session-eyebrow">
            <span className={`kind kind-${session.kind}`}>{t(`sessionKind.${session.kind}`)}</span>
            {event.visibility !== "public" ? <VisibilityBadge visibility={event.visibility} /> : null}
          </p>
          <h1>{session.title}</h1>
        </header>

        <dl className="session-facts">
          <div>
            <dt>{t("events.session.when")}</dt>
            <dd>
              <span className="session-day">{formatDayHeading(session.startsAt, locale, viewer)}</span>{" "}
              <time dateTime={session.startsAt}>{inViewer}</time>{" "}
              <span className="muted">({formatTimeZone(viewer)})</span>
              {zonesDiffer ? (
                <span className="session-event-time">
                  {t("event.eventTime", {
                    time: `${formatDayHeading(session.startsAt, locale, event.timeZone)} ${inEvent}`,
                    timeZone: formatTimeZone(event.timeZone),
                  })}
                </span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>{t("events.session.where")}</dt>
            <dd>{space?.name ?? t("event.wholeEvent")}</dd>
          </div>
          {session.speakers.length > 0 ? (
            <div>
              <dt>{t("events.session.speakers", { count: session.speakers.length })}</dt>
              <dd>{names(session.speakers)}</dd>
            </div>
          ) : null}
          {session.facilitators.length > 0 ? (
            <div>
              <dt>{t("events.session.facilitators", { count: session.facilitators.length })}</dt>
              <dd>{names(session.facilitators)}</dd>
            </div>
          ) : null}
          {session.registrationEnabled ? (
            <div>
              <dt>{t("events.session.seats")}</dt>
              <dd>
                {seatsLeft === null
                  ? t("registrations.seats.unlimited")
                  : seatsLeft === 0
                    ? session.waitlist
                      ? t("registrations.seats.fullWaitlist")
                      : t("registrations.seats.full")
                    : t("events.session.seatsOf", { count: seatsLeft, capacity: session.capacity })}
              </dd>
            </div>
          ) : null}
        </dl>

        {session.descriptionHtml ? (
          // Rendered from Markdown and sanitized by the server: no script, style or frames survive.
          <div
            className="session-description prose"
            dangerouslySetInnerHTML={{ __html: session.descriptionHtml }}
          />
        ) : null}

        {session.registrationEnabled ? <SeatCard event={event} session={session} /> : null}
      </div>
    </article>
  );
}

/** The viewer's seat in this session, or how to get one. */
function SeatCard({ event, session }: { event: EventDetail; session: SessionDetail }) {
  const { t } = useTranslation();
  const viewer = useViewerRegistration(event.id);
  const active =
    viewer.registration &&
    viewer.registration.status !== "cancelled" &&
    viewer.registration.status !== "rejected";
  if (viewer.isPending) return null;
  return (
    <section className="card session-seat-card">
      {active ? (
        <SessionSeats
          registration={viewer.registration!}
          slug={event.slug}
          token={viewer.token}
          headingLevel={2}
          only={session.id}
          heading={t("events.session.seatTitle")}
          intro={t("events.session.seatIntro")}
        />
      ) : (
        <>
          <h2>{t("events.session.seatTitle")}</h2>
          <p className="muted">{t("events.session.registerFirst")}</p>
          <Link to={`/e/${event.slug}#register`} className="btn btn-primary">
            {t("events.session.registerLink")}
          </Link>
        </>
      )}
    </section>
  );
}
