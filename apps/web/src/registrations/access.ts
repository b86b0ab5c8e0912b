import { useEffect, useState } from "react";
import { useLocation, useNavigate } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { call, isApiError } from "../api/client";
import { useMe } from "../auth/session";
import {
  forgetRegistration,
  rememberRegistration,
  rememberedForEvent,
  rememberedToken,
  tokenFromHash,
  tokenHeaders,
} from "./deviceRegistrations";

export const registrationQueryKey = (id: string) => ["registration", id] as const;
export const myRegistrationsQueryKey = ["me", "registrations"] as const;
export const registrationFormQueryKey = (slug: string) => ["registration-form", slug] as const;

/**
 * The token that opens a registration here: from an emailed link's `#token=` (remembered on this
 * device, then taken out of the address bar) or remembered from before. Undefined when there is
 * none; a signed-in owner or organizer still gets in with the session cookie.
 */
export function useRegistrationToken(registrationId: string): string | undefined {
  const location = useLocation();
  const navigate = useNavigate();
  const [token] = useState(() => tokenFromHash(location.hash) ?? rememberedToken(registrationId));

  useEffect(() => {
    const fromLink = tokenFromHash(location.hash);
    if (!fromLink) return;
    rememberRegistration({ id: registrationId, token: fromLink });
    // The fragment is a key: keep it out of the history, bookmarks and screenshots.
    void navigate({ pathname: location.pathname, search: location.search }, { replace: true });
  }, [location.hash, location.pathname, location.search, navigate, registrationId]);

  return token;
}

/** One registration with its event, questions and history, as its owner (or an organizer) sees it. */
export function useRegistration(registrationId: string, token: string | undefined, enabled = true) {
  return useQuery({
    queryKey: registrationQueryKey(registrationId),
    queryFn: async ({ signal }) => {
      try {
        const detail = await call("getRegistration", {
          params: { registrationId },
          headers: tokenHeaders(token),
          signal,
        });
        if (token) rememberRegistration({ id: registrationId, token, eventId: detail.event.id });
        return detail;
      } catch (error) {
        // A remembered token that no longer opens anything is only clutter on this device.
        if (token && isApiError(error, "not_found")) forgetRegistration(registrationId);
        throw error;
      }
    },
    enabled,
    retry: (count, error) => !isApiError(error, "not_found") && count < 2,
  });
}

/**
 * The viewer's own registration for an event, if this browser knows one: the signed-in person's,
 * or one remembered on this device with its link's token. Pages other than the registration box
 * use it to show seats (a session's page, say).
 */
export function useViewerRegistration(eventId: string) {
  const me = useMe();
  const mine = useQuery({
    queryKey: myRegistrationsQueryKey,
    queryFn: ({ signal }) => call("listMyRegistrations", { signal }),
    enabled: Boolean(me.data),
  });
  const [remembered] = useState(() => rememberedForEvent(eventId));
  const signedInOne = mine.data?.registrations.find((r) => r.event.id === eventId)?.registration;
  const id = signedInOne?.id ?? remembered?.id;
  const token = id !== undefined && id === remembered?.id ? remembered.token : undefined;
  const detail = useRegistration(id ?? "", token, Boolean(id) && (Boolean(token) || Boolean(me.data)));
  return {
    registration: detail.data?.registration,
    token,
    isPending: (me.isPending && me.fetchStatus !== "idle") || (mine.isPending && mine.fetchStatus !== "idle"),
  };
}
