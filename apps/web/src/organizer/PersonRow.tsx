// One person in the organizer's registrations table: the row with its quick actions, and the
// details row (answers, language, consent, invite code, and the history of status changes with
// who made each one).
import { useState } from "react";
import { Link } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  RegistrationStatus,
  type AnswerValue,
  type DecisionAction,
  type Question,
  type RegistrationView,
  type StatusChange,
} from "@convivio/protocol";
import { call } from "../api/client";
import { viewerTimeZone } from "../events/datetime";
import { formatDateTime } from "../events/zonedTime";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { registrationQueryKey } from "../registrations/access";
import { StatusBadge } from "../registrations/StatusBadge";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { Spinner } from "../ui/Spinner";
import "../styles/events.css";

export function PersonRow({
  registration,
  questions,
  selected,
  busy,
  onSelect,
  onAction,
}: {
  registration: RegistrationView;
  questions: Question[];
  selected: boolean;
  busy: boolean;
  onSelect: (on: boolean) => void;
  onAction: (action: DecisionAction) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const locale = INTL_LOCALE[currentLocale()];
  const seats = registration.sessions.filter((s) => s.status !== "cancelled");
  const detailsId = `details-${registration.id}`;
  const answerText = (value: AnswerValue | undefined) =>
    value === undefined
      ? "—"
      : Array.isArray(value)
        ? value.join(", ")
        : typeof value === "boolean"
          ? value
            ? t("registrations.manage.yes")
            : t("registrations.manage.no")
          : value;
  return (
    <>
      <tr className={selected ? "is-selected" : undefined}>
        <td className="cell-check">
          <input
            type="checkbox"
            className="check"
            checked={selected}
            aria-label={t("registrations.people.select", { name: registration.name })}
            onChange={(changed) => onSelect(changed.target.checked)}
          />
        </td>
        <td data-label={t("registrations.people.person")}>
          <p className="person-name">{registration.name}</p>
          <p className="muted small person-email">{registration.email}</p>
          <button
            type="button"
            className="link-button small"
            aria-expanded={open}
            aria-controls={detailsId}
            onClick={() => setOpen(!open)}
          >
            {open ? t("registrations.people.hideDetails") : t("registrations.people.showDetails")}
          </button>
        </td>
        <td data-label={t("registrations.people.status")}>
          <StatusBadge status={registration.status} position={registration.waitlistPosition} />
          {registration.overCapacity ? (
            <p className="muted small">{t("registrations.people.overCapacity")}</p>
          ) : null}
        </td>
        <td data-label={t("registrations.people.registered")}>
          <span className="nowrap">{formatDateTime(registration.createdAt, locale, viewerTimeZone())}</span>
          {registration.source === "organizer" ? (
            <p className="muted small">{t("registrations.people.byOrganizer")}</p>
          ) : null}
        </td>
        <td data-label={t("registrations.people.sessions")}>
          {seats.length === 0
            ? "—"
            : seats.map((seat) => (
                <p key={seat.sessionId} className="small">
                  {seat.title}
                  {seat.status === "waitlisted" ? ` (${t("registrations.status.waitlisted")})` : ""}
                </p>
              ))}
        </td>
        <td className="cell-actions">
          {registration.status === "pending" ? (
            <>
              <Button className="btn-small" busy={busy} onClick={() => onAction("approve")}>
                {t("registrations.people.approve")}
                <span className="visually-hidden">: {registration.name}</span>
              </Button>
              <Button className="btn-small" variant="ghost" onClick={() => onAction("reject")}>
                {t("registrations.people.reject")}
                <span className="visually-hidden">: {registration.name}</span>
              </Button>
            </>
          ) : registration.status === "waitlisted" ? (
            <Button className="btn-small" variant="secondary" busy={busy} onClick={() => onAction("promote")}>
              {t("registrations.people.promote")}
              <span className="visually-hidden">: {registration.name}</span>
            </Button>
          ) : null}
        </td>
      </tr>
      {open ? (
        <tr className="details-row" id={detailsId}>
          <td />
          <td colSpan={5}>
            <dl className="facts-list compact">
              {questions.map((question) => (
                <div key={question.id}>
                  <dt>{question.label}</dt>
                  <dd>{answerText(registration.answers[question.id])}</dd>
                </div>
              ))}
              <div>
                <dt>{t("registrations.people.language")}</dt>
                <dd>{t(`common.languageNames.${registration.locale}`)}</dd>
              </div>
              <div>
                <dt>{t("registrations.people.consent")}</dt>
                <dd>
                  {registration.consent
                    ? t("registrations.people.consentGiven", {
                        version: registration.consent.version,
                        date: formatDateTime(registration.consent.at, locale, viewerTimeZone()),
                      })
                    : "—"}
                </dd>
              </div>
              {registration.inviteCode ? (
                <div>
                  <dt>{t("registrations.invites.code")}</dt>
                  <dd>
                    <code>{registration.inviteCode}</code>
                  </dd>
                </div>
              ) : null}
            </dl>
            <RegistrationHistory registration={registration} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

const SYSTEM_REASONS: Record<string, "seatFreed" | "sessionCancelled" | "inviteCode" | "registrationEnded"> =
  {
    "a seat became free": "seatFreed",
    "session cancelled": "sessionCancelled",
    "invite code": "inviteCode",
    "event registration ended": "registrationEnded",
  };

/**
 * Every status change of one registration, oldest first, with who made it: the registrant, an
 * organizer by name, or the system (a freed seat). Loaded when the details open.
 */
function RegistrationHistory({ registration }: { registration: RegistrationView }) {
  const { t } = useTranslation();
  const locale = INTL_LOCALE[currentLocale()];
  const detail = useQuery({
    queryKey: registrationQueryKey(registration.id),
    queryFn: ({ signal }) => call("getRegistration", { params: { registrationId: registration.id }, signal }),
  });
  const titleId = `history-${registration.id}`;
  const statusText = (status: string) => {
    const known = RegistrationStatus.safeParse(status);
    return known.success ? t(`registrations.status.${known.data}`) : status;
  };
  // The server's own reasons are fixed English phrases; an organizer's reason is shown as typed.
  const reasonText = (reason: string) => {
    const key = SYSTEM_REASONS[reason];
    return key ? t(`registrations.people.historyReason.${key}`) : reason;
  };
  const who = (change: StatusChange) =>
    change.by === "system"
      ? t("registrations.people.historyBy.system")
      : (change.actorName ??
        (change.by === "attendee" ? registration.name : t("registrations.people.historyBy.organizer")));
  return (
    <section className="person-history" aria-labelledby={titleId}>
      <h3 id={titleId} className="person-history-title">
        {t("registrations.people.historyTitle")}
      </h3>
      {detail.isPending ? (
        <p className="pending small" role="status">
          <Spinner /> {t("common.loading")}
        </p>
      ) : detail.isError ? (
        <Alert tone="error">
          {t("registrations.people.historyLoadError")}{" "}
          <Button variant="ghost" className="btn-small" onClick={() => void detail.refetch()}>
            {t("common.retry")}
          </Button>
        </Alert>
      ) : (
        <ol className="history-list">
          {detail.data.history.map((change, index) => (
            <li key={index}>
              <time dateTime={change.at}>{formatDateTime(change.at, locale, viewerTimeZone())}</time>{" "}
              <span>
                {change.sessionTitle !== null
                  ? t("registrations.manage.historySession", {
                      status: statusText(change.to),
                      title: change.sessionTitle,
                    })
                  : statusText(change.to)}
              </span>
              <span className="muted">
                {" "}
                · {t("registrations.people.historyByNamed", { name: who(change) })}
              </span>
              {change.reason ? <span className="muted"> · {reasonText(change.reason)}</span> : null}
            </li>
          ))}
        </ol>
      )}
      <p className="small">
        <Link to={`/registrations/${registration.id}`}>{t("registrations.people.openRegistration")}</Link>
      </p>
    </section>
  );
}
