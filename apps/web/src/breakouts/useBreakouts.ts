// React hooks over a session's breakouts: one `BreakoutLive` per session, shared by every component
// that shows a part of it (the panel, the session page deciding which stage to show), attached to
// the page's live connection while one of them is mounted, and left (`breakout:leave`) a moment
// after the last goes. A participant is refused the breakouts until the session is live: once the
// page's session client gets in, so does this one.
import { useEffect, useSyncExternalStore } from "react";
import { ErrorCode } from "@convivio/protocol";
import { liveConnection } from "../live/live";
import { useLiveSession, useSessionState } from "../session/useSession";
import { BreakoutLive, type BreakoutClientState } from "./BreakoutLive";

const RELEASE_DELAY_MS = 1_000;

interface Open {
  client: BreakoutLive;
  refs: number;
  detach: () => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const open = new Map<string, Open>();

// Components read the registry through useSyncExternalStore, so they see a client as soon as it exists.
const registryListeners = new Set<() => void>();
const subscribeRegistry = (listener: () => void) => {
  registryListeners.add(listener);
  return () => registryListeners.delete(listener);
};
const registryChanged = () => {
  for (const listener of registryListeners) listener();
};

function acquire(sessionId: string): BreakoutLive {
  let entry = open.get(sessionId);
  if (!entry) {
    const client = new BreakoutLive(sessionId);
    entry = { client, refs: 0, detach: liveConnection().attach(client), timer: undefined };
    open.set(sessionId, entry);
    registryChanged();
  }
  clearTimeout(entry.timer);
  entry.timer = undefined;
  entry.refs++;
  return entry.client;
}

function release(sessionId: string): void {
  const entry = open.get(sessionId);
  if (!entry || --entry.refs > 0) return;
  entry.timer = setTimeout(() => {
    if (entry.refs > 0) return;
    entry.client.leave();
    entry.detach();
    entry.client.close();
    open.delete(sessionId);
    registryChanged();
  }, RELEASE_DELAY_MS);
}

/** Follows a session's breakouts while mounted. */
export function useBreakoutClient(sessionId: string): BreakoutLive | null {
  useEffect(() => {
    acquire(sessionId);
    return () => release(sessionId);
  }, [sessionId]);
  const client = useSyncExternalStore(subscribeRegistry, () => open.get(sessionId)?.client ?? null);
  const inSession = useSessionState(useLiveSession(sessionId))?.joined === true;
  const refused = useBreakoutState(client)?.joinError === ErrorCode.sessionNotLive;
  useEffect(() => {
    if (inSession && refused) client?.rejoin();
  }, [inSession, refused, client]);
  return client;
}

const noSubscription = () => () => {};
const noState = () => null;

export function useBreakoutState(client: BreakoutLive | null): BreakoutClientState | null {
  return useSyncExternalStore(client?.subscribe ?? noSubscription, client?.getState ?? noState);
}

/** The table this person sits at now (null: in the plenary). */
export function useMySeat(sessionId: string) {
  const state = useBreakoutState(useBreakoutClient(sessionId));
  return state?.assignment?.table ?? null;
}
