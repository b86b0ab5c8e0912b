import { useOutletContext } from "react-router";
import type { EventDetail } from "@convivio/protocol";

/** The same cache entry as the public event page, so an edit shows there at once. */
export const eventQueryKey = (slug: string) => ["event", slug] as const;
export const teamQueryKey = (slug: string) => ["event", slug, "team"] as const;
export const warningsQueryKey = (slug: string) => ["event", slug, "warnings"] as const;
export const settingsQueryKey = (slug: string) => ["event", slug, "registration-settings"] as const;
export const countsQueryKey = (slug: string) => ["event", slug, "registration-counts"] as const;
export const registrationsQueryKey = (slug: string) => ["event", slug, "registrations"] as const;
export const inviteCodesQueryKey = (slug: string) => ["event", slug, "invite-codes"] as const;

export interface ManageContext {
  event: EventDetail;
}

/** The event being managed, provided by ManageLayout to its tabs. */
export function useManagedEvent(): EventDetail {
  return useOutletContext<ManageContext>().event;
}
