import { useEffect, useRef } from "react";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { RegistrationId, type RegistrationDetail } from "@convivio/protocol";
import { ApiError, isApiError } from "../api/client";
import { viewerTimeZone } from "../events/datetime";
import { formatSpan } from "../events/zonedTime";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage } from "../ui/message";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { useRegistration, useRegistrationToken } from "./access";
import { LinkProblem, useCancelRegistration } from "./RegistrationPage";
import { StatusPanel } from "./StatusPanel";

const notFound = new ApiError({ status: 404, code: "not_found", title: "Not found" });

/** Where the "cancel" link of every email lands: one question, one button, then what happened. */
export function CancelPage() {
  const { t } = useTranslation();
  const registrationId = useParams().registrationId ?? "";
  const valid = RegistrationId.safeParse(registrationId).success;
  const token = useRegistrationToken(registrationId);
  const detail = useRegistration(registrationId, token, valid);
  const error = valid ? detail.error : notFound;
  useDocumentTitle(t("registrations.cancel.pageTitle"));

  if (isApiError(error, "not_found")) return <LinkProblem />;
  if (error) {
    return (
      <div className="container narrow page">
        <PageLoadError
          title={t("registrations.manage.loadError")}
          error={error}
          onRetry={() => void detail.refetch()}
        />
      </div>
    );
  }
  if (!detail.data) return <PageLoading />;
  return <CancelView detail={detail.data} token={token} />;
}

function CancelView({ detail, token }: { detail: RegistrationDetail; token: string | undefined }) {
  const { t } = useTranslation();
  const { registration, event } = detail;
  const cancel = useCancelRegistration(detail, token);
  const doneRef = useRef<HTMLDivElement>(null);
  const locale = INTL_LOCALE[currentLocale()];
  const viewer = viewerTimeZone();
  const done = registration.status === "cancelled" || registration.status === "rejected";

  useEffect(() => {
    if (cancel.isSuccess) doneRef.current?.focus();
  }, [cancel.isSuccess]);

  return (
    <div className="auth-page">
      <section className="card auth-card cancel-card" aria-labelledby="cancel-page-title">
        <p className="eyebrow">{event.title}</p>
        <h1 id="cancel-page-title">
          {done ? t("registrations.cancel.doneTitle") : t("registrations.cancel.pageTitle")}
        </h1>
        <p className="muted">{formatSpan(event.startsAt, event.endsAt, locale, viewer)}</p>
        {done ? (
          <div ref={doneRef} tabIndex={-1} role="status" className="stack-small">
            <StatusPanel
              status={registration.status}
              position={null}
              title={cancel.isSuccess ? t("registrations.cancel.doneHeadline") : undefined}
            />
            <div className="actions">
              <Link to={`/e/${event.slug}`} className="btn btn-secondary">
                {t("registrations.cancel.toEvent")}
              </Link>
            </div>
          </div>
        ) : (
          <div className="stack-small">
            <p>
              {t("registrations.cancel.confirmBody", { name: registration.name })}{" "}
              {registration.status === "waitlisted"
                ? t("registrations.cancel.consequenceWaitlisted")
                : t("registrations.cancel.consequence")}
            </p>
            <FormAlert message={cancel.isError ? errorMessage(cancel.error) : null} />
            <div className="actions">
              <Button
                variant="danger"
                busy={cancel.isPending}
                busyLabel={t("registrations.cancel.working")}
                onClick={() => cancel.mutate()}
              >
                {t("registrations.cancel.yes")}
              </Button>
              <Link to={`/registrations/${registration.id}`} className="btn btn-ghost">
                {t("registrations.cancel.keep")}
              </Link>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
