// Exports (B28): results as CSV, JSON and Markdown. Pure string building from `BoardResults`,
// which already carries only what its viewer may see, so an export can never reveal more.
import type { BoardResultRow, BoardResults, ParticipantId } from "@convivio/protocol";

export interface ExportOptions {
  /** Display name for an author id; without it the id itself is written. */
  readonly authorName?: (id: ParticipantId) => string;
  /** Heading of the Markdown document. */
  readonly title?: string;
}

const CSV_HEADER = [
  "rank",
  "column_rank",
  "column",
  "idea",
  "details",
  "group",
  "votes",
  "merged_count",
  "author",
] as const;

/**
 * One CSV cell: a text that a spreadsheet would run as a formula (= + - @, tab or carriage
 * return first) gets a leading single quote (OWASP CSV injection), then RFC 4180 quoting.
 */
export function csvCell(value: string | number): string {
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function authorOf(row: BoardResultRow, options: ExportOptions): string {
  if (row.authorId === null) return "";
  return options.authorName?.(row.authorId) ?? row.authorId;
}

/** B28: the overall ranking as RFC 4180 CSV (CRLF line ends, header row), safe to open in a spreadsheet. */
export function toCsv(results: BoardResults, options: ExportOptions = {}): string {
  const lines = [CSV_HEADER.join(",")];
  for (const row of results.overall) {
    const cells = [
      row.rank,
      row.columnRank,
      row.columnTitle,
      row.text,
      row.details ?? "",
      row.groupTitle ?? "",
      row.votes,
      row.mergedCount,
      authorOf(row, options),
    ];
    lines.push(cells.map(csvCell).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** B28: the results as a plain JSON object, author names added when a resolver is given. */
export function toJson(results: BoardResults, options: ExportOptions = {}): Record<string, unknown> {
  const withName = (row: BoardResultRow) =>
    options.authorName && row.authorId !== null
      ? { ...row, authorName: options.authorName(row.authorId) }
      : { ...row };
  return {
    boardId: results.boardId,
    phase: results.phase,
    seq: results.seq,
    overall: results.overall.map(withName),
    columns: results.columns.map((column) => ({ ...column, rows: column.rows.map(withName) })),
  };
}

/** Text safe inside a Markdown table cell: one line, no markup, no raw HTML, no column breaks. */
export function markdownCell(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, " ")
    .replace(/[\\`*_[\]<>|~]/g, (ch) => `\\${ch}`)
    .trim();
}

function markdownTable(
  rows: readonly BoardResultRow[],
  rank: (row: BoardResultRow) => number,
  options: ExportOptions,
): string[] {
  const lines = ["| # | Idea | Group | Votes | Author |", "|---:|---|---|---:|---|"];
  for (const row of rows) {
    const author = authorOf(row, options);
    lines.push(
      `| ${rank(row)} | ${markdownCell(row.text)} | ${markdownCell(row.groupTitle ?? "")} | ${row.votes} | ${markdownCell(author)} |`,
    );
  }
  return lines;
}

/** B28: the results as Markdown: the overall ranking, then one table per column. */
export function toMarkdown(results: BoardResults, options: ExportOptions = {}): string {
  const lines = [`# ${markdownCell(options.title ?? "Board results")}`, "", "## Overall", ""];
  lines.push(...markdownTable(results.overall, (row) => row.rank, options));
  for (const column of results.columns) {
    lines.push("", `## ${markdownCell(column.title)}`, "");
    lines.push(...markdownTable(column.rows, (row) => row.columnRank, options));
  }
  return `${lines.join("\n")}\n`;
}
