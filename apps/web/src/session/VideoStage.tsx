// The video of a live session: the plenary stage (or, given a table and its token fetcher, a
// table's room). Says plainly when video is not configured on this server; everything else on
// the page works without it. Reusable: the breakout tables pass `tableId` and `fetchToken`.
import { useEffect, useRef } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Track } from "livekit-client";
import type { MediaTokenResponse } from "@convivio/protocol";
import { call } from "../api/client";
import { Button } from "../ui/Button";
import { Spinner } from "../ui/Spinner";
import { initialsOf } from "./liveStatus";
import { useLiveKitRoom, type StageTile } from "./useLiveKitRoom";
import { useLiveSession, useSessionState } from "./useSession";

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
  const configured = media.data?.configured === true;
  const isLive = session?.live?.status === "live";
  const mayConnect = configured && session?.joined === true && (isLive || session.role === "facilitator");
  // A new token when the stage changes: it carries the right to publish (or no longer does).
  const tokenQuery = useQuery({
    queryKey: ["media-token", sessionId, tableId, session?.onStage ?? false],
    queryFn: () =>
      fetchToken ? fetchToken() : call("createMediaToken", { params: { sessionId }, body: {} }),
    enabled: mayConnect,
    staleTime: Infinity,
    gcTime: 0,
    retry: 1,
  });
  const room = useLiveKitRoom(mayConnect ? (tokenQuery.data ?? null) : null);

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
  if (!isLive && session?.role !== "facilitator") {
    return (
      <section className="stage stage-message" aria-label={t("session.stage.title")}>
        <h2>{t("session.stage.waitingTitle")}</h2>
        <p>{t("session.stage.waitingBody")}</p>
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
