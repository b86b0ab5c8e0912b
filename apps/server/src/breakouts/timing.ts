import { BREAKOUT_LIMITS } from "@convivio/protocol";

/**
 * When the "one minute left" warning goes out: a minute before the end, or halfway through a round
 * shorter than two minutes (so a short round still gets its warning, and never before it starts).
 */
export function warnAtFor(endsAt: Date, roundMs: number): Date {
  const leadMs = Math.min(BREAKOUT_LIMITS.warningLeadMs, Math.floor(roundMs / 2));
  return new Date(endsAt.getTime() - leadMs);
}
