import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMe } from "../auth/session";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { formatDate, viewerTimeZone } from "../events/datetime";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { PasswordCard } from "./PasswordCard";
import { ProfileCard } from "./ProfileCard";
import { SignOutEverywhereCard } from "./SignOutEverywhereCard";

export function AccountPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("account.title"));
  const user = useMe().data;
  const [profileSaved, setProfileSaved] = useState(false);
  // RequireAuth renders this page only for a signed-in person.
  if (!user) return null;

  return (
    <div className="container narrow page">
      <header className="page-header">
        <h1>{t("account.title")}</h1>
        <p className="muted">
          {user.email} ·{" "}
          {t("account.memberSince", {
            date: formatDate(user.createdAt, INTL_LOCALE[currentLocale()], viewerTimeZone()),
          })}
        </p>
      </header>
      <div className="stack">
        {/* Keyed by language: switching it in the header must not leave a stale choice here. */}
        <ProfileCard key={user.locale} user={user} saved={profileSaved} onSavedChange={setProfileSaved} />
        <PasswordCard hasPassword={user.hasPassword} email={user.email} />
        <SignOutEverywhereCard />
      </div>
    </div>
  );
}
