// The live board page: /e/:slug/boards/:boardId. The REST snapshot shows the board at once (and
// tells us our role); the live connection then keeps it current and carries every command.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  BoardId,
  Slug,
  type BoardRole,
  type BoardSummary,
  type BoardView,
  type EventDetail,
  type IdeaId,
} from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { useBoardClient, useLiveState } from "../live/live";
import type { BoardCommandInput } from "../live/BoardClient";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import type { Message } from "../ui/message";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { Columns } from "./Columns";
import { ConnectionBadge, PresenceCount } from "./ConnectionBadge";
import { BoardContext, type BoardContextValue, type BoardDialog } from "./context";
import { FacilitatorPanel } from "./FacilitatorPanel";
import { GroupBar } from "./GroupBar";
import { IdeaDialog } from "./IdeaDialogs";
import { ackMessage } from "./messages";
import { abilitiesOf } from "./model";
import { PhaseBanner } from "./PhaseBanner";
import { ResultsView } from "./ResultsView";
import { SettingsDialog } from "./SettingsDialog";
import { usePeople } from "./usePeople";
import "../styles/board.css";

export function BoardPage() {
  const { t } = useTranslation();
  const params = useParams();
  const slug = params.slug ?? "";
  const boardId = params.boardId ?? "";
  const valid = BoardId.safeParse(boardId).success && Slug.safeParse(slug).success;
  const board = useQuery({
    queryKey: ["board", boardId],
    queryFn: ({ signal }) => call("getBoard", { params: { boardId }, signal }),
    enabled: valid,
    // The live connection keeps the board current; this is only its first picture.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const event = useQuery({
    queryKey: ["event", slug],
    queryFn: ({ signal }) => call("getEvent", { params: { slug }, signal }),
    enabled: valid,
  });
  useDocumentTitle(board.data?.board.title ?? t("board.page.title"));

  const error = valid ? board.error : null;
  if (!valid || isApiError(error, "not_found")) {
    return (
      <div className="container narrow page-message">
        <h1>{t("board.page.notFoundTitle")}</h1>
        <p className="lede">{t("board.page.notFoundBody")}</p>
        <Link to={Slug.safeParse(slug).success ? `/e/${slug}` : "/"} className="btn btn-primary">
          {t("board.page.backToEvent")}
        </Link>
      </div>
    );
  }
  if (isApiError(error, "forbidden")) {
    return (
      <div className="container narrow page-message">
        <h1>{t("board.page.forbiddenTitle")}</h1>
        <p className="lede">{t("board.page.forbiddenBody")}</p>
        <Link to={`/e/${slug}`} className="btn btn-primary">
          {t("board.page.backToEvent")}
        </Link>
      </div>
    );
  }
  if (error) {
    return (
      <div className="container page">
        <PageLoadError title={t("board.page.loadError")} error={error} onRetry={() => void board.refetch()} />
      </div>
    );
  }
  if (!board.data) return <PageLoading />;
  return (
    <LiveBoard
      key={board.data.board.id}
      summary={board.data.board}
      role={board.data.role}
      initialView={board.data.view}
      event={event.data}
      slug={slug}
    />
  );
}

/**
 * The live board without its page: for a session page (or a table) that shows the board beside
 * video and chat. Loads the board's first picture, then stays live like the board page.
 */
