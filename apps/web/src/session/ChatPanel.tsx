// The chat of one room of a live session: the plenary (`tableId` null) or a table. Reusable: give
// it the session and the table; it shares the page's session client with the other panels.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { SESSION_LIMITS, type ChatMessage } from "@convivio/protocol";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { continuesGroup } from "./chatModel";
import { useChatRoom, useLiveSession, useSessionState } from "./useSession";

const COUNTER_FROM = SESSION_LIMITS.chatMessageMaxLength - 200;

export function ChatPanel({ sessionId, tableId }: { sessionId: string; tableId: string | null }) {
  const { t } = useTranslation();
  const client = useLiveSession(sessionId);
  const session = useSessionState(client);
  const room = useChatRoom(client, tableId);
  const [draft, setDraft] = useState("");
  const listRef = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);
  const isFacilitator = session?.role === "facilitator";
  const canWrite = Boolean(client && session?.joined && (session.live?.status === "live" || isFacilitator));
  const count = room.messages.length + room.pending.length;

  // Follow the conversation unless the person scrolled up to read.
  useEffect(() => {
    const list = listRef.current;
    if (list && stickToBottom.current) list.scrollTop = list.scrollHeight;
  }, [count]);

  const time = (iso: string) =>
    new Intl.DateTimeFormat(INTL_LOCALE[currentLocale()], { hour: "2-digit", minute: "2-digit" }).format(
      new Date(iso),
    );

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const text = draft.trim();
    if (!text || !client || text.length > SESSION_LIMITS.chatMessageMaxLength) return;
    client.say(tableId, text);
    stickToBottom.current = true;
    setDraft("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) send(event);
  };

  const heading = tableId === null ? t("session.chat.title") : t("session.chat.tableTitle");
  const inputId = `chat-input-${tableId ?? "plenary"}`;

  return (
    <section className="chat-panel" aria-label={heading}>
      {room.joinError ? (
        <Alert tone="error" title={t("session.chat.unavailable")}>
          <p>{t(`errors.${room.joinError}`, { defaultValue: t("session.error") })}</p>
        </Alert>
      ) : null}
      <ol
        className="chat-messages"
        ref={listRef}
        aria-live="polite"
        aria-relevant="additions"
        onScroll={(event) => {
          const list = event.currentTarget;
          stickToBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < 48;
        }}
      >
        {room.messages.length === 0 && room.pending.length === 0 ? (
          <li className="chat-empty">{t("session.chat.empty")}</li>
        ) : null}
        {room.messages.map((message, index) => (
          <ChatLine
            key={message.id}
            message={message}
            grouped={continuesGroup(room.messages[index - 1], message)}
            time={time(message.createdAt)}
            onDelete={
              isFacilitator && !message.deletedAt
                ? () => void client?.deleteMessage(tableId, message.id)
                : undefined
            }
          />
        ))}
        {room.pending.map((pending) => (
          <li
            key={pending.clientOpId}
            className={`chat-line chat-pending${pending.error ? " chat-failed" : ""}`}
          >
            <p className="chat-text">{pending.text}</p>
            {pending.error ? (
              <p className="chat-status" role="alert">
                {t(`errors.${pending.error}`, { defaultValue: t("session.error") })}{" "}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => client?.discard(tableId, pending.clientOpId)}
                >
                  {t("session.chat.discard")}
                </button>
              </p>
            ) : (
              <p className="chat-status">{t("session.chat.sending")}</p>
            )}
          </li>
        ))}
      </ol>
      <form className="chat-composer" onSubmit={send}>
        <label htmlFor={inputId} className="visually-hidden">
          {t("session.chat.inputLabel")}
        </label>
        <textarea
          id={inputId}
          rows={2}
          value={draft}
          maxLength={SESSION_LIMITS.chatMessageMaxLength}
          placeholder={canWrite ? t("session.chat.placeholder") : t("session.chat.closed")}
          disabled={!canWrite}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="chat-composer-row">
          {draft.length > COUNTER_FROM ? (
            <span className="chat-counter">
              {t("session.chat.counter", { count: SESSION_LIMITS.chatMessageMaxLength - draft.length })}
            </span>
          ) : (
            <span className="chat-hint">{t("session.chat.hint")}</span>
          )}
          <Button type="submit" className="btn-small" disabled={!canWrite || draft.trim().length === 0}>
            {t("session.chat.send")}
          </Button>
        </div>
      </form>
    </section>
  );
}

function ChatLine({
  message,
  grouped,
  time,
  onDelete,
}: {
  message: ChatMessage;
  grouped: boolean;
  time: string;
  onDelete: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  return (
    <li className={`chat-line${grouped ? " chat-grouped" : ""}${message.deletedAt ? " chat-deleted" : ""}`}>
      {grouped ? null : (
        <p className="chat-meta">
          <span className="chat-author">{message.authorName}</span>
          <time dateTime={message.createdAt}>{time}</time>
        </p>
      )}
      {message.deletedAt ? (
        <p className="chat-text">{t("session.chat.deleted")}</p>
      ) : (
        <p className="chat-text">{message.text}</p>
      )}
      {onDelete ? (
        <button
          type="button"
          className="icon-button chat-delete"
          onClick={onDelete}
          aria-label={t("session.chat.delete", { author: message.authorName })}
          title={t("session.chat.deleteShort")}
        >
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M5 7h14M10 7V5h4v2M7 7l1 12h8l1-12" />
          </svg>
        </button>
      ) : null}
    </li>
  );
}
