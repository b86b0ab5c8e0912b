import { useTranslation } from "react-i18next";
import type { RegistrationCounts } from "@convivio/protocol";

/** Capacity, confirmed, waiting and pending at a glance, and each session's seats. */
export function CountsBar({ counts }: { counts: RegistrationCounts }) {
  const { t } = useTranslation();
  const percent = counts.capacity
    ? Math.min(100, Math.round((counts.seatsTaken / counts.capacity) * 100))
    : null;
  return (
    <section aria-labelledby="counts-title">
      <h2 id="counts-title" className="visually-hidden">
        {t("registrations.people.countsTitle")}
      </h2>
      <dl className="stat-grid">
        <div className="stat">
          <dt>{t("registrations.people.capacity")}</dt>
          <dd>
            <span className="stat-value">
              {counts.capacity === null
                ? t("registrations.people.noLimit")
                : t("registrations.people.seatsOf", { taken: counts.seatsTaken, capacity: counts.capacity })}
            </span>
            {percent !== null ? (
              <span
                className="meter"
                role="img"
                aria-label={t("registrations.people.percentFull", { percent })}
              >
                <span className="meter-fill" style={{ width: `${percent}%` }} />
              </span>
            ) : null}
          </dd>
        </div>
        <div className="stat stat-confirmed">
          <dt>{t("registrations.people.confirmed")}</dt>
          <dd className="stat-value">{counts.confirmed}</dd>
        </div>
        <div className="stat stat-waitlisted">
          <dt>{t("registrations.people.waiting")}</dt>
          <dd className="stat-value">{counts.waitlisted}</dd>
        </div>
        <div className="stat stat-pending">
          <dt>{t("registrations.people.pending")}</dt>
          <dd className="stat-value">{counts.pending}</dd>
        </div>
      </dl>
      {counts.sessions.length > 0 ? (
        <ul className="session-counts" role="list">
          {counts.sessions.map((session) => (
            <li key={session.sessionId}>
              <span className="session-counts-title">{session.title}</span>
              <span className="muted">
                {session.capacity === null
                  ? t("registrations.people.sessionNoLimit", { confirmed: session.confirmed })
                  : t("registrations.people.sessionSeats", {
                      confirmed: session.confirmed,
                      capacity: session.capacity,
                    })}
                {session.waitlisted > 0
                  ? ` · ${t("registrations.people.sessionWaiting", { count: session.waitlisted })}`
                  : ""}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
