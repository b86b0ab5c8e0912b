// The video of a live session: the plenary stage (or, given a table and its token fetcher, a
// table's room). Says plainly when video is not configured on this server; everything else on
// the page works without it. Reusable: the breakout tables pass `tableId` and `fetchToken`.
// On the session page one stage holds the video at a time (useStageFocus): while a facilitator
// visits a table, the plenary's stage leaves its room and says so, and rejoins when the visit ends.
// Facilitators may watch the plenary hidden (not in the video's participant list).
import { useEffect, useId, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Track } from "livekit-client";
import type { MediaTokenResponse } from "@convivio/protocol";
import { call } from "../api/client";
import { Button } from "../ui/Button";
import { Spinner } from "../ui/Spinner";
import { initialsOf } from "./liveStatus";
import { useLiveKitRoom, type StageTile } from "./useLiveKitRoom";
import { useMediaHandoff, useStageFocus } from "./useMediaHandoff";
import { useLiveSession, useSessionState } from "./useSession";

/** A token this close to its expiry is not used to connect: a fresh one is asked for. */
const TOKEN_MARGIN_MS = 60_000;

export function VideoStage({
  sessionId,
  tableId = null,
  fetchToken,
}: {
  sessionId: string;
  tableId?: string | null;
  /** How to get a token for the room (default: the session's plenary). */
  fetchToken?: () => Promise<MediaTokenResponse>;
}) {
  const { t } = useTranslation();
  const media = useQuery({
    queryKey: ["media"],
    queryFn: ({ signal }) => call("getMediaStatus", { signal }),
    staleTime: 5 * 60_000,
  });
  const client = useLiveSession(sessionId);
  const session = useSessionState(client);
  const handoff = useMediaHandoff();
  const stageId = useId();
  const configured = media.data?.configured === true;
  const isLive = session?.live?.status === "live";
  const leads = session?.role === "facilitator";
  const [hidden, setHidden] = useHiddenChoice(sessionId, tableId === null && leads);
  const wanted = configured && session?.joined === true && (isLive || leads);
  const focused = useStageFocus(handoff, stageId, tableId ? "table" : "plenary", wanted);
  const mayConnect = wanted && focused;
  // A new token when the stage changes: it carries the right to publish (or no longer does).
  const tokenQuery = useQuery({
    queryKey: ["media-token", sessionId, tableId, session?.onStage ?? false, hidden],
    queryFn: () =>
      fetchToken
        ? fetchToken()
        : call("createMediaToken", { params: { sessionId }, body: hidden ? { hidden: true } : {} }),
    enabled: mayConnect,
    // Coming back to a room (after a visit) with a token about to expire fetches a fresh one.
    staleTime: (query) => {
      const expiresAt = query.state.data ? Date.parse(query.state.data.expiresAt) : 0;
      return Math.max(0, expiresAt - Date.now() - TOKEN_MARGIN_MS);
    },
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    gcTime: 0,
    retry: 1,
  });
  const token = mayConnect && !tokenQuery.isFetching ? (tokenQuery.data ?? null) : null;
  const room = useLiveKitRoom(token, handoff);

  if (media.isPending) {
    return (
      <section className="stage stage-message" aria-label={t("session.stage.title")}>
        <Spinner />
      </section>
    );
  }
  if (!configured) {
    return (
      <section className="stage stage-message stage-off" aria-label={t("session.stage.title")}>
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="stage-icon">
          <rect x="3" y="6" width="13" height="12" rx="2" />
          <path d="m16 10 5-3v10l-5-3M3 3l18 18" />
        </svg>
        <h2>{t("session.stage.offTitle")}</h2>
        <p>{t("session.stage.offBody")}</p>
      </section>
    );
  }
  if (!isLive && !leads) {
    return (
      <section className="stage stage-message" aria-label={t("session.stage.title")}>
        <h2>{t("session.stage.waitingTitle")}</h2>
        <p>{t("session.stage.waitingBody")}</p>
      </section>
    );
  }
  if (wanted && !focused) {
    return (
      <section className="stage stage-message stage-off" aria-label={t("session.stage.title")}>
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" className="stage-icon">
          <circle cx="12" cy="12" r="9" />
          <path d="M10 8.5v7M14 8.5v7" />
        </svg>
        <h2>{t("session.stage.pausedTitle")}</h2>
        <p>{t("session.stage.pausedBody")}</p>
      </section>
    );
  }
  if (tokenQuery.error || room.status === "failed") {
    return (
      <section className="stage stage-message" aria-label={t("session.stage.title")}>
        <h2>{t("session.stage.failedTitle")}</h2>
        <Button variant="secondary" className="btn-small" onClick={() => void tokenQuery.refetch()}>
          {t("session.stage.retry")}
        </Button>
      </section>
    );
  }
  const canPublish = tokenQuery.data?.canPublish === true;
  return (
    <section className="stage" aria-label={t("session.stage.title")}>
      {room.status !== "connected" ? (
        <div className="stage-message">
          <Spinner /> <span>{t("session.stage.connecting")}</span>
        </div>
      ) : room.tiles.length === 0 ? (
        <div className="stage-message">
          <p>{t("session.stage.empty")}</p>
        </div>
      ) : (
        <ul className={`stage-grid stage-grid-${Math.min(room.tiles.length, 4)}`}>
          {room.tiles.map((tile) => (
            <VideoTile key={tile.identity} tile={tile} />
          ))}
        </ul>
      )}
      <div className="stage-bar">
        <span className="stage-watching">{t("session.stage.watching", { count: room.watching })}</span>
        {tableId === null && leads ? (
          <>
            {hidden ? (
              <span className="badge stage-hidden" role="status">
                {t("session.stage.hiddenBadge")}
              </span>
            ) : null}
            <Button
              variant="ghost"
              className="btn-small stage-hide"
              aria-pressed={hidden}
              title={hidden ? undefined : t("session.stage.hideHint")}
              onClick={() => setHidden(!hidden)}
            >
              {hidden ? t("session.stage.showMe") : t("session.stage.hide")}
            </Button>
          </>
        ) : null}
        {room.audioBlocked ? (
          <Button className="btn-small" onClick={() => void room.room?.startAudio()}>
            {t("session.stage.startAudio")}
          </Button>
        ) : null}
        {canPublish && room.room ? (
          <>
            <Button
              variant={room.microphoneOn ? "secondary" : "primary"}
              className="btn-small"
              aria-pressed={room.microphoneOn}
              onClick={() => void room.room?.localParticipant.setMicrophoneEnabled(!room.microphoneOn)}
            >
              {room.microphoneOn ? t("session.stage.micOff") : t("session.stage.micOn")}
            </Button>
            <Button
              variant={room.cameraOn ? "secondary" : "primary"}
              className="btn-small"
              aria-pressed={room.cameraOn}
              onClick={() => void room.room?.localParticipant.setCameraEnabled(!room.cameraOn)}
            >
              {room.cameraOn ? t("session.stage.cameraOff") : t("session.stage.cameraOn")}
            </Button>
          </>
        ) : null}
      </div>
    </section>
  );
}

