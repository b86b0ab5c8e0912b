import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import type { User } from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { adoptAccountLocale } from "../i18n/i18n";

export const meQueryKey = ["me"] as const;

/** The signed-in person, or `null` when nobody is signed in. */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async ({ signal }): Promise<User | null> => {
      try {
        const { user } = await call("getMe", { signal });
        adoptAccountLocale(user.locale);
        return user;
      } catch (error) {
        if (isApiError(error, "unauthenticated")) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Records who is signed in after a call that opened a session (sign-in, sign-up, magic link). */
export function setSignedIn(queryClient: QueryClient, user: User): void {
  // A `getMe` still in flight from before would otherwise land afterwards and say "nobody".
  void queryClient.cancelQueries({ queryKey: meQueryKey, exact: true });
  queryClient.setQueryData(meQueryKey, user);
  adoptAccountLocale(user.locale);
}

/** Forgets everything cached for the previous person. */
export function setSignedOut(queryClient: QueryClient): void {
  void queryClient.cancelQueries();
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
  queryClient.setQueryData(meQueryKey, null);
}

/** Signs out, then goes to `destination`. */
export function useSignOut(destination: string) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => call("signOut"),
    onSuccess: async () => {
      // Leave first: forgetting the person while still on a protected page would send them
      // to sign in (with a link back) instead of where they asked to go.
      await navigate(destination, { flushSync: true });
      setSignedOut(queryClient);
    },
  });
}
