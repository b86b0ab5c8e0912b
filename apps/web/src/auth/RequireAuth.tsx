import { Navigate, Outlet, useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import { useMe } from "./session";
import { PageLoading, PageLoadError } from "../shell/PageState";

/** Shows its child routes to signed-in people; sends everyone else to sign in and back. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  const { t } = useTranslation();
  if (me.isPending) return <PageLoading />;
  if (me.isError)
    return (
      <PageLoadError error={me.error} onRetry={() => void me.refetch()} title={t("errors.internal_error")} />
    );
  if (!me.data) {
    const next = `${location.pathname}${location.search}${location.hash}`;
    return (
      <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace state={{ notice: "needSignIn" }} />
    );
  }
  return <Outlet />;
}
