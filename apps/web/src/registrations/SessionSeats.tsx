import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { RegistrationView, SessionId } from "@convivio/protocol";
import { call } from "../api/client";
import { formatSpan } from "../events/zonedTime";
import { viewerTimeZone } from "../events/datetime";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { registrationFormQueryKey, registrationQueryKey } from "./access";
import { tokenHeaders } from "./deviceRegistrations";
import { StatusBadge } from "./StatusBadge";

/**
 * Sessions with seats of their own (a workshop, a table): take a seat or a place in line, or give
 * it back. A seat needs a confirmed registration for the event. With `only`, just that session
 * (its own page), under the given heading and intro.
 */
export function SessionSeats({
  registration,
  slug,
  token,
  headingLevel = 3,
  only,
  heading,
  intro,
}: {
  registration: RegistrationView;
  slug: string;
  token: string | undefined;
  headingLevel?: 2 | 3;
  only?: SessionId;
  heading?: string;
  intro?: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const locale = INTL_LOCALE[currentLocale()];
  const viewer = viewerTimeZone();
  const form = useQuery({
    queryKey: registrationFormQueryKey(slug),
    queryFn: ({ signal }) => call("getRegistrationForm", { params: { slug }, signal }),
  });
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: registrationQueryKey(registration.id) }),
      queryClient.invalidateQueries({ queryKey: registrationFormQueryKey(slug) }),
    ]);
  };
  const params = (sessionId: SessionId) => ({ registrationId: registration.id, sessionId });
  const join = useMutation({
    mutationFn: (sessionId: SessionId) =>
      call("joinSessionSeat", { params: params(sessionId), headers: tokenHeaders(token) }),
    onSuccess: refresh,
  });
  const leave = useMutation({
    mutationFn: (sessionId: SessionId) =>
      call("leaveSessionSeat", { params: params(sessionId), headers: tokenHeaders(token) }),
    onSuccess: refresh,
  });

  const sessions = (form.data?.sessions ?? []).filter((s) => only === undefined || s.sessionId === only);
  if (sessions.length === 0) return null;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const canChoose = registration.status === "confirmed";
  const failed = join.error ?? leave.error;
  const busyId = join.isPending ? join.variables : leave.isPending ? leave.variables : undefined;

  return (
    <section className="seats" aria-labelledby={`seats-${registration.id}`}>
      <Heading id={`seats-${registration.id}`} className="seats-title">
        {heading ?? t("registrations.seats.title")}
      </Heading>
      <p className="muted">
        {canChoose ? (intro ?? t("registrations.seats.intro")) : t("registrations.seats.needConfirmed")}
      </p>
      <FormAlert message={failed ? errorMessage(failed) : null} />
      <ul className="seat-list" role="list">
        {sessions.map((session) => {
          const seat = registration.sessions.find(
            (s) => s.sessionId === session.sessionId && s.status !== "cancelled",
          );
          const full = session.seatsLeft === 0;
          const busy = busyId === session.sessionId;
          return (
            <li key={session.sessionId} className="seat-item">
              <div className="seat-info">
                <p className="seat-name">{session.title}</p>
                <p className="seat-meta">
                  <time dateTime={session.startsAt}>
                    {formatSpan(session.startsAt, session.endsAt, locale, viewer)}
                  </time>
                  <span>
                    {session.seatsLeft === null
                      ? t("registrations.seats.unlimited")
                      : full
                        ? session.waitlist
                          ? t("registrations.seats.fullWaitlist")
                          : t("registrations.seats.full")
                        : t("registrations.seats.left", { count: session.seatsLeft })}
                  </span>
                </p>
              </div>
              <div className="seat-action">
                {seat ? (
                  <>
                    <StatusBadge status={seat.status} position={seat.waitlistPosition} />
                    <Button
                      variant="ghost"
                      className="btn-small"
                      busy={busy}
                      busyLabel={t("registrations.seats.working")}
                      onClick={() => leave.mutate(session.sessionId)}
                      aria-label={t("registrations.seats.leaveNamed", { title: session.title })}
                    >
                      {seat.status === "waitlisted"
                        ? t("registrations.seats.leaveLine")
                        : t("registrations.seats.leave")}
                    </Button>
                  </>
                ) : canChoose && !(full && !session.waitlist) ? (
                  <Button
                    variant="secondary"
                    className="btn-small"
                    busy={busy}
                    busyLabel={t("registrations.seats.working")}
                    onClick={() => join.mutate(session.sessionId)}
                    aria-label={t(
                      full ? "registrations.seats.joinLineNamed" : "registrations.seats.joinNamed",
                      {
                        title: session.title,
                      },
                    )}
                  >
                    {full ? t("registrations.seats.joinLine") : t("registrations.seats.join")}
                  </Button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
      {registration.sessions.some((s) => s.status === "waitlisted") ? (
        <Alert tone="info">{t("registrations.seats.lineNote")}</Alert>
      ) : null}
    </section>
  );
}
