import { useId, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { BOARD_LIMITS, BOARD_REACTIONS, type BoardReaction, type IdeaView } from "@convivio/protocol";
import { Button } from "../ui/Button";
import { Comments } from "./Comments";
import { useBoard } from "./context";
import { Menu, MoreIcon, type MenuItem } from "./Menu";
import { ReactionIcon } from "./ReactionIcon";
import { canDeleteIdea, canEditIdea, isOwnIdea, myVotesOn, votesOf } from "./model";

/** MIME type of a dragged idea, so only our own cards are accepted as drops. */
export const IDEA_DRAG_TYPE = "application/x-convivio-idea";

export function IdeaCard({ idea, rank }: { idea: IdeaView; rank?: number | undefined }) {
  const { t } = useTranslation();
  const board = useBoard();
  const { view, role, abilities, open, send, dragging, setDragging } = board;
  const [editing, setEditing] = useState(false);
  const [showComments, setShowComments] = useState(false);
  const [dropping, setDropping] = useState(false);
  const textId = useId();
  const commentsId = useId();
  const own = isOwnIdea(view, idea.id);
  const editable = canEditIdea(view, role, idea);
  const commentCount = Object.values(view.comments).filter((c) => c.ideaId === idea.id).length;
  const columns = view.meta.settings.columns;
  const otherIdeas = Object.values(view.ideas).filter(
    (other) => other.id !== idea.id && other.hidden === null,
  );

  const items: MenuItem[] = [];
  if (editable) items.push({ key: "edit", label: t("board.idea.edit"), onSelect: () => setEditing(true) });
  if (editable && columns.length > 1)
    items.push({
      key: "column",
      label: t("board.idea.moveToColumn"),
      onSelect: () => open({ kind: "column", ideaId: idea.id }),
    });
  if (abilities.group && !idea.hidden)
    items.push({
      key: "group",
      label: t("board.idea.moveToGroup"),
      onSelect: () => open({ kind: "group", ideaId: idea.id }),
    });
  if (abilities.merge && !idea.hidden && otherIdeas.length > 0)
    items.push({
      key: "merge",
      label: t("board.idea.mergeInto"),
      onSelect: () => open({ kind: "merge", ideaId: idea.id }),
    });
  if (abilities.moderate && !idea.hidden)
    items.push({
      key: "hide",
      label: t("board.idea.hide"),
      onSelect: () => open({ kind: "hide", ideaId: idea.id }),
    });
  if (canDeleteIdea(view, role, idea))
    items.push({
      key: "delete",
      label: t("board.idea.delete"),
      danger: true,
      onSelect: () => open({ kind: "delete", ideaId: idea.id }),
    });

  const draggable =
    !editing && !idea.hidden && (abilities.merge || abilities.group || (editable && columns.length > 1));
  const accepts = abilities.merge && dragging !== null && dragging !== idea.id && !idea.hidden;

  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(IDEA_DRAG_TYPE, idea.id);
    event.dataTransfer.setData("text/plain", idea.text);
    event.dataTransfer.effectAllowed = "move";
    setDragging(idea.id);
  };
  const onDragOver = (event: DragEvent) => {
    if (!accepts) return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = "move";
    if (!dropping) setDropping(true);
  };
  const onDrop = (event: DragEvent) => {
    if (!accepts || dragging === null) return;
    event.preventDefault();
    event.stopPropagation();
    setDropping(false);
    open({ kind: "merge", ideaId: dragging, targetId: idea.id });
    setDragging(null);
  };

  const classes = [
    "idea-card",
    idea.hidden ? "is-hidden" : "",
    own ? "is-own" : "",
    dragging === idea.id ? "is-dragging" : "",
    dropping && accepts ? "is-drop-target" : "",
    draggable ? "is-draggable" : "",
  ]
    .filter(Boolean)
    .join(" ");

  return (
    <article
      className={classes}
      // While it is being edited the card keeps its name (the idea as it stands).
      aria-labelledby={editing ? undefined : textId}
      aria-label={editing ? idea.text : undefined}
      data-idea-id={idea.id}
      draggable={draggable}
      onDragStart={draggable ? onDragStart : undefined}
      onDragEnd={() => setDragging(null)}
      onDragOver={onDragOver}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
    >
      {dropping && accepts ? (
        <p className="drop-hint" aria-hidden="true">
          {t("board.idea.dropToMerge")}
        </p>
      ) : null}
      {idea.hidden ? (
        <div className="idea-hidden-note">
          <p>
            <strong>{t("board.moderation.hiddenNote")}</strong> {idea.hidden.reason}
          </p>
          {abilities.moderate ? (
            <Button
              variant="secondary"
              className="btn-small"
              onClick={() => void send({ type: "restoreIdea", ideaId: idea.id })}
            >
              {t("board.moderation.restore")}
            </Button>
          ) : null}
        </div>
      ) : null}

      {editing ? (
        <IdeaEditor idea={idea} onDone={() => setEditing(false)} />
      ) : (
        <>
          <div className="idea-head">
            {rank !== undefined ? (
              <span className="idea-rank" aria-label={t("board.results.rank", { rank })}>
                {rank}
              </span>
            ) : null}
            <p id={textId} className="idea-text">
              {idea.text}
            </p>
            <Menu
              className="idea-menu"
              label={t("board.idea.actions", { text: truncate(idea.text, 40) })}
              icon={<MoreIcon />}
              items={items}
            />
          </div>
          {idea.details ? <p className="idea-details">{idea.details}</p> : null}
        </>
      )}

      <IdeaTags idea={idea} own={own} />
      <IdeaVotes idea={idea} textId={textId} />

      <div className="idea-footer">
        <Reactions idea={idea} />
        <button
          type="button"
          className="text-button comments-toggle"
          aria-expanded={showComments}
          aria-controls={commentsId}
          onClick={() => setShowComments((shown) => !shown)}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M4 5h16v11H9l-5 4V5Z" />
          </svg>
          {commentCount > 0 ? t("board.comments.count", { count: commentCount }) : t("board.comments.add")}
        </button>
      </div>
      <div id={commentsId} hidden={!showComments}>
        {showComments ? <Comments ideaId={idea.id} /> : null}
      </div>
    </article>
  );
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Whose it is and how many were merged into it; its group is the section it sits in. */
function IdeaTags({ idea, own }: { idea: IdeaView; own: boolean }) {
  const { t } = useTranslation();
  const { names } = useBoard();
  const author = idea.authorId ? names.get(idea.authorId) : undefined;
  const tags = [];
  if (own)
    tags.push(
      <li key="own" className="tag tag-own">
        {idea.anonymous ? t("board.idea.yoursAnonymous") : t("board.idea.yours")}
      </li>,
    );
  else if (idea.anonymous)
    tags.push(
      <li key="anon" className="tag">
        {t("board.idea.anonymous")}
      </li>,
    );
  else if (author)
    tags.push(
      <li key="author" className="tag">
        {author}
      </li>,
    );
  if (idea.mergedCount > 0)
    tags.push(
      <li key="merged" className="tag tag-merged">
        {t("board.idea.merged", { count: idea.mergedCount })}
      </li>,
    );
  if (tags.length === 0) return null;
  return <ul className="idea-tags">{tags}</ul>;
}

/** Vote dots and buttons while voting; the total once counts are visible. */
function IdeaVotes({ idea, textId }: { idea: IdeaView; textId: string }) {
  const { t } = useTranslation();
  const { view, abilities, send } = useBoard();
  if (idea.hidden) return null;
  const { phase, settings } = view.meta;
  const total = votesOf(view, idea.id);
  const mine = myVotesOn(view, idea.id);
  const showControls = phase === "vote";
  if (!showControls && total === null) return null;
  const remaining = view.self?.remaining ?? 0;
  const cap = settings.maxVotesPerIdea;
  const canAdd = abilities.vote && mine < cap && remaining > 0;
  const canRemove = abilities.retract && mine > 0;

  return (
    <div className="idea-votes">
      {showControls ? (
        <div
          className="vote-control"
          role="group"
          aria-label={t("board.votes.yourVotes")}
          aria-describedby={textId}
        >
          <button
            type="button"
            className="vote-button"
            aria-disabled={!canRemove}
            title={settings.allowRetract ? undefined : t("board.votes.noRetract")}
            onClick={() => canRemove && void send({ type: "retractVote", ideaId: idea.id })}
          >
            <span aria-hidden="true">−</span>
            <span className="visually-hidden">{t("board.votes.remove")}</span>
          </button>
          <span className="vote-dots" aria-hidden="true">
            {cap <= 10
              ? Array.from({ length: cap }, (_, i) => (
                  <span key={i} className={i < mine ? "dot is-mine" : "dot"} />
                ))
              : null}
          </span>
          <span className="vote-mine">{t("board.votes.mine", { count: mine, cap })}</span>
          <button
            type="button"
            className="vote-button vote-button-add"
            aria-disabled={!canAdd}
            onClick={() => canAdd && void send({ type: "castVote", ideaId: idea.id })}
          >
            <span aria-hidden="true">+</span>
            <span className="visually-hidden">{t("board.votes.add")}</span>
          </button>
        </div>
      ) : null}
      {total !== null ? <span className="vote-total">{t("board.votes.total", { count: total })}</span> : null}
    </div>
  );
}

function Reactions({ idea }: { idea: IdeaView }) {
  const { t } = useTranslation();
  const { view, abilities, send } = useBoard();
  if (idea.hidden) return null;
  const mine = new Set(view.self?.reactions[idea.id] ?? []);
  const shown = BOARD_REACTIONS.filter((key) => (idea.reactions[key] ?? 0) > 0 || mine.has(key));
  const toggle = (reaction: BoardReaction) =>
    void send({ type: "setReaction", ideaId: idea.id, reaction, on: !mine.has(reaction) });

  return (
    <div className="reactions">
      {shown.map((key) => (
        <button
          key={key}
          type="button"
          className="reaction"
          aria-pressed={mine.has(key)}
          aria-disabled={!abilities.react}
          onClick={() => abilities.react && toggle(key)}
        >
          <ReactionIcon reaction={key} />
          <span className="reaction-count" aria-hidden="true">
            {idea.reactions[key] ?? 0}
          </span>
          <span className="visually-hidden">
            {t("board.reactions.label", {
              name: t(`board.reactions.${key}`),
              count: idea.reactions[key] ?? 0,
            })}
          </span>
        </button>
      ))}
      {abilities.react ? (
        <Menu
          className="reaction-picker"
          label={t("board.reactions.add")}
          icon={
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <circle cx="12" cy="12" r="9" />
              <path d="M8.5 14.5s1.2 2 3.5 2 3.5-2 3.5-2M9 9.5h.01M15 9.5h.01" />
            </svg>
          }
          items={BOARD_REACTIONS.map((key) => ({
            key,
            label: t(`board.reactions.${key}`),
            icon: <ReactionIcon reaction={key} />,
            checked: mine.has(key),
            onSelect: () => toggle(key),
          }))}
        />
      ) : null}
    </div>
  );
}

function IdeaEditor({ idea, onDone }: { idea: IdeaView; onDone: () => void }) {
  const { t } = useTranslation();
  const { send } = useBoard();
  const [text, setText] = useState(idea.text);
  const [details, setDetails] = useState(idea.details ?? "");
  const [busy, setBusy] = useState(false);
  const textId = useId();
  const detailsId = useId();

  const save = async () => {
    if (text.trim() === "") return;
    setBusy(true);
    const ack = await send({
      type: "editIdea",
      ideaId: idea.id,
      text: text.trim(),
      details: details.trim() === "" ? null : details.trim(),
    });
    setBusy(false);
    if (ack.ok) onDone();
  };

  return (
    <form
      className="idea-editor"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          onDone();
        }
      }}
    >
      <label className="visually-hidden" htmlFor={textId}>
        {t("board.composer.textLabel")}
      </label>
      <textarea
        id={textId}
        className="input idea-input"
        value={text}
        maxLength={BOARD_LIMITS.ideaTextMaxLength}
        rows={3}
        // Focus goes where the person asked to edit.
        autoFocus
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey) {
            event.preventDefault();
            void save();
          }
        }}
      />
      <label className="field-label small-label" htmlFor={detailsId}>
        {t("board.composer.detailsLabel")}
      </label>
      <textarea
        id={detailsId}
        className="input"
        value={details}
        maxLength={BOARD_LIMITS.ideaDetailsMaxLength}
        rows={2}
        onChange={(event) => setDetails(event.target.value)}
      />
      <div className="actions">
        <Button type="submit" className="btn-small" busy={busy} busyLabel={t("board.common.saving")}>
          {t("board.common.save")}
        </Button>
        <Button variant="ghost" className="btn-small" onClick={onDone}>
          {t("common.cancel")}
        </Button>
      </div>
    </form>
  );
}