export function EmbeddedBoard({ boardId, slug }: { boardId: string; slug: string }) {
  const { t } = useTranslation();
  const board = useQuery({
    queryKey: ["board", boardId],
    queryFn: ({ signal }) => call("getBoard", { params: { boardId }, signal }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  if (board.error) {
    return (
      <Alert tone="error" title={t("board.page.loadError")}>
        <Button variant="secondary" className="btn-small" onClick={() => void board.refetch()}>
          {t("board.connection.reload")}
        </Button>
      </Alert>
    );
  }
  if (!board.data) return <PageLoading />;
  return (
    <LiveBoard
      key={board.data.board.id}
      summary={board.data.board}
      role={board.data.role}
      initialView={board.data.view}
      event={undefined}
      slug={slug}
      embedded
    />
  );
}

interface Notice {
  id: number;
  message: Message;
  tone: "info" | "error";
}

const NOTICE_MS = 6_000;

function LiveBoard({
  summary,
  role,
  initialView,
  event,
  slug,
  embedded = false,
}: {
  summary: BoardSummary;
  role: BoardRole;
  initialView: BoardView;
  event: EventDetail | undefined;
  slug: string;
  /** Inside another page: a compact heading instead of the page header. */
  embedded?: boolean;
}) {
  const { t } = useTranslation();
  const { client, state } = useBoardClient(summary.id);
  const live = useLiveState();
  const view = state.view ?? initialView;
  const abilities = useMemo(() => abilitiesOf(view, role), [view, role]);
  const names = usePeople(summary.id, view);
  const [dialog, setDialog] = useState<BoardDialog | null>(null);
  const [dragging, setDragging] = useState<IdeaId | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [chosenTab, setChosenTab] = useState<"board" | "results" | null>(null);
  const nextNotice = useRef(0);

  const notify = useCallback((message: Message, tone: "info" | "error" = "info") => {
    const id = ++nextNotice.current;
    setNotices((list) => [...list.slice(-2), { id, message, tone }]);
    setTimeout(() => setNotices((list) => list.filter((notice) => notice.id !== id)), NOTICE_MS);
  }, []);

  const send = useCallback(
    async (command: BoardCommandInput) => {
      const ack = await client.send(command);
      if (!ack.ok) notify(ackMessage(ack.code), "error");
      return ack;
    },
    [client, notify],
  );

  // Leaving with changes not yet confirmed by the server would lose them.
  useEffect(() => {
    if (state.pending === 0) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [state.pending]);

  const context = useMemo<BoardContextValue>(
    () => ({
      view,
      role,
      abilities,
      names,
      clockOffsetMs: live.clockOffsetMs,
      send,
      open: setDialog,
      notify,
      dragging,
      setDragging,
    }),
    [view, role, abilities, names, live.clockOffsetMs, send, notify, dragging],
  );

  const session = event?.sessions.find((s) => s.id === summary.sessionId);
  const resultsAvailable = view.meta.votesVisible;
  const tab = !resultsAvailable
    ? "board"
    : (chosenTab ?? (view.meta.phase === "reveal" || view.meta.phase === "closed" ? "results" : "board"));

  return (
    <BoardContext.Provider value={context}>
      <div className={embedded ? "board-page board-embedded" : "board-page"}>
        {embedded ? (
          <div className="board-wide board-embedded-top">
            <h2>
              <Link to={`/e/${slug}/boards/${summary.id}`}>{summary.title}</Link>
            </h2>
            <PresenceCount count={state.presence} />
          </div>
        ) : (
          <header className="board-top">
            <div className="board-wide">
              <p className="back-link">
                <Link to={`/e/${slug}`}>← {event?.title ?? t("board.page.backToEvent")}</Link>
              </p>
              <div className="board-title-row">
                <div className="board-heading">
                  <h1>{summary.title}</h1>
                  {session ? <p className="board-session">{session.title}</p> : null}
                </div>
                <div className="board-status">
                  <PresenceCount count={state.presence} />
                  <ConnectionBadge status={live.status} pending={state.pending} />
                </div>
              </div>
            </div>
          </header>
        )}

        {live.problem || state.joinError ? (
          <div className="board-wide board-alerts">
            {live.problem === "unauthenticated" ? (
              <Alert tone="error" title={t("board.connection.signedOutTitle")}>
                <p>
                  {t("board.connection.signedOutBody")}{" "}
                  <Link to={`/sign-in?next=${encodeURIComponent(`/e/${slug}/boards/${summary.id}`)}`}>
                    {t("shell.nav.signIn")}
                  </Link>
                </p>
              </Alert>
            ) : null}
            {live.problem === "version_mismatch" ? (
              <Alert tone="error" title={t("errors.version_mismatch")}>
                <Button variant="secondary" className="btn-small" onClick={() => window.location.reload()}>
                  {t("board.connection.reload")}
                </Button>
              </Alert>
            ) : null}
            {state.joinError ? (
              <Alert tone="error" title={t("board.page.joinError")}>
                <p>{t(ackMessage(state.joinError).key)}</p>
              </Alert>
            ) : null}
          </div>
        ) : null}

        <PhaseBanner />

        <div className="board-wide board-body">
          {role === "facilitator" ? <FacilitatorPanel /> : null}
          {abilities.group ? <GroupBar /> : null}
          {resultsAvailable ? (
            <div className="segmented board-tabs" role="group" aria-label={t("board.page.viewLabel")}>
              <button type="button" aria-pressed={tab === "board"} onClick={() => setChosenTab("board")}>
                {t("board.page.tabBoard")}
              </button>
              <button type="button" aria-pressed={tab === "results"} onClick={() => setChosenTab("results")}>
                {t("board.page.tabResults")}
              </button>
            </div>
          ) : null}
          {tab === "results" ? <ResultsView /> : <Columns />}
        </div>

        <div className="notices" aria-live="polite">
          {notices.map((notice) => (
            <div
              key={notice.id}
              className={`notice notice-${notice.tone}`}
              role={notice.tone === "error" ? "alert" : undefined}
            >
              <span>{t(notice.message.key, notice.message.values)}</span>
              <button
                type="button"
                className="icon-button"
                onClick={() => setNotices((list) => list.filter((n) => n.id !== notice.id))}
              >
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  <path d="M6 6l12 12M18 6 6 18" />
                </svg>
                <span className="visually-hidden">{t("board.common.close")}</span>
              </button>
            </div>
          ))}
        </div>

        {dialog ? (
          dialog.kind === "settings" ? (
            <SettingsDialog onClose={() => setDialog(null)} />
          ) : (
            <IdeaDialog dialog={dialog} onClose={() => setDialog(null)} />
          )
        ) : null}
      </div>
    </BoardContext.Provider>
  );
}
