// Items are written to be read by many communities, so a body that the page's sanitizer would have
// to cut is refused outright (400, nothing stored) rather than silently cleaned: the author learns
// at once, and what is stored is what every reader sees.
//
// The check is the renderer's own: the Markdown is rendered (events/markdown.ts) and sanitized with
// the allow-list every page uses, and the result is compared with the same HTML sanitized with
// nothing disallowed — same parser, same serializer — so any difference is a tag, an attribute or a
// link scheme the sanitizer removed. The sanitizer reads HTML the way a browser does (entities
// decoded: `jav&#x61;script:` is `javascript:`). Markup that Markdown leaves as plain text but a
// browser would run if the stored body ever reached it unescaped (`<img/onerror=…>` is no HTML
// tag to CommonMark, it is to a browser) gets the same check: the Markdown's own text, read as
// HTML. Code spans and blocks, and characters escaped with a backslash, only mention markup.
import sanitizeHtml from "sanitize-html";
import { ErrorCode } from "@convivio/protocol";
import { HttpError } from "../http/problem.js";
import { MARKDOWN_ALLOWED, markdownToUnsanitizedHtml, markdownTokens } from "../events/markdown.js";

/** The same options with nothing disallowed: what the HTML is without any removal. */
const UNFILTERED: sanitizeHtml.IOptions = {
  ...MARKDOWN_ALLOWED,
  allowedTags: false,
  allowedAttributes: false,
  allowedClasses: {},
  allowedSchemesAppliedToAttributes: [],
  allowVulnerableTags: true,
};

const ALLOWED_TAGS = new Set(MARKDOWN_ALLOWED.allowedTags || []);

/** What the sanitizer would remove from the body, as a short list for the author ([] = nothing). */
export function removedBySanitizer(markdown: string): string[] {
  if (!markdown.trim()) return [];
  const tags = new Set<string>();
  let removed = false;
  const check = (html: string) => {
    const strict = sanitizeHtml(html, {
      ...MARKDOWN_ALLOWED,
      onOpenTag: (name) => {
        if (!ALLOWED_TAGS.has(name)) tags.add(`<${name}>`);
      },
    });
    if (strict !== sanitizeHtml(html, UNFILTERED)) removed = true;
  };
  check(markdownToUnsanitizedHtml(markdown));
  // The leaves of plain text as written (not code, not backslash escapes, not HTML Markdown kept).
  const text = markdownTokens(markdown)
    .filter((token) => token.type === "text" && !("tokens" in token && token.tokens?.length))
    .map((token) => token.raw)
    .join("");
  if (text.includes("<")) check(text);
  if (!removed) return [];
  return tags.size > 0 ? [...tags] : ["an attribute or a link"];
}

/** Refuses a body the sanitizer would have to cut, naming what it would remove. */
export function assertNoScript(body: string | undefined): void {
  if (body === undefined) return;
  const removed = removedBySanitizer(body);
  if (removed.length > 0) {
    throw new HttpError(ErrorCode.validationFailed, "The text contains markup that pages do not show", [
      {
        path: "body",
        message: `remove ${removed.join(", ")}: use Markdown, with http, https or mailto links; write tag names inside \`code\``,
      },
    ]);
  }
}
