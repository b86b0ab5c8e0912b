// Event and session descriptions are Markdown written by organizers; pages show them as HTML that
// can carry no script, style or foreign frame, whatever was typed.
import { Marked, type Token } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALIGN = { name: "align", values: ["left", "center", "right"] };

/** The allow-list every page renders Markdown with (the library's script guard checks against it). */
export const MARKDOWN_ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  // rel and target are set by the transform below, never taken from the input. Table alignment
  // and a code block's language are what Markdown itself writes (`|---:|`, ```js).
  allowedAttributes: { a: ["href", "title", "rel", "target"], th: [ALIGN], td: [ALIGN] },
  allowedClasses: { code: ["language-*"] },
  allowedSchemes: ["http", "https", "mailto"],
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow", target: "_blank" }),
  },
};

/** The renderer's tokens of a Markdown text (for checks of what it would treat as text). */
export function markdownTokens(markdown: string): Token[] {
  const tokens: Token[] = [];
  marked.walkTokens(marked.lexer(markdown), (token) => {
    tokens.push(token);
  });
  return tokens;
}

/** Markdown to HTML as the renderer writes it, before sanitizing: never send this to a page. */
export function markdownToUnsanitizedHtml(markdown: string): string {
  return marked.parse(markdown) as string;
}

/** Markdown to sanitized HTML. */
export function renderMarkdown(markdown: string): string {
  if (!markdown.trim()) return "";
  return sanitizeHtml(markdownToUnsanitizedHtml(markdown), MARKDOWN_ALLOWED);
}
