// Only public events are for search engines: an unlisted event is for people with its link, a
// draft for its organizers. Every API answer about one of those says so to crawlers; the web app
// puts the same word in the page (<meta name="robots">), since crawlers read both.
import type { Response } from "express";
import type { EventRow } from "../access/permissions.js";

export const NOINDEX_HEADER = "X-Robots-Tag";

/** Marks the response as not for indexing unless the event is public. */
export function markNoindexUnlessPublic(res: Response, event: Pick<EventRow, "visibility">): void {
  if (event.visibility !== "public") res.setHeader(NOINDEX_HEADER, "noindex");
}
