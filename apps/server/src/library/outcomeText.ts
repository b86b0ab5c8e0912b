// The text of a session outcome, written in the item's language: where it comes from (event,
// session, table), the counts, and the ranked ideas as Markdown tables, each idea with the
// breakout table it came from when a roll-up brought it to the plenary. Pure: every name (authors,
// tables) is looked up by the caller and passed in; every piece of typed text goes through
// `markdownCell`, so an idea or a title cannot add markup to the stored body.
import { markdownCell } from "@convivio/board";
import type { BoardResultRow, BoardResults, IdeaId, Locale } from "@convivio/protocol";

const WORDS = {
  it: {
    event: "Evento",
    session: "Sessione",
    table: "Tavolo",
    ideas: "Idee in classifica",
    votes: "Voti",
    overall: "Classifica generale",
    idea: "Idea",
    group: "Gruppo",
    author: "Autore",
    fromBoard: (board: string) => `Dalla bacheca «${board}»`,
  },
  en: {
    event: "Event",
    session: "Session",
    table: "Table",
    ideas: "Ideas ranked",
    votes: "Votes",
    overall: "Overall ranking",
    idea: "Idea",
    group: "Group",
    author: "Author",
    fromBoard: (board: string) => `From the board "${board}"`,
  },
} as const;

export type OutcomeWords = (typeof WORDS)[Locale];

export function wordsFor(language: Locale): OutcomeWords {
  return WORDS[language];
}

/** A breakout table as the outcome names it. */
export interface TableName {
  number: number;
  topic: string;
}

export const tableLabel = (words: OutcomeWords, table: TableName): string =>
  table.topic ? `${words.table} ${table.number} · ${table.topic}` : `${words.table} ${table.number}`;

export interface OutcomeSource {
  eventTitle: string;
  sessionTitle: string | null;
  /** The board's own breakout table, when it is a table's board. */
  boardTable: TableName | null;
}

export interface OutcomeLookups {
  /** The shown author of a row ("" for none: anonymous, or nobody). */
  authorOf: (row: BoardResultRow) => string;
  /** The breakout table an idea was rolled up from, if any. */
  tableOf: (ideaId: IdeaId) => TableName | undefined;
}

function table(
  rows: readonly BoardResultRow[],
  rank: (row: BoardResultRow) => number,
  words: OutcomeWords,
  lookups: OutcomeLookups,
  withTables: boolean,
): string[] {
  const head = [
    "#",
    words.idea,
    ...(withTables ? [words.table] : []),
    words.group,
    words.votes,
    words.author,
  ];
  const align = ["---:", "---", ...(withTables ? ["---"] : []), "---", "---:", "---"];
  const lines = [`| ${head.join(" | ")} |`, `|${align.join("|")}|`];
  for (const row of rows) {
    const origin = lookups.tableOf(row.ideaId);
    const cells = [
      String(rank(row)),
      markdownCell(row.text),
      ...(withTables ? [origin ? markdownCell(tableLabel(words, origin)) : ""] : []),
      markdownCell(row.groupTitle ?? ""),
      String(row.votes),
      markdownCell(lookups.authorOf(row)),
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines;
}

/** The outcome's body: the context lines, then the overall ranking and, with several columns, one table per column. */
export function outcomeBody(
  results: BoardResults,
  source: OutcomeSource,
  language: Locale,
  lookups: OutcomeLookups,
): string {
  const words = wordsFor(language);
  const votes = results.overall.reduce((n, r) => n + r.votes, 0);
  const context = [
    `**${words.event}:** ${markdownCell(source.eventTitle)}`,
    ...(source.sessionTitle ? [`**${words.session}:** ${markdownCell(source.sessionTitle)}`] : []),
    ...(source.boardTable
      ? [`**${words.table}:** ${markdownCell(tableLabel(words, source.boardTable))}`]
      : []),
    `**${words.ideas}:** ${results.overall.length} · **${words.votes}:** ${votes}`,
  ].join("  \n");
  const withTables = results.overall.some((row) => lookups.tableOf(row.ideaId) !== undefined);
  const lines = [context, "", `## ${words.overall}`, ""];
  lines.push(...table(results.overall, (row) => row.rank, words, lookups, withTables));
  // One column's table would repeat the overall one.
  if (results.columns.length > 1) {
    for (const column of results.columns) {
      lines.push("", `## ${markdownCell(column.title)}`, "");
      lines.push(...table(column.rows, (row) => row.columnRank, words, lookups, withTables));
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The summary line: the top three ideas with their votes. */
export function outcomeSummary(results: BoardResults): string {
  return results.overall
    .slice(0, 3)
    .map((row) => `${row.rank}. ${row.text} (${row.votes})`)
    .join(" · ")
    .slice(0, 1_000);
}
