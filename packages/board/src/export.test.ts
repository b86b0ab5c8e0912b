import type { BoardResults, ParticipantId } from "@convivio/protocol";
import { describe, expect, it } from "vitest";
import { ALICE, BOB, FAC, TestBoard } from "../test/fixtures.js";
import { csvCell, markdownCell, resultsFor, toCsv, toJson, toMarkdown } from "./index.js";

function revealedResults(anonymous: boolean): BoardResults {
  const board = new TestBoard({ anonymousIdeas: anonymous });
  const first = board.propose(ALICE, '=HYPERLINK("http://evil")');
  const second = board.propose(BOB, 'Say "hi", then\nleave');
  board.phase("vote");
  board.vote(ALICE, second, 2);
  board.vote(BOB, first, 1);
  board.phase("reveal");
  const result = resultsFor(board.state, { participantId: FAC, role: "facilitator" });
  if (!result.ok) throw new Error(result.code);
  return result.results;
}

describe("exports", () => {
  it("B28: CSV cells follow RFC 4180 quoting", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvCell(42)).toBe("42");
  });

  it("B28: CSV cells that a spreadsheet would run get a leading quote", () => {
    for (const text of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) {
      expect(csvCell(text).replace(/^"/, "").startsWith("'")).toBe(true);
    }
    expect(csvCell('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("B28: the CSV has a header, CRLF line ends and one row per ranked idea", () => {
    const csv = toCsv(revealedResults(false), {
      authorName: (id: ParticipantId) => (id === ALICE ? "Alice" : "Bob"),
    });
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("rank,column_rank,column,idea,details,group,votes,merged_count,author");
    expect(lines[1]).toBe('1,1,Ideas,"Say ""hi"", then\nleave",,,2,0,Bob');
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv).toContain(`2,2,Ideas,"'=HYPERLINK(""http://evil"")",,,1,0,Alice`);
  });

  it("B28: anonymous authors are empty in every export format", () => {
    const results = revealedResults(true);
    expect(toCsv(results)).not.toContain(ALICE);
    expect(JSON.stringify(toJson(results))).not.toContain(ALICE);
    expect(toMarkdown(results)).not.toContain(ALICE);
  });

  it("B28: JSON export is the results object, with author names when asked", () => {
    const results = revealedResults(false);
    const json = toJson(results, { authorName: () => "Someone" });
    expect(json).toMatchObject({ boardId: results.boardId, phase: "reveal" });
    expect((json.overall as { authorName: string; votes: number }[])[0]).toMatchObject({
      votes: 2,
      authorName: "Someone",
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it("B28: Markdown tables escape markup and keep each row on one line", () => {
    expect(markdownCell("a | b *c* <script>\nx")).toBe("a \\| b \\*c\\* \\<script\\> x");
    const md = toMarkdown(revealedResults(false), { title: "Lab 1" });
    expect(md.startsWith("# Lab 1\n")).toBe(true);
    expect(md).toContain('| 1 | Say "hi", then leave |  | 2 |');
    expect(md).toContain("## Ideas");
  });
});
