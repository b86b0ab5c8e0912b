import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { BOARD_LIMITS, type IdeaId } from "@convivio/protocol";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { Button } from "../ui/Button";
import { useBoard } from "./context";
import { canDeleteComment } from "./model";

export function Comments({ ideaId }: { ideaId: IdeaId }) {
  const { t } = useTranslation();
  const { view, role, abilities, names, send } = useBoard();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const comments = Object.values(view.comments)
    .filter((comment) => comment.ideaId === ideaId)
    .sort((a, b) => a.createdAt - b.createdAt);
  const time = new Intl.DateTimeFormat(INTL_LOCALE[currentLocale()], { hour: "2-digit", minute: "2-digit" });

  const submit = async () => {
    const trimmed = text.trim();
    if (trimmed === "" || busy) return;
    setBusy(true);
    const ack = await send({ type: "addComment", ideaId, text: trimmed });
    setBusy(false);
    if (ack.ok) setText("");
  };

  return (
    <div className="comments">
      {comments.length > 0 ? (
        <ul className="comment-list">
          {comments.map((comment) => (
            <li key={comment.id} className="comment">
              <p className="comment-meta">
                <span className="comment-author">
                  {view.self?.ownCommentIds.includes(comment.id)
                    ? t("board.comments.you")
                    : comment.anonymous
                      ? t("board.idea.anonymous")
                      : ((comment.authorId && names.get(comment.authorId)) ?? t("board.comments.someone"))}
                </span>
                <time dateTime={new Date(comment.createdAt).toISOString()}>
                  {time.format(comment.createdAt)}
                </time>
                {canDeleteComment(view, role, comment.id) ? (
                  <button
                    type="button"
                    className="text-button comment-delete"
                    onClick={() => void send({ type: "deleteComment", commentId: comment.id })}
                  >
                    {t("board.comments.delete")}
                  </button>
                ) : null}
              </p>
              <p className="comment-text">{comment.text}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted comments-empty">{t("board.comments.none")}</p>
      )}
      {abilities.comment ? (
        <form
          className="comment-form"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <label className="visually-hidden" htmlFor={inputId}>
            {t("board.comments.label")}
          </label>
          <textarea
            id={inputId}
            className="input"
            rows={2}
            value={text}
            maxLength={BOARD_LIMITS.commentMaxLength}
            placeholder={t("board.comments.placeholder")}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey) {
                event.preventDefault();
                void submit();
              }
            }}
          />
          <Button type="submit" variant="secondary" className="btn-small" busy={busy}>
            {t("board.comments.send")}
          </Button>
        </form>
      ) : null}
    </div>
  );
}
