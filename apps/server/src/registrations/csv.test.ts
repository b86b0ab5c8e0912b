import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv.js";

describe("CSV export", () => {
  it("starts with a UTF-8 BOM and ends rows with CRLF", () => {
    const text = toCsv(["Nome", "Città"], [["Lucía", "Forlì"]]);
    expect(text.startsWith("\uFEFFNome,Città\r\n")).toBe(true);
    expect(text).toBe("\uFEFFNome,Città\r\nLucía,Forlì\r\n");
  });

  it("quotes commas, quotes and line breaks", () => {
    expect(csvCell('Rossi, "Mario"')).toBe('"Rossi, ""Mario"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(" padded")).toBe('" padded"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(12)).toBe("12");
  });

  it("neutralises text a spreadsheet would run as a formula", () => {
    for (const evil of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"]) {
      expect(csvCell(evil).replace(/^"/, "").startsWith("'")).toBe(true);
    }
    expect(csvCell("=1,2")).toBe('"\'=1,2"');
    expect(csvCell("safe")).toBe("safe");
  });
});
