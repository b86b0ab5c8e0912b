import { useTranslation } from "react-i18next";
import type { RegistrationStatus, SessionSeatStatus } from "@convivio/protocol";

/** A registration's (or a session seat's) status as a coloured pill. */
export function StatusBadge({
  status,
  position,
}: {
  status: RegistrationStatus | SessionSeatStatus;
  /** Place in the waiting line, shown beside "Waiting list". */
  position?: number | null | undefined;
}) {
  const { t } = useTranslation();
  return (
    <span className={`status status-${status}`}>
      {t(`registrations.status.${status}`)}
      {status === "waitlisted" && position ? (
        <span className="status-position"> · {t("registrations.status.position", { position })}</span>
      ) : null}
    </span>
  );
}
