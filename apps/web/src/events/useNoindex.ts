import { useEffect } from "react";
import type { EventVisibility } from "@convivio/protocol";

/**
 * Asks search engines not to index this page while it shows an event that is not public: an
 * unlisted event is for people with its link (the API says the same with `X-Robots-Tag`).
 */
export function useNoindex(visibility: EventVisibility | undefined): void {
  const hide = visibility !== undefined && visibility !== "public";
  useEffect(() => {
    if (!hide) return;
    const meta = document.createElement("meta");
    meta.name = "robots";
    meta.content = "noindex";
    document.head.append(meta);
    return () => meta.remove();
  }, [hide]);
}
