import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { RegistrationStatus } from "@convivio/protocol";

const ICONS: Record<RegistrationStatus, string> = {
  confirmed: "M20 6 9 17l-5-5",
  waitlisted: "M12 7v5l3 2M22 12a10 10 0 1 1-20 0 10 10 0 0 1 20 0Z",
  pending: "M12 7v5l3 2M22 12a10 10 0 1 1-20 0 10 10 0 0 1 20 0Z",
  cancelled: "M18 6 6 18M6 6l12 12",
  rejected: "M18 6 6 18M6 6l12 12",
};

/** What a registration's status means for the person, in a sentence or two, with an icon. */
export function StatusPanel({
  status,
  position,
  title,
  children,
}: {
  status: RegistrationStatus;
  position: number | null | undefined;
  /** Replaces the status's own headline (e.g. "You were already registered"). */
  title?: ReactNode;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className={`status-panel status-panel-${status}`}>
      <svg className="status-panel-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d={ICONS[status]} />
      </svg>
      <div>
        <p className="status-panel-title">{title ?? t(`registrations.statusPanel.${status}.title`)}</p>
        <p className="status-panel-body">
          {status === "waitlisted" && position
            ? t("registrations.statusPanel.waitlisted.bodyPosition", { position })
            : t(`registrations.statusPanel.${status}.body`)}
        </p>
        {children}
      </div>
    </div>
  );
}
