import { useEffect, useRef } from "react";
import { Outlet, ScrollRestoration, useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import { Footer } from "./Footer";
import { Header } from "./Header";

/** The frame of every page: skip link, header, the page, footer. */
export function Layout() {
  const { t } = useTranslation();
  const mainRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const firstPath = useRef(pathname);

  // A client-side navigation does not move focus the way a page load does; put it at the
  // start of the new page so keyboard and screen-reader users are not left in the old one.
  useEffect(() => {
    if (pathname === firstPath.current) return;
    firstPath.current = "";
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t("shell.skipLink")}
      </a>
      <Header />
      <main id="main" ref={mainRef} tabIndex={-1} className="site-main">
        <Outlet />
      </main>
      <Footer />
      <ScrollRestoration />
    </div>
  );
}
