// The lobby of an event's live day: /e/:slug/live. The agenda by day, each session with its live
// state (polled, so a session that starts shows its Join button within seconds); the team can open
// any session to start it.
import { Link, useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Slug, type AgendaSession, type EventDetail, type SessionLiveState } from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { groupAgenda } from "../events/agenda";
import { formatDayHeading, formatTimeRange, viewerTimeZone } from "../events/datetime";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { liveNow, lobbyAction, statusOf } from "./liveStatus";
import { AgendaTableSignUp } from "../breakouts/AgendaTableSignUp";
import "../styles/session.css";

/** How often the lobby asks which sessions are live. */
export const LOBBY_POLL_MS = 5_000;

export function LobbyPage() {
  const { t } = useTranslation();
  const slug = useParams().slug ?? "";
  const valid = Slug.safeParse(slug).success;
  const event = useQuery({
    queryKey: ["event", slug],
    queryFn: ({ signal }) => call("getEvent", { params: { slug }, signal }),
    enabled: valid,
  });
  const live = useQuery({
    queryKey: ["event-live", slug],
    queryFn: ({ signal }) => call("getEventLive", { params: { slug }, signal }),
    enabled: valid,
    refetchInterval: LOBBY_POLL_MS,
  });
  useDocumentTitle(
    event.data ? t("session.lobby.documentTitle", { title: event.data.title }) : t("session.lobby.title"),
  );

  if (!valid || isApiError(event.error, "not_found")) {
    return (
      <div className="container narrow page-message">
        <h1>{t("session.lobby.notFound")}</h1>
        <Link to="/" className="btn btn-primary">
          {t("notFound.home")}
        </Link>
      </div>
    );
  }
  if (event.error) {
    return (
      <div className="container page">
        <PageLoadError
          title={t("session.lobby.loadError")}
          error={event.error}
          onRetry={() => void event.refetch()}
        />
      </div>
    );
  }
  if (!event.data) return <PageLoading />;
  return <Lobby event={event.data} states={live.data?.sessions} />;
}

function Lobby({ event, states }: { event: EventDetail; states: SessionLiveState[] | undefined }) {
  const { t } = useTranslation();
  const locale = INTL_LOCALE[currentLocale()];
  const viewer = viewerTimeZone();
  const days = groupAgenda(event, viewer);
  const leads = event.roles.includes("organizer") || event.roles.includes("facilitator");
  const now = liveNow(event.sessions, states);

  return (
    <div className="container page lobby">
      <p className="back-link">
        <Link to={`/e/${event.slug}`}>← {event.title}</Link>
      </p>
      <header className="lobby-header">
        <p className="eyebrow">{t("session.lobby.eyebrow")}</p>
        <h1>{event.title}</h1>
        <p className="lede">{leads ? t("session.lobby.introTeam") : t("session.lobby.intro")}</p>
      </header>

      <section className="lobby-now" aria-labelledby="live-now">
        <h2 id="live-now">{t("session.lobby.liveNow")}</h2>
        {now.length === 0 ? (
          <p className="muted lobby-nothing">{t("session.lobby.nothingLive")}</p>
        ) : (
          <ul className="lobby-live-list">
            {now.map((session) => (
              <li key={session.id} className="lobby-live-card">
                <span className="badge badge-live">{t("session.status.live")}</span>
                <h3>{session.title}</h3>
                <p className="muted">{formatTimeRange(session.startsAt, session.endsAt, locale, viewer)}</p>
                <Link
                  to={`/e/${event.slug}/s/${session.id}/live`}
                  className="btn btn-primary"
                  aria-label={`${t("session.lobby.join")}: ${session.title}`}
                >
                  {t("session.lobby.join")}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="lobby-agenda" aria-labelledby="lobby-agenda">
        <h2 id="lobby-agenda">{t("session.lobby.agenda")}</h2>
        {days.length === 0 ? <p className="muted">{t("event.programmeEmpty")}</p> : null}
        {days.map((day) => (
          <section key={day.day} className="lobby-day" aria-labelledby={`lobby-day-${day.day}`}>
            <h3 id={`lobby-day-${day.day}`}>{formatDayHeading(day.firstStartsAt, locale, viewer)}</h3>
            <ol className="lobby-sessions">
              {day.tracks
                .flatMap((track) =>
                  track.sessions.map((session) => ({ session, space: track.space?.name ?? null })),
                )
                .sort((a, b) => Date.parse(a.session.startsAt) - Date.parse(b.session.startsAt))
                .map(({ session, space }) => (
                  <LobbySession
                    key={session.id}
                    slug={event.slug}
                    session={session}
                    space={space}
                    status={statusOf(states, session.id)}
                    leads={leads}
                    time={formatTimeRange(session.startsAt, session.endsAt, locale, viewer)}
                  />
                ))}
            </ol>
          </section>
        ))}
      </section>
    </div>
  );
}

function LobbySession({
  slug,
  session,
  space,
  status,
  leads,
  time,
}: {
  slug: string;
  session: AgendaSession;
  space: string | null;
  status: "scheduled" | "live" | "ended";
  leads: boolean;
  time: string;
}) {
  const { t } = useTranslation();
  const action = lobbyAction(status, leads);
  return (
    <li className={`lobby-session lobby-${status}`}>
      <p className="lobby-time">{time}</p>
      <div className="lobby-session-main">
        <p className="lobby-session-title">{session.title}</p>
        <p className="lobby-session-meta">
          <span className={`badge badge-${status}`}>{t(`session.status.${status}`)}</span>
          {space ? <span className="muted">{space}</span> : null}
        </p>
        {status !== "ended" ? <AgendaTableSignUp slug={slug} sessionId={session.id} /> : null}
      </div>
      {action ? (
        <Link
          to={`/e/${slug}/s/${session.id}/live`}
          className={action === "join" ? "btn btn-primary btn-small" : "btn btn-secondary btn-small"}
          aria-label={`${action === "join" ? t("session.lobby.join") : t("session.lobby.open")}: ${session.title}`}
        >
          {action === "join" ? t("session.lobby.join") : t("session.lobby.open")}
        </Link>
      ) : null}
    </li>
  );
}
