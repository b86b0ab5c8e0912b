// A LiveKit room for one token: connects (loading livekit-client only when video is configured),
// follows who publishes what, and leaves when the token changes or the component goes. The tiles
// are the people with a camera or microphone on stage; everyone else is counted as watching.
//
// Given the page's MediaHandoff, leaving a room is a move (LiveKit's open-source server cannot move
// anyone): `room.disconnect(false)` keeps the camera and microphone tracks, the handoff holds them,
// and the next room to connect republishes those it may publish (roomSwitch.ts decides), so a person
// keeps talking from the plenary to a table and on. Without a handoff, leaving stops the tracks.
import { useEffect, useState } from "react";
import type { LocalTrack, Participant, Room, Track } from "livekit-client";
import type { MediaTokenResponse } from "@convivio/protocol";
import type { Carried, MediaHandoff } from "./mediaHandoff";
import { planRepublish, rightsFrom, type LocalSource } from "./roomSwitch";

export interface StageTile {
  identity: string;
  name: string;
  isLocal: boolean;
  video: Track | undefined;
  audio: Track | undefined;
  speaking: boolean;
}

export interface LiveKitRoomState {
  status: "idle" | "connecting" | "connected" | "failed";
  room: Room | null;
  tiles: StageTile[];
  /** People in the room without a camera or microphone on. */
  watching: number;
  /** The browser blocked sound until the person clicks. */
  audioBlocked: boolean;
  cameraOn: boolean;
  microphoneOn: boolean;
}

const idle: LiveKitRoomState = {
  status: "idle",
  room: null,
  tiles: [],
  watching: 0,
  audioBlocked: false,
  cameraOn: false,
  microphoneOn: false,
};

export function useLiveKitRoom(
  token: MediaTokenResponse | null,
  handoff: MediaHandoff<LocalTrack> | null = null,
): LiveKitRoomState {
  // The state belongs to one token: a new token starts from "connecting" until its room reports.
  const [current, setCurrent] = useState<{ token: MediaTokenResponse; state: LiveKitRoomState } | null>(null);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    let room: Room | null = null;
    // Tracks taken from the handoff and not yet published here: handed on if we leave meanwhile.
    let inHand: Carried<LocalTrack>[] = [];
    const setState = (state: LiveKitRoomState) => setCurrent({ token, state });
    void (async () => {
      const { Room, RoomEvent, Track } = await import("livekit-client");
      if (cancelled) return;
      const current = new Room({ adaptiveStream: true, dynacast: true });
      room = current;
      const tileOf = (participant: Participant, isLocal: boolean): StageTile => {
        const camera = participant.getTrackPublication(Track.Source.Camera);
        const microphone = participant.getTrackPublication(Track.Source.Microphone);
        return {
          identity: participant.identity,
          name: participant.name || participant.identity,
          isLocal,
          video: camera && !camera.isMuted ? camera.track : undefined,
          audio: !isLocal && microphone && !microphone.isMuted ? microphone.track : undefined,
          speaking: participant.isSpeaking,
        };
      };
      const refresh = () => {
        if (cancelled) return;
        const local = current.localParticipant;
        const remote = [...current.remoteParticipants.values()];
        const onStage = (p: Participant) => p.getTrackPublications().length > 0;
        const tiles = [
          ...(onStage(local) ? [tileOf(local, true)] : []),
          ...remote.filter(onStage).map((p) => tileOf(p, false)),
        ];
        setState({
          status: "connected",
          room: current,
          tiles,
          watching: remote.filter((p) => !onStage(p)).length + (onStage(local) ? 0 : 1),
          audioBlocked: !current.canPlaybackAudio,
          cameraOn: local.isCameraEnabled,
          microphoneOn: local.isMicrophoneEnabled,
        });
      };
      for (const event of [
        RoomEvent.ParticipantConnected,
        RoomEvent.ParticipantDisconnected,
        RoomEvent.TrackPublished,
        RoomEvent.TrackUnpublished,
        RoomEvent.TrackSubscribed,
        RoomEvent.TrackUnsubscribed,
        RoomEvent.TrackMuted,
        RoomEvent.TrackUnmuted,
        RoomEvent.LocalTrackPublished,
        RoomEvent.LocalTrackUnpublished,
        RoomEvent.ActiveSpeakersChanged,
        RoomEvent.AudioPlaybackStatusChanged,
        RoomEvent.ParticipantPermissionsChanged,
        RoomEvent.ParticipantNameChanged,
      ]) {
        current.on(event, refresh);
      }
      current.on(RoomEvent.Disconnected, () => {
        if (!cancelled) setState({ ...idle, status: "failed" });
      });
      try {
        await current.connect(token.url, token.token);
        refresh();
      } catch {
        if (!cancelled) setState({ ...idle, status: "failed" });
        return;
      }
      if (!handoff || cancelled) return;
      // Carry on with what the last room kept, once that room has let go of it.
      const handed = handoff.take();
      if (handed.tracks.length === 0) return;
      inHand = handed.tracks;
      await handed.released.catch(() => undefined);
      if (cancelled) return;
      const plan = planRepublish(inHand, rightsFrom(token.canPublish, current.localParticipant.permissions));
      for (const carried of plan.stop) carried.track.stop();
      inHand = plan.publish;
      for (const carried of plan.publish) {
        if (cancelled) return;
        try {
          await current.localParticipant.publishTrack(carried.track);
        } catch {
          carried.track.stop();
        }
        inHand = inHand.filter((t) => t !== carried);
      }
      refresh();
    })();
    return () => {
      cancelled = true;
      const leaving = room;
      if (!leaving) return;
      if (!handoff) {
        void leaving.disconnect();
        return;
      }
      const published = [...leaving.localParticipant.trackPublications.values()].flatMap((pub) => {
        const source = localSourceOf(pub.source);
        return pub.track && source ? [{ track: pub.track, source, enabled: !pub.isMuted }] : [];
      });
      handoff.keep([...published, ...inHand], leaving.disconnect(false));
    };
  }, [token, handoff]);

  if (!token) return idle;
  return current?.token === token ? current.state : { ...idle, status: "connecting" };
}

// Track.Source's string values ("camera", "microphone"), without loading livekit-client for them.
function localSourceOf(source: string): LocalSource | null {
  return source === "camera" || source === "microphone" ? source : null;
}
