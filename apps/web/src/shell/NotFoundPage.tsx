import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useDocumentTitle } from "../ui/useDocumentTitle";

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("notFound.title"));
  return (
    <div className="container narrow page-message">
      <p className="big-code" aria-hidden="true">
        404
      </p>
      <h1>{t("notFound.title")}</h1>
      <p className="lede">{t("notFound.body")}</p>
      <Link to="/" className="btn btn-primary">
        {t("notFound.home")}
      </Link>
    </div>
  );
}
