// One table as the people at it see it: its video room, its board and its chat, reusing the live
// session's parts. The token comes with the seat (the server minted it when it seated us); when it
// is about to expire (or came from a visit), a fresh one is asked for with the table's id.
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { MediaTokenResponse, TableRef } from "@convivio/protocol";
import { call } from "../api/client";
import { EmbeddedBoard } from "../boards/BoardPage";
import { ChatPanel } from "../session/ChatPanel";
import { VideoStage } from "../session/VideoStage";

const FRESH_FOR_MS = 60_000;

export function TableView({
  sessionId,
  slug,
  table,
  media,
  hidden = false,
}: {
  sessionId: string;
  slug: string;
  table: TableRef;
  media: MediaTokenResponse | null;
  hidden?: boolean;
}) {
  const { t } = useTranslation();
  const fetchToken = async (): Promise<MediaTokenResponse> => {
    if (media && Date.parse(media.expiresAt) - Date.now() > FRESH_FOR_MS) return media;
    return call("createMediaToken", {
      params: { sessionId },
      body: { tableId: table.id, ...(hidden ? { hidden } : {}) },
    });
  };
  return (
    <div className="table-view">
      <div className="table-view-video">
        <VideoStage sessionId={sessionId} tableId={table.id} fetchToken={fetchToken} />
      </div>
      <aside className="table-view-chat" aria-labelledby={`table-chat-${table.id}`}>
        <h3 id={`table-chat-${table.id}`}>{t("breakouts.table.chat")}</h3>
        <ChatPanel sessionId={sessionId} tableId={table.id} />
      </aside>
      <section
        className="live-board table-view-board"
        aria-label={t("breakouts.table.board", { number: table.number })}
      >
        {table.boardId ? <EmbeddedBoard boardId={table.boardId} slug={slug} /> : null}
      </section>
    </div>
  );
}

export function tableName(t: TFunction, table: { number: number; topic: string }): string {
  return table.topic
    ? t("breakouts.table.nameWithTopic", { number: table.number, topic: table.topic })
    : t("breakouts.table.name", { number: table.number });
}

/** A table's name and how many sit there, or how many seats are left, as a list shows it. */
export function TableHeadline({
  table,
}: {
  table: { number: number; topic: string; seats: number | null; count: number };
}) {
  const { t } = useTranslation();
  return (
    <span>
      <strong>{tableName(t, table)}</strong>{" "}
      <span className="muted">
        {table.seats === null
          ? t("breakouts.count", { count: table.count })
          : t("breakouts.seatsLeft", { count: Math.max(0, table.seats - table.count) })}
      </span>
    </span>
  );
}
