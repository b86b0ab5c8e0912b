import { Link, NavLink, Outlet, useLocation, useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Slug } from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { VisibilityBadge } from "../events/EventBadges";
import { formatDayRange, viewerTimeZone } from "../events/datetime";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Alert } from "../ui/Alert";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { eventQueryKey, type ManageContext } from "./manageContext";

const TABS = [
  { to: "", key: "details" },
  { to: "schedule", key: "schedule" },
  { to: "team", key: "team" },
  { to: "registration", key: "registration" },
  { to: "people", key: "people" },
  { to: "attendance", key: "attendance" },
] as const;

/** The organizer's console for one event: a header and a tab per part of the work. */
export function ManageLayout() {
  const { t } = useTranslation();
  const slug = useParams().slug ?? "";
  const location = useLocation();
  const valid = Slug.safeParse(slug).success;
  const event = useQuery({
    queryKey: eventQueryKey(slug),
    queryFn: ({ signal }) => call("getEvent", { params: { slug }, signal }),
    enabled: valid,
  });
  useDocumentTitle(
    event.data ? t("registrations.manageShell.pageTitle", { title: event.data.title }) : undefined,
  );
  const created = (location.state as { created?: boolean } | null)?.created === true;

  if (!valid || isApiError(event.error, "not_found")) {
    return (
      <div className="container narrow page-message">
        <h1>{t("event.notFoundTitle")}</h1>
        <p className="lede">{t("registrations.manageShell.notFound")}</p>
        <Link to="/dashboard" className="btn btn-primary">
          {t("registrations.manageShell.backToDashboard")}
        </Link>
      </div>
    );
  }
  if (event.isError) {
    return (
      <div className="container page">
        <PageLoadError
          title={t("event.loadError")}
          error={event.error}
          onRetry={() => void event.refetch()}
        />
      </div>
    );
  }
  if (!event.data) return <PageLoading />;
  if (!event.data.roles.includes("organizer")) {
    return (
      <div className="container narrow page-message">
        <h1>{t("registrations.manageShell.notOrganizerTitle")}</h1>
        <p className="lede">{t("registrations.manageShell.notOrganizer")}</p>
        <Link to={`/e/${slug}`} className="btn btn-primary">
          {t("registrations.manageShell.viewPage")}
        </Link>
      </div>
    );
  }

  const context: ManageContext = { event: event.data };
  const locale = INTL_LOCALE[currentLocale()];
  return (
    <div className="manage">
      <header className="manage-header">
        <div className="container">
          <p className="back-link">
            <Link to="/dashboard">← {t("registrations.manageShell.backToDashboard")}</Link>
          </p>
          <div className="manage-title-row">
            <div>
              <VisibilityBadge visibility={event.data.visibility} />
              <h1 className="manage-title">{event.data.title}</h1>
              <p className="muted">
                {formatDayRange(event.data.startsAt, event.data.endsAt, locale, viewerTimeZone())}
              </p>
            </div>
            <Link to={`/e/${event.data.slug}`} className="btn btn-secondary btn-small">
              {t("registrations.manageShell.viewPage")}
            </Link>
          </div>
          <nav className="manage-tabs" aria-label={t("registrations.manageShell.tabsLabel")}>
            {TABS.map((tab) => (
              <NavLink
                key={tab.key}
                to={tab.to === "" ? `/manage/${event.data.slug}` : `/manage/${event.data.slug}/${tab.to}`}
                end
                className={({ isActive }) => (isActive ? "manage-tab is-active" : "manage-tab")}
              >
                {t(`registrations.manageShell.tabs.${tab.key}`)}
              </NavLink>
            ))}
          </nav>
        </div>
      </header>
      <div className="container page manage-body">
        {created ? (
          <div role="status" className="form-alert">
            <Alert tone="success" title={t("registrations.manageShell.createdTitle")}>
              {t("registrations.manageShell.createdBody")}
            </Alert>
          </div>
        ) : null}
        <Outlet context={context} />
      </div>
    </div>
  );
}
