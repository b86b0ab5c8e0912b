import { useTranslation } from "react-i18next";
import type { EventSummary } from "@convivio/protocol";

/** Draft / unlisted / public, coloured so a draft stands out in a list. */
export function VisibilityBadge({ visibility }: { visibility: EventSummary["visibility"] }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${visibility}`}>{t(`visibility.${visibility}`)}</span>;
}

export function RoleList({ roles }: { roles: EventSummary["roles"] }) {
  const { t } = useTranslation();
  return (
    <ul className="chip-list" role="list">
      {roles.map((role) => (
        <li key={role} className="chip">
          {t(`roles.${role}`)}
        </li>
      ))}
    </ul>
  );
}
