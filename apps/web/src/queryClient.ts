import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isApiError } from "./api/client";
import { meQueryKey } from "./auth/session";

/** Client errors will not go away by asking again; network trouble and 5xx might. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000 },
      mutations: { retry: false },
    },
    // A session revoked elsewhere ("sign out everywhere") shows up as a 401 on any call:
    // forget the person, and protected pages send them to sign in.
    queryCache: new QueryCache({ onError: (error) => forgetOnUnauthenticated(queryClient, error) }),
    mutationCache: new MutationCache({ onError: (error) => forgetOnUnauthenticated(queryClient, error) }),
  });
  return queryClient;
}

function forgetOnUnauthenticated(queryClient: QueryClient, error: unknown): void {
  if (isApiError(error, "unauthenticated") && queryClient.getQueryData(meQueryKey)) {
    queryClient.setQueryData(meQueryKey, null);
  }
}
