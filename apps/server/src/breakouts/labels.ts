// Names the server writes into stored text (table boards' titles, the origin line of a rolled-up
// idea, a plenary board it creates), in the event's first language: everyone at the event reads
// them, whatever their own language.
import { eq, events, type Db } from "@convivio/db";
import type { Executor } from "./store.js";

const WORDS = {
  it: { table: "Tavolo", plenary: "Plenaria" },
  en: { table: "Table", plenary: "Plenary" },
} as const;
type Language = keyof typeof WORDS;

export interface Labels {
  table(number: number, topic: string): string;
  plenary: string;
}

export function labelsFor(language: string | undefined): Labels {
  const words = WORDS[(language ?? "it") in WORDS ? (language as Language) : "it"];
  return {
    table: (number, topic) => (topic ? `${words.table} ${number} · ${topic}` : `${words.table} ${number}`),
    plenary: words.plenary,
  };
}

/** The labels in the event's first language. */
export async function eventLabels(db: Executor | Db, eventId: string): Promise<Labels> {
  const [row] = await db.select({ languages: events.languages }).from(events).where(eq(events.id, eventId));
  return labelsFor(row?.languages[0]);
}
