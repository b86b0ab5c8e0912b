// Registrations made or opened on this device, remembered with the token of their link so that
// someone without an account can come back to them (status, seats, answers, cancel) from here.
// The token has the power of the emailed link, no more; it never leaves this browser except in
// the X-Registration-Token header of our own API.
import { OneTimeToken, REGISTRATION_TOKEN_HEADER } from "@convivio/protocol";

const STORAGE_KEY = "convivio.registrations";
/** Enough for anyone's events; the oldest are forgotten first. */
const MAX_REMEMBERED = 50;

export interface RememberedRegistration {
  id: string;
  token: string;
  /** Set when known, so the event page can find its registration without asking the server. */
  eventId?: string;
}

type StorageLike = Pick<Storage, "getItem" | "setItem">;

function defaultStorage(): StorageLike | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function isRemembered(value: unknown): value is RememberedRegistration {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.id === "string" &&
    typeof entry.token === "string" &&
    (entry.eventId === undefined || typeof entry.eventId === "string")
  );
}

/** Everything remembered on this device, newest first. */
export function rememberedRegistrations(storage = defaultStorage()): RememberedRegistration[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter(isRemembered) : [];
  } catch {
    return [];
  }
}

/** Remembers (or refreshes) a registration's token; an event id already known is kept. */
export function rememberRegistration(entry: RememberedRegistration, storage = defaultStorage()): void {
  if (!storage || !OneTimeToken.safeParse(entry.token).success) return;
  const current = rememberedRegistrations(storage);
  const previous = current.find((item) => item.id === entry.id);
  const merged: RememberedRegistration = { ...previous, ...entry };
  if (!merged.eventId && previous?.eventId) merged.eventId = previous.eventId;
  const next = [merged, ...current.filter((item) => item.id !== entry.id)].slice(0, MAX_REMEMBERED);
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Full or disabled storage: the emailed link still works.
  }
}

/** Forgets a registration (its link no longer works). */
export function forgetRegistration(id: string, storage = defaultStorage()): void {
  if (!storage) return;
  const next = rememberedRegistrations(storage).filter((item) => item.id !== id);
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Nothing to do: it will fail again on the server and be offered again.
  }
}

/** The token remembered for a registration, if any. */
export function rememberedToken(id: string, storage = defaultStorage()): string | undefined {
  return rememberedRegistrations(storage).find((item) => item.id === id)?.token;
}

/** The registration remembered for an event, if any. */
export function rememberedForEvent(
  eventId: string,
  storage = defaultStorage(),
): RememberedRegistration | undefined {
  return rememberedRegistrations(storage).find((item) => item.eventId === eventId);
}

/** The token in an emailed link's fragment (`#token=…`), or null. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token && OneTimeToken.safeParse(token).success ? token : null;
}

/** The request headers that prove access with a token (none without one: the session cookie may do). */
export function tokenHeaders(token: string | undefined | null): Record<string, string> {
  return token ? { [REGISTRATION_TOKEN_HEADER]: token } : {};
}
