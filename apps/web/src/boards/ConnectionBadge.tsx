import { useTranslation } from "react-i18next";
import type { ConnectionStatus } from "../live/LiveConnection";
import { Spinner } from "../ui/Spinner";

/** Live / connecting / reconnecting / offline, and how many changes are waiting to go out. */
export function ConnectionBadge({ status, pending }: { status: ConnectionStatus; pending: number }) {
  const { t } = useTranslation();
  return (
    <p className={`connection connection-${status}`} role="status">
      {status === "connecting" || status === "reconnecting" ? (
        <Spinner />
      ) : (
        <span className="connection-dot" aria-hidden="true" />
      )}
      <span>{t(`board.connection.${status}`)}</span>
      {pending > 0 && status !== "connected" ? (
        <span className="connection-pending">{t("board.connection.pending", { count: pending })}</span>
      ) : null}
    </p>
  );
}

export function PresenceCount({ count }: { count: number | null }) {
  const { t } = useTranslation();
  if (count === null) return null;
  return (
    <p className="presence">
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <circle cx="9" cy="8" r="3.2" />
        <path d="M3 19c.6-3.2 3-5 6-5s5.4 1.8 6 5" />
        <circle cx="17" cy="9" r="2.4" />
        <path d="M16.5 14.2c2.3.2 4 1.7 4.5 4.3" />
      </svg>
      <span>{t("board.presence", { count })}</span>
    </p>
  );
}
