import { useEffect } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { OneTimeToken } from "@convivio/protocol";
import { ApiError, call, isApiError } from "../api/client";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { Spinner } from "../ui/Spinner";
import { errorMessage } from "../ui/message";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { AuthCard } from "./AuthCard";
import { MagicLinkRequest } from "./MagicLinkRequest";
import { setSignedIn, useMe } from "./session";
import { safeNext } from "./validation";

const malformed = new ApiError({ status: 400, code: "token_invalid", title: "Malformed token" });

/** Where a magic link lands: trades the token for a session, then goes where the link said. */
export function MagicLinkPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const wellFormed = OneTimeToken.safeParse(token).success;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMe();

  // A query rather than a mutation so that the token is spent exactly once per page, even when
  // React mounts the page twice (StrictMode) or the window regains focus.
  const consume = useQuery({
    queryKey: ["magic-link", token],
    queryFn: () => call("consumeMagicLink", { body: { token } }),
    enabled: wellFormed,
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

  useEffect(() => {
    if (!consume.data) return;
    setSignedIn(queryClient, consume.data.user);
    void navigate(safeNext(consume.data.next), { replace: true });
  }, [consume.data, navigate, queryClient]);

  const error = wellFormed ? consume.error : malformed;
  const title = !error
    ? t("magicLink.pendingTitle")
    : isApiError(error, "token_expired")
      ? t("magicLink.expiredTitle")
      : isApiError(error, "token_used")
        ? t("magicLink.usedTitle")
        : isApiError(error, "token_invalid")
          ? t("magicLink.invalidTitle")
          : t("magicLink.failedTitle");
  useDocumentTitle(title);

  if (!error) {
    return (
      <AuthCard title={title}>
        <p className="pending" role="status">
          <Spinner size="1.25rem" />
          <span>{t("magicLink.pendingBody")}</span>
        </p>
      </AuthCard>
    );
  }

  const isTokenProblem = isApiError(error, "token_expired", "token_used", "token_invalid");
  const body = isApiError(error, "token_expired")
    ? t("magicLink.expiredBody")
    : isApiError(error, "token_used")
      ? t("magicLink.usedBody")
      : isApiError(error, "token_invalid")
        ? t("magicLink.invalidBody")
        : null;
  const generic = errorMessage(error);

  return (
    <AuthCard title={title}>
      <div role="alert">
        <Alert tone="error">
          <p>{body ?? t(generic.key, generic.values)}</p>
        </Alert>
      </div>
      {me.data ? (
        <p>
          <Link to="/dashboard" className="btn btn-primary">
            {t("magicLink.goToDashboard")}
          </Link>
        </p>
      ) : null}
      {isTokenProblem ? (
        <section className="subsection" aria-labelledby="new-link-title">
          <h2 id="new-link-title">{t("magicLink.requestNewTitle")}</h2>
          <MagicLinkRequest headingLevel={3} />
        </section>
      ) : (
        <Button variant="secondary" onClick={() => void consume.refetch()}>
          {t("common.retry")}
        </Button>
      )}
    </AuthCard>
  );
}
