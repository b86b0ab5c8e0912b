import { useLocation } from "react-router";

/** One-off messages carried to the next page in the router's location state. */
export type Notice = "needSignIn" | "signedOutEverywhere" | "passwordReset";

const NOTICES: readonly Notice[] = ["needSignIn", "signedOutEverywhere", "passwordReset"];

export function useNotice(): Notice | null {
  const state: unknown = useLocation().state;
  if (typeof state !== "object" || state === null || !("notice" in state)) return null;
  const notice = (state as { notice: unknown }).notice;
  return NOTICES.includes(notice as Notice) ? (notice as Notice) : null;
}
