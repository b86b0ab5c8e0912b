import { Link, NavLink } from "react-router";
import { useTranslation } from "react-i18next";
import { useMe, useSignOut } from "../auth/session";
import { Button } from "../ui/Button";
import { LanguageSwitcher } from "./LanguageSwitcher";
import { Logo } from "./Logo";

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  const first = parts[0]?.[0] ?? "";
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase();
}

const navClass = ({ isActive }: { isActive: boolean }) => (isActive ? "nav-link is-active" : "nav-link");

export function Header() {
  const { t } = useTranslation();
  const me = useMe();
  const signOut = useSignOut("/");
  const user = me.data ?? null;

  return (
    <header className="site-header">
      <div className={user ? "container header-inner" : "container header-inner is-guest"}>
        <Link to="/" className="brand" aria-label={t("shell.homeLink")}>
          <Logo />
          <span className="brand-name">{t("common.appName")}</span>
        </Link>

        <nav className={user ? "site-nav" : "site-nav site-nav-end"} aria-label={t("shell.navLabel")}>
          {user ? (
            <>
              <NavLink to="/dashboard" className={navClass}>
                {t("shell.nav.dashboard")}
              </NavLink>
              <NavLink to="/registrations" className={navClass}>
                {t("shell.nav.registrations")}
              </NavLink>
              <NavLink to="/library" className={navClass}>
                {t("library.nav.library")}
              </NavLink>
              <NavLink to="/account" className={navClass}>
                {t("shell.nav.account")}
              </NavLink>
            </>
          ) : me.isPending ? null : (
            <>
              <NavLink to="/library" className={navClass}>
                {t("library.nav.library")}
              </NavLink>
              <NavLink to="/sign-in" className={navClass}>
                {t("shell.nav.signIn")}
              </NavLink>
              <Link to="/sign-up" className="btn btn-primary btn-small">
                {t("shell.nav.signUp")}
              </Link>
            </>
          )}
        </nav>

        <LanguageSwitcher />

        {user ? (
          <div className="user-area">
            <span className="user-chip">
              <span className="avatar" aria-hidden="true">
                {initials(user.name)}
              </span>
              <span className="user-name" aria-hidden="true">
                {user.name}
              </span>
              <span className="visually-hidden">{t("shell.signedInAs", { name: user.name })}</span>
            </span>
            <Button
              variant="secondary"
              className="btn-small"
              busy={signOut.isPending}
              busyLabel={t("shell.signingOut")}
              onClick={() => signOut.mutate()}
            >
              {t("shell.signOut")}
            </Button>
          </div>
        ) : null}
      </div>
    </header>
  );
}
