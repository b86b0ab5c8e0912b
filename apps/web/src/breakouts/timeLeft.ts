// How a warning says the time left in a round: whole minutes from a minute up, else seconds, so a
// short round's halfway warning says "45 seconds" instead of claiming a minute.

export type TimeLeft = { unit: "minutes" | "seconds"; count: number };

export function timeLeftInWords(ms: number): TimeLeft {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return { unit: "seconds", count: seconds };
  return { unit: "minutes", count: Math.round(seconds / 60) };
}
