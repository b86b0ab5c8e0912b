// The event page's "Idea boards" section: the boards of the event's sessions for the people who
// may join them, and a form for organizers and facilitators to open a new one.
import { useId, useState } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  DEFAULT_BOARD_SETTINGS,
  Permission,
  rolesAllow,
  type BoardSettingsInput,
  type BoardSummary,
  type EventDetail,
} from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { useMe } from "../auth/session";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { newColumnId } from "./model";
import "../styles/board.css";

export function EventBoards({ event }: { event: EventDetail }) {
  const { t } = useTranslation();
  const me = useMe();
  const signedIn = Boolean(me.data);
  const canCreate = rolesAllow(event.roles, Permission.facilitateSession) && event.sessions.length > 0;
  const boards = useQuery({
    queryKey: ["boards", event.slug],
    queryFn: ({ signal }) => call("listEventBoards", { params: { slug: event.slug }, signal }),
    enabled: signedIn,
  });
  const [creating, setCreating] = useState(false);
  const headingId = useId();

  // Boards are for the event's team and registered participants; others see nothing of them.
  if (!signedIn || isApiError(boards.error, "forbidden", "unauthenticated", "not_found")) return null;
  const list = boards.data?.boards ?? [];
  if (list.length === 0 && !canCreate) return null;

  const sessionTitle = (board: BoardSummary) =>
    event.sessions.find((session) => session.id === board.sessionId)?.title ?? null;

  return (
    <section className="event-boards" aria-labelledby={headingId}>
      <div className="event-boards-header">
        <h2 id={headingId}>{t("board.eventBoards.title")}</h2>
        {canCreate && !creating ? (
          <Button variant="secondary" className="btn-small" onClick={() => setCreating(true)}>
            {t("board.eventBoards.new")}
          </Button>
        ) : null}
      </div>
      {creating ? <CreateBoardForm event={event} onCancel={() => setCreating(false)} /> : null}
      {list.length === 0 ? (
        creating ? null : (
          <p className="muted">{t("board.eventBoards.empty")}</p>
        )
      ) : (
        <ul className="board-list">
          {list.map((board) => (
            <li key={board.id}>
              <Link to={`/e/${event.slug}/boards/${board.id}`} className="board-link">
                <span className="board-link-title">{board.title}</span>
                {sessionTitle(board) ? (
                  <span className="board-link-session">{sessionTitle(board)}</span>
                ) : null}
                <span className={`pill pill-phase pill-${board.phase}`}>
                  {t(`board.phase.${board.phase}`)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function CreateBoardForm({ event, onCancel }: { event: EventDetail; onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [sessionId, setSessionId] = useState(event.sessions[0]?.id ?? "");
  const [title, setTitle] = useState("");
  const [columns, setColumns] = useState("");
  const [anonymous, setAnonymous] = useState(false);
  const [budget, setBudget] = useState(String(DEFAULT_BOARD_SETTINGS.voteBudget));
  const ids = { session: useId(), title: useId(), columns: useId(), columnsHint: useId(), budget: useId() };

  const create = useMutation({
    mutationFn: () => {
      const titles = columns
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
        .slice(0, 12);
      const taken: string[] = [];
      const settings: BoardSettingsInput = {
        anonymousIdeas: anonymous,
        voteBudget: Math.min(
          100,
          Math.max(1, Math.round(Number(budget)) || DEFAULT_BOARD_SETTINGS.voteBudget),
        ),
      };
      settings.maxVotesPerIdea = Math.min(DEFAULT_BOARD_SETTINGS.maxVotesPerIdea, settings.voteBudget ?? 1);
      if (titles.length > 0) {
        settings.columns = titles.map((columnTitle) => {
          const id = newColumnId(columnTitle, taken);
          taken.push(id);
          return { id, title: columnTitle.slice(0, 80), prompt: "" };
        });
      } else {
        settings.columns = [
          {
            id: DEFAULT_BOARD_SETTINGS.columns[0]!.id,
            title: t("board.eventBoards.defaultColumn"),
            prompt: "",
          },
        ];
      }
      return call("createBoard", {
        params: { slug: event.slug, sessionId },
        body: { title: title.trim(), settings },
      });
    },
    onSuccess: async ({ board }) => {
      await queryClient.invalidateQueries({ queryKey: ["boards", event.slug] });
      await navigate(`/e/${event.slug}/boards/${board.id}`);
    },
  });

  return (
    <form
      className="create-board card"
      onSubmit={(e) => {
        e.preventDefault();
        if (title.trim() && sessionId) create.mutate();
      }}
    >
      <h3>{t("board.eventBoards.createTitle")}</h3>
      <FormAlert message={create.error ? errorMessage(create.error) : null} />
      <div className="create-board-grid">
        <div className="field span-all">
          <label className="field-label" htmlFor={ids.title}>
            {t("board.eventBoards.boardTitle")}
          </label>
          <input
            id={ids.title}
            className="input"
            value={title}
            maxLength={120}
            required
            placeholder={t("board.eventBoards.titlePlaceholder")}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.session}>
            {t("board.eventBoards.session")}
          </label>
          <select
            id={ids.session}
            className="input select"
            value={sessionId}
            onChange={(e) => setSessionId(e.target.value as typeof sessionId)}
          >
            {event.sessions.map((session) => (
              <option key={session.id} value={session.id}>
                {session.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.columns}>
            {t("board.eventBoards.columns")}
          </label>
          <p className="field-hint" id={ids.columnsHint}>
            {t("board.eventBoards.columnsHint")}
          </p>
          <textarea
            id={ids.columns}
            className="input"
            rows={3}
            value={columns}
            aria-describedby={ids.columnsHint}
            placeholder={t("board.eventBoards.columnsPlaceholder")}
            onChange={(e) => setColumns(e.target.value)}
          />
        </div>
        <div className="create-board-options span-all">
          <div className="field">
            <label className="field-label" htmlFor={ids.budget}>
              {t("board.settings.voteBudget")}
            </label>
            <input
              id={ids.budget}
              className="input input-small"
              type="number"
              min={1}
              max={100}
              value={budget}
              onChange={(e) => setBudget(e.target.value)}
            />
          </div>
          <label className="board-toggle">
            <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} />
            <span>{t("board.settings.anonymous")}</span>
          </label>
        </div>
      </div>
      <div className="actions">
        <Button type="submit" busy={create.isPending} busyLabel={t("board.eventBoards.creating")}>
          {t("board.eventBoards.create")}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {t("common.cancel")}
        </Button>
      </div>
    </form>
  );
}