function VideoTile({ tile }: { tile: StageTile }) {
  const { t } = useTranslation();
  return (
    <li className={`stage-tile${tile.speaking ? " speaking" : ""}`}>
      {tile.video ? (
        <TrackElement track={tile.video} kind="video" muted={tile.isLocal} />
      ) : (
        <span className="stage-avatar" aria-hidden="true">
          {initialsOf(tile.name)}
        </span>
      )}
      {tile.audio ? <TrackElement track={tile.audio} kind="audio" muted={false} /> : null}
      <span className="stage-name">
        {tile.name}
        {tile.isLocal ? ` ${t("session.people.you")}` : ""}
      </span>
    </li>
  );
}

/** A track played in its own element, attached while mounted (livekit-client manages playback). */
function TrackElement({ track, kind, muted }: { track: Track; kind: "video" | "audio"; muted: boolean }) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    track.attach(element);
    return () => {
      track.detach(element);
    };
  }, [track]);
  if (kind === "audio") return <audio ref={ref} autoPlay />;
  return <video ref={ref} autoPlay playsInline muted={muted} className="stage-video" />;
}

/**
 * A facilitator's choice to watch the plenary hidden, remembered for the tab (a reload keeps it).
 * Switching is a move to the same room with another token.
 */
function useHiddenChoice(sessionId: string, applies: boolean): [boolean, (hidden: boolean) => void] {
  const key = `convivio.hidden.${sessionId}`;
  const [hidden, setHidden] = useState(() => readFlag(key));
  const choose = (next: boolean) => {
    setHidden(next);
    try {
      if (next) window.sessionStorage.setItem(key, "1");
      else window.sessionStorage.removeItem(key);
    } catch {
      // Storage can be off (private windows); the choice then lasts until the page goes.
    }
  };
  return [applies && hidden, choose];
}

function readFlag(key: string): boolean {
  try {
    return window.sessionStorage.getItem(key) === "1";
  } catch {
    return false;
  }
}
