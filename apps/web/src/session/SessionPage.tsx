// A live session: /e/:slug/s/:sessionId/live. The plenary stage, the session's board, the chat,
// raised hands in order and who is here; facilitators start and end the session from here.
import { createContext, useEffect, useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { SessionId, Slug, type EventDetail, type SessionRole } from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { EmbeddedBoard } from "../boards/BoardPage";
import { ConnectionBadge } from "../boards/ConnectionBadge";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { formatTimeRange, viewerTimeZone } from "../events/datetime";
import { useLiveState } from "../live/live";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { ChatPanel } from "./ChatPanel";
import { HandButton, HandsPanel } from "./HandsPanel";
import { ParticipantList } from "./ParticipantList";
import { VideoStage } from "./VideoStage";
import { useLiveSession, useSessionState } from "./useSession";
import { BreakoutPanel } from "../breakouts/BreakoutPanel";
import { useBreakoutClient, useBreakoutState } from "../breakouts/useBreakouts";
import { MediaHandoffContext, useOwnMediaHandoff } from "./useMediaHandoff";
import "../styles/board.css";
import "../styles/session.css";

/** What a part of the session page (a breakout panel, say) needs to know about where it is. */
export interface SessionPageContextValue {
  slug: string;
  sessionId: string;
  role: SessionRole | null;
}
export const SessionPageContext = createContext<SessionPageContextValue | null>(null);

const WAITING_POLL_MS = 5_000;

export function SessionPage() {
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
  const session = event.data?.sessions.find((s) => s.id === sessionId);
  useDocumentTitle(session?.title ?? t("session.page.title"));

  if (!valid || isApiError(event.error, "not_found") || (event.data && !session)) {
    return (
      <div className="container narrow page-message">
        <h1>{t("session.page.notFound")}</h1>
        <Link to={Slug.safeParse(slug).success ? `/e/${slug}/live` : "/"} className="btn btn-primary">
          {t("session.page.backToLobby")}
        </Link>
      </div>
    );
  }
  if (event.error) {
    return (
      <div className="container page">
        <PageLoadError
          title={t("session.page.loadError")}
          error={event.error}
          onRetry={() => void event.refetch()}
        />
      </div>
    );
  }
  if (!event.data || !session) return <PageLoading />;
  return (
    <MediaHandoffScope>
      <LiveSession event={event.data} sessionId={sessionId} title={session.title} />
    </MediaHandoffScope>
  );
}

/** Camera and microphone tracks travel between the page's video rooms (plenary, tables). */
function MediaHandoffScope({ children }: { children: ReactNode }) {
  const handoff = useOwnMediaHandoff();
  return <MediaHandoffContext.Provider value={handoff}>{children}</MediaHandoffContext.Provider>;
}

function LiveSession({ event, sessionId, title }: { event: EventDetail; sessionId: string; title: string }) {
  const { t } = useTranslation();
  const client = useLiveSession(sessionId);
  const state = useSessionState(client);
  const connection = useLiveState();
  const queryClient = useQueryClient();
  const [tab, setTab] = useState<"chat" | "hands" | "people">("chat");
  const leads = event.roles.includes("organizer") || event.roles.includes("facilitator");
  const breakouts = useBreakoutState(useBreakoutClient(sessionId));
  // At a breakout table, the table's video and board take the place of the plenary's.
  const atTable = (breakouts?.assignment?.table ?? null) !== null && !leads;
  // A facilitator's breakout panel starts afresh when tables open or close, so a visit to a table
  // (and its video room) ends with the tables instead of lingering on a closed one.
  const breakoutPanelKey = leads ? (breakouts?.state?.runId ?? "none") : "seat";
  const waiting = state?.joinError === "session_not_live";
  const restLive = useQuery({
    queryKey: ["session-live", sessionId],
    queryFn: ({ signal }) => call("getSessionLive", { params: { sessionId }, signal }),
    refetchInterval: waiting ? WAITING_POLL_MS : false,
  });
  const status = state?.live?.status ?? restLive.data?.live.status ?? "scheduled";

  // A participant waiting for the start joins as soon as the session is live.
  useEffect(() => {
    if (waiting && restLive.data?.live.status === "live") client?.rejoin();
  }, [waiting, restLive.data, client]);

  const boards = useQuery({
    queryKey: ["session-boards", event.slug, sessionId],
    queryFn: ({ signal }) => call("listSessionBoards", { params: { slug: event.slug, sessionId }, signal }),
    enabled: state?.joined === true,
  });
  const board = boards.data?.boards.find((b) => b.tableId === null);
  const locale = INTL_LOCALE[currentLocale()];
  const agenda = event.sessions.find((s) => s.id === sessionId);

  const lifecycle = async (action: "startSession" | "endSession") => {
    await call(action, { params: { sessionId } });
    await queryClient.invalidateQueries({ queryKey: ["session-live", sessionId] });
    await queryClient.invalidateQueries({ queryKey: ["event-live", event.slug] });
  };

  const hands = state?.hands.length ?? 0;
  const people = state?.participants.length ?? 0;

  return (
    <SessionPageContext.Provider value={{ slug: event.slug, sessionId, role: state?.role ?? null }}>
      <div className="live-page">
        <header className="live-top">
          <div className="live-wide">
            <p className="back-link">
              <Link to={`/e/${event.slug}/live`}>← {t("session.page.backToLobby")}</Link>
            </p>
            <div className="live-title-row">
              <div>
                <h1>{title}</h1>
                <p className="live-subtitle">
                  <span className={`badge badge-${status}`}>{t(`session.status.${status}`)}</span>
                  <span className="muted">
                    {event.title}
                    {agenda
                      ? ` · ${formatTimeRange(agenda.startsAt, agenda.endsAt, locale, viewerTimeZone())}`
                      : ""}
                  </span>
                </p>
              </div>
              <div className="live-actions">
                <ConnectionBadge status={connection.status} pending={0} />
                <HandButton sessionId={sessionId} />
                {leads ? <LifecycleControls status={status} onAction={lifecycle} /> : null}
              </div>
            </div>
          </div>
        </header>

        <div className="live-wide live-alerts" aria-live="polite">
          {connection.problem === "unauthenticated" ? (
            <Alert tone="error" title={t("board.connection.signedOutTitle")}>
              <p>
                <Link to={`/sign-in?next=${encodeURIComponent(`/e/${event.slug}/s/${sessionId}/live`)}`}>
                  {t("shell.nav.signIn")}
                </Link>
              </p>
            </Alert>
          ) : null}
          {state?.joinError === "forbidden" ? (
            <Alert tone="error" title={t("session.page.forbiddenTitle")}>
              <p>
                {t("session.page.forbiddenBody")}{" "}
                <Link to={`/e/${event.slug}`}>{t("session.page.toEvent")}</Link>
              </p>
            </Alert>
          ) : null}
          {state?.joinError && state.joinError !== "forbidden" && !waiting ? (
            <Alert tone="error" title={t("session.page.joinError")}>
              <p>{t(`errors.${state.joinError}`, { defaultValue: t("session.error") })}</p>
            </Alert>
          ) : null}
          {status === "ended" && state?.joined ? (
            <Alert tone="info" title={t("session.page.endedTitle")}>
              <p>{leads ? t("session.page.endedTeam") : t("session.page.endedBody")}</p>
            </Alert>
          ) : null}
        </div>

        {waiting ? (
          <div className="live-wide">
            <section className="card live-waiting" aria-live="polite">
              <h2>{status === "ended" ? t("session.page.endedTitle") : t("session.page.waitingTitle")}</h2>
              <p>{status === "ended" ? t("session.page.endedBody") : t("session.page.waitingBody")}</p>
              <Link to={`/e/${event.slug}/live`} className="btn btn-secondary">
                {t("session.page.backToLobby")}
              </Link>
            </section>
          </div>
        ) : state?.joinError ? null : (
          <div className="live-wide live-layout">
            <div className="live-main">
              {atTable ? null : <VideoStage sessionId={sessionId} />}
              <BreakoutPanel key={breakoutPanelKey} sessionId={sessionId} slug={event.slug} leads={leads} />
              {atTable ? null : (
                <section className="live-board" aria-label={t("session.page.board")}>
                  {board ? (
                    <EmbeddedBoard boardId={board.id} slug={event.slug} />
                  ) : boards.data ? (
                    <p className="muted side-empty">{t("session.page.noBoard")}</p>
                  ) : null}
                </section>
              )}
            </div>
            <aside className="live-side" aria-label={t("session.page.sidebar")}>
              <div className="segmented live-tabs" role="group" aria-label={t("session.page.sidebar")}>
                <button type="button" aria-pressed={tab === "chat"} onClick={() => setTab("chat")}>
                  {t("session.chat.title")}
                </button>
                <button type="button" aria-pressed={tab === "hands"} onClick={() => setTab("hands")}>
                  {t("session.hands.title")} <span className="count">{hands}</span>
                </button>
                <button type="button" aria-pressed={tab === "people"} onClick={() => setTab("people")}>
                  {t("session.people.title")} <span className="count">{people}</span>
                </button>
              </div>
              <div className="live-side-body">
                {tab === "chat" ? <ChatPanel sessionId={sessionId} tableId={null} /> : null}
                {tab === "hands" ? <HandsPanel sessionId={sessionId} /> : null}
                {tab === "people" ? <ParticipantList sessionId={sessionId} /> : null}
              </div>
            </aside>
          </div>
        )}
      </div>
    </SessionPageContext.Provider>
  );
}

function LifecycleControls({
  status,
  onAction,
}: {
  status: "scheduled" | "live" | "ended";
  onAction: (action: "startSession" | "endSession") => Promise<void>;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const run = async (action: "startSession" | "endSession") => {
    setBusy(true);
    setFailed(null);
    try {
      await onAction(action);
      setConfirming(false);
    } catch (error) {
      setFailed(isApiError(error) ? error.code : "internal_error");
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="lifecycle">
      {status !== "live" ? (
        <Button className="btn-small" busy={busy} onClick={() => void run("startSession")}>
          {status === "ended" ? t("session.controls.restart") : t("session.controls.start")}
        </Button>
      ) : confirming ? (
        <span className="lifecycle-confirm" role="group" aria-label={t("session.controls.confirm")}>
          <span>{t("session.controls.confirm")}</span>
          <Button variant="danger" className="btn-small" busy={busy} onClick={() => void run("endSession")}>
            {t("session.controls.endNow")}
          </Button>
          <Button variant="ghost" className="btn-small" onClick={() => setConfirming(false)}>
            {t("session.controls.cancel")}
          </Button>
        </span>
      ) : (
        <Button variant="danger" className="btn-small" onClick={() => setConfirming(true)}>
          {t("session.controls.end")}
        </Button>
      )}
      {failed ? (
        <span className="live-error" role="alert">
          {t(`errors.${failed}`, { defaultValue: t("session.error") })}
        </span>
      ) : null}
    </div>
  );
}
