import { useTranslation } from "react-i18next";
import { Logo } from "./Logo";

export function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container footer-inner">
        <div className="footer-brand">
          <Logo size={24} />
          <span>{t("common.appName")}</span>
        </div>
        <p>{t("shell.footer.tagline")}</p>
        <p className="footer-meta">
          {t("shell.footer.license")} {t("shell.footer.selfHosted")}
        </p>
      </div>
    </footer>
  );
}
