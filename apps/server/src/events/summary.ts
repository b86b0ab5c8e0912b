// The short plain-text summary the public list of events shows under each title: the start of the
// description as a reader sees it, without Markdown syntax or markup.
import sanitizeHtml from "sanitize-html";
import { renderMarkdown } from "./markdown.js";

// Block ends and line breaks become spaces, so "<p>a</p><p>b</p>" reads "a b", not "ab".
const BLOCK_END = /<\/(?:p|li|h[1-6]|blockquote|pre|tr|td|th)>|<br\s*\/?>/gi;
const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
};

/** At most `maxLength` characters of a Markdown text as plain text, cut at a word with an ellipsis. */
export function plainSummary(markdown: string, maxLength: number): string {
  const html = renderMarkdown(markdown).replace(BLOCK_END, " ");
  // sanitize-html with nothing allowed keeps only the text, entity-escaped; undo its escaping.
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
