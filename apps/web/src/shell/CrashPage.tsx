import { isRouteErrorResponse, useRouteError } from "react-router";
import { useTranslation } from "react-i18next";
import { Button } from "../ui/Button";
import { NotFoundPage } from "./NotFoundPage";

/** Shown when rendering a page throws; keeps the product's look instead of a blank screen. */
export function CrashPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  console.error(error);
  return (
    <main id="main" className="site-main">
      <div className="container narrow page-message">
        <h1>{t("crash.title")}</h1>
        <p className="lede">{t("crash.body")}</p>
        <Button onClick={() => window.location.reload()}>{t("crash.reload")}</Button>
      </div>
    </main>
  );
}
