// Items are written to be read by many communities, so a body carrying script is refused outright
// (400, nothing stored) rather than silently cleaned: the author learns at once, and what is stored
// is what every reader sees. Pages still render through the sanitizer (events/markdown.ts) as a
// second line of defence.
import { Marked } from "marked";
import { ErrorCode } from "@convivio/protocol";
import { HttpError } from "../http/problem.js";

const marked = new Marked({ gfm: true, breaks: false, async: false });

const ACTIVE_TAG = /<\s*\/?\s*(script|iframe|frame|object|embed|style|link|meta|base|form|svg|math)\b/i;
const EVENT_HANDLER = /<[^>]*\son[a-z]+\s*=/i;
const ACTIVE_URL = /\b(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data)\s*:/i;

/** Whether Markdown, once rendered, would carry script (tags, handlers or script URLs). */
export function containsScript(markdown: string): boolean {
  if (!markdown) return false;
  const html = marked.parse(markdown) as string;
  return [ACTIVE_TAG, EVENT_HANDLER, ACTIVE_URL].some(
    (pattern) => pattern.test(html) || pattern.test(markdown),
  );
}

/** Refuses a body that carries script, naming the field. */
export function assertNoScript(body: string | undefined): void {
  if (body !== undefined && containsScript(body)) {
    throw new HttpError(ErrorCode.validationFailed, "The text contains script or active content", [
      { path: "body", message: "remove <script>, event handlers and javascript: links" },
    ]);
  }
}
