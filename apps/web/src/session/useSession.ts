// React hooks over the page's live sessions: one `SessionLive` per session, shared by every
// component that shows a part of it (stage, chat, hands), attached to the page's live connection
// while one of them is mounted, and released a moment after the last goes (so a quick remount — a
// route change, StrictMode — keeps the same client and its chat).
import { useEffect, useSyncExternalStore } from "react";
import { liveConnection } from "../live/live";
import { useMe } from "../auth/session";
import { SessionLive, roomKey, type SessionLiveClientState } from "./SessionLive";
import { emptyRoom, type ChatRoomState } from "./chatModel";

const RELEASE_DELAY_MS = 1_000;

interface Open {
  client: SessionLive;
  refs: number;
  detach: () => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const open = new Map<string, Open>();
const registryListeners = new Set<() => void>();
const subscribeRegistry = (listener: () => void) => {
  registryListeners.add(listener);
  return () => registryListeners.delete(listener);
};
const registryChanged = () => {
  for (const listener of registryListeners) listener();
};

function acquire(sessionId: string, userId: string): void {
  let entry = open.get(sessionId);
  if (!entry) {
    const client = new SessionLive(sessionId, userId);
    entry = { client, refs: 0, detach: liveConnection().attach(client), timer: undefined };
    open.set(sessionId, entry);
    registryChanged();
  }
  clearTimeout(entry.timer);
  entry.timer = undefined;
  entry.refs++;
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

/** Joins a live session while mounted; null until the signed-in person is known. */
export function useLiveSession(sessionId: string): SessionLive | null {
  const me = useMe();
  const userId = me.data?.id ?? null;
  useEffect(() => {
    if (!userId) return;
    acquire(sessionId, userId);
    return () => release(sessionId);
  }, [sessionId, userId]);
  return useSyncExternalStore(subscribeRegistry, () =>
    userId ? (open.get(sessionId)?.client ?? null) : null,
  );
}

const noSubscription = () => () => {};
const noState = () => null;

/** The session's current state, or null without a client. */
export function useSessionState(client: SessionLive | null): SessionLiveClientState | null {
  return useSyncExternalStore(client?.subscribe ?? noSubscription, client?.getState ?? noState);
}

/** A chat room of a session (the plenary when `tableId` is null), followed while mounted. */
export function useChatRoom(client: SessionLive | null, tableId: string | null): ChatRoomState {
  useEffect(() => {
    if (!client) return;
    client.openChat(tableId);
    return () => client.closeChat(tableId);
  }, [client, tableId]);
  const state = useSessionState(client);
  return state?.rooms[roomKey(tableId)] ?? emptyRoom;
}
