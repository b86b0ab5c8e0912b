// The session page's MediaHandoff in React: the page provides one, every video stage on it (the
// plenary's, a table's) finds it, and asks whether it may be connected now.
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from "react";
import type { LocalTrack } from "livekit-client";
import { MediaHandoff } from "./mediaHandoff";

export const MediaHandoffContext = createContext<MediaHandoff<LocalTrack> | null>(null);

/** One handoff for as long as the calling component (the live session page) is mounted. */
export function useOwnMediaHandoff(): MediaHandoff<LocalTrack> {
  const [handoff] = useState(() => new MediaHandoff<LocalTrack>());
  useEffect(() => {
    handoff.open();
    return () => handoff.close();
  }, [handoff]);
  return handoff;
}

export function useMediaHandoff(): MediaHandoff<LocalTrack> | null {
  return useContext(MediaHandoffContext);
}

const always = () => () => {};

/**
 * Whether this stage may hold its room: while `active`, it claims the page's video; a table's
 * claim outranks the plenary's (see focusedStage). Without a handoff (a stage on its own) it may.
 */
export function useStageFocus(
  handoff: MediaHandoff<LocalTrack> | null,
  id: string,
  kind: "plenary" | "table",
  active: boolean,
): boolean {
  useEffect(() => {
    if (!handoff || !active) return;
    return handoff.claim(id, kind);
  }, [handoff, id, kind, active]);
  const focused = useSyncExternalStore(handoff?.subscribe ?? always, () => handoff?.focused() ?? null);
  return !handoff || focused === id;
}
