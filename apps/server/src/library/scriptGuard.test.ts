// The script guard refuses exactly what the page's sanitizer would cut (tags, attributes, link
// schemes, entity-encoded or not) and lets through text that only mentions markup.
import { describe, expect, test } from "vitest";
import { assertNoScript, removedBySanitizer } from "./scriptGuard.js";

describe("script guard", () => {
  test.each([
    ["a script tag", "<script>alert(1)</script>"],
    ["an event handler", '<img src=x onerror="alert(2)">'],
    ["a handler after a slash (the browser reads it as an attribute)", "<img/onerror=alert(1) src=x>"],
    ["a javascript: link", "[link](javascript:alert(3))"],
    ["a javascript: link in mixed case", '<a href="JaVaScRiPt:alert(4)">x</a>'],
    ["an entity-encoded javascript: href", '<a href="jav&#x61;script:alert(1)">x</a>'],
    ["an entity-encoded javascript: Markdown link", "[x](jav&#x61;script:alert(1))"],
    ["a data: link", "[x](data:text/html;base64,PHNjcmlwdD4=)"],
    ["a tab inside the scheme", '<a href="java\tscript:alert(1)">x</a>'],
    ["a frame", "<iframe src=https://evil.example></iframe>"],
    ["an allowed tag with a handler", '<a href="https://ok.example" onclick="steal()">x</a>'],
    ["a style block", "<style>body{display:none}</style>"],
  ])("refuses %s", (_name, body) => {
    expect(removedBySanitizer(body)).not.toEqual([]);
    expect(() => assertNoScript(body)).toThrow(expect.objectContaining({ code: "validation_failed" }));
  });

  test.each([
    ["a tag named in a code span", "Use `<form>` in HTML"],
    ["a script in a code block", "```html\n<script>alert(1)</script>\n```"],
    ["a comparison in Italian prose", "Se costo < 100 e onere = 5"],
    ["both comparisons", "Se 3 < 5 e 7 > 2, allora a & b"],
    ["links, bold and headings", "# Titolo\n\nUn [link](https://example.it) e **grassetto**."],
    ["mailto, relative and auto links", "[scrivi](mailto:a@b.it), [qui](/library) e <https://x.example>"],
    ["an aligned table (board results)", "| # | Idea | Voti |\n|---:|---|---:|\n| 1 | Orti | 2 |"],
    ["allowed raw HTML", "<strong>ok</strong> and <em>fine</em>"],
    ["markup written as entities (text everywhere)", "&lt;img src=x onerror=alert(1)&gt;"],
    ["a tag escaped with backslashes", "Meno \\<auto\\> in centro"],
    ["board results with escaped cells", "| # | Idea |\n|---:|---|\n| 1 | Meno \\<auto\\> \\| più bici |"],
  ])("accepts %s", (_name, body) => {
    expect(removedBySanitizer(body)).toEqual([]);
    expect(() => assertNoScript(body)).not.toThrow();
  });

  test("names the tags it would remove", () => {
    expect(removedBySanitizer("<script>x</script><iframe></iframe>")).toEqual(["<script>", "<iframe>"]);
    expect(removedBySanitizer("[x](javascript:alert(1))")).toEqual(["an attribute or a link"]);
  });
});
