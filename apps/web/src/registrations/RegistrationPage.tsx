import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  RegistrationId,
  RegistrationStatus,
  type AnswerValue,
  type RegistrationDetail,
} from "@convivio/protocol";
import { ApiError, call, isApiError } from "../api/client";
import { useMe } from "../auth/session";
import { checkName } from "../auth/validation";
import { formatTimeZone, viewerTimeZone } from "../events/datetime";
import { formatDateTime, formatSpan } from "../events/zonedTime";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage, type Message } from "../ui/message";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import {
  myRegistrationsQueryKey,
  registrationFormQueryKey,
  registrationQueryKey,
  useRegistration,
  useRegistrationToken,
} from "./access";
import { answersToSend, checkDrafts, initialDrafts, questionIdsOfIssues, type AnswerDrafts } from "./answers";
import { tokenHeaders } from "./deviceRegistrations";
import { CalendarButton } from "./CalendarButton";
import { QuestionFields } from "./QuestionFields";
import { SessionSeats } from "./SessionSeats";
import { StatusBadge } from "./StatusBadge";
import { StatusPanel } from "./StatusPanel";

const notFound = new ApiError({ status: 404, code: "not_found", title: "Not found" });

/** Where the "manage your registration" link of every email lands: status, seats, answers, cancel. */
export function RegistrationPage() {
  const { t } = useTranslation();
  const registrationId = useParams().registrationId ?? "";
  const valid = RegistrationId.safeParse(registrationId).success;
  const token = useRegistrationToken(registrationId);
  const detail = useRegistration(registrationId, token, valid);
  const error = valid ? detail.error : notFound;
  useDocumentTitle(
    detail.data
      ? t("registrations.manage.pageTitle", { title: detail.data.event.title })
      : t("registrations.manage.title"),
  );

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
  return <RegistrationView detail={detail.data} token={token} />;
}

/** The link did not open anything: say what may have happened and how to get in another way. */
export function LinkProblem() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <div className="container narrow page-message">
      <h1>{t("registrations.manage.notFoundTitle")}</h1>
      <p className="lede">{t("registrations.manage.notFoundBody")}</p>
      <div className="actions actions-center">
        <Link to="/registrations" className="btn btn-primary">
          {t("registrations.mine.title")}
        </Link>
        {me.data ? null : (
          <Link to="/sign-in?next=%2Fregistrations" className="btn btn-secondary">
            {t("registrations.manage.signInInstead")}
          </Link>
        )}
      </div>
    </div>
  );
}

function RegistrationView({ detail, token }: { detail: RegistrationDetail; token: string | undefined }) {
  const { t } = useTranslation();
  const { registration, event } = detail;
  const locale = INTL_LOCALE[currentLocale()];
  const viewer = viewerTimeZone();
  const active = registration.status !== "cancelled" && registration.status !== "rejected";
  const statusText = (status: string) => {
    const known = RegistrationStatus.safeParse(status);
    return known.success ? t(`registrations.status.${known.data}`) : status;
  };

  return (
    <div className="container narrow page">
      <header className="page-header">
        <p className="eyebrow">{t("registrations.manage.title")}</p>
        <h1>
          <Link to={`/e/${event.slug}`} className="heading-link">
            {event.title}
          </Link>
        </h1>
        <p className="muted">
          {formatSpan(event.startsAt, event.endsAt, locale, viewer)} · {formatTimeZone(viewer)}
        </p>
      </header>

      <div className="stack">
        <StatusPanel status={registration.status} position={registration.waitlistPosition}>
          {registration.status === "cancelled" || registration.status === "rejected" ? (
            <p className="status-panel-links">
              <Link to={`/e/${event.slug}#register`}>{t("registrations.manage.registerAgain")}</Link>
            </p>
          ) : null}
        </StatusPanel>

        <section className="card" aria-labelledby="who-title">
          <h2 id="who-title">{t("registrations.manage.detailsTitle")}</h2>
          <dl className="facts-list">
            <div>
              <dt>{t("fields.name")}</dt>
              <dd>{registration.name}</dd>
            </div>
            <div>
              <dt>{t("fields.email")}</dt>
              <dd>{registration.email}</dd>
            </div>
            <div>
              <dt>{t("registrations.manage.statusLabel")}</dt>
              <dd>
                <StatusBadge status={registration.status} position={registration.waitlistPosition} />
              </dd>
            </div>
            <div>
              <dt>{t("registrations.manage.registeredOn")}</dt>
              <dd>{formatDateTime(registration.createdAt, locale, viewer)}</dd>
            </div>
          </dl>
          {active ? (
            <div className="stack-small">
              <CalendarButton registrationId={registration.id} token={token} slug={event.slug} />
            </div>
          ) : null}
        </section>

        {active ? (
          <section className="card">
            <SessionSeats registration={registration} slug={event.slug} token={token} headingLevel={2} />
          </section>
        ) : null}

        {active ? <AnswersCard detail={detail} token={token} /> : null}

        {active ? <CancelCard detail={detail} token={token} /> : null}

        {detail.history.length > 0 ? (
          <details className="card history">
            <summary>{t("registrations.manage.historyTitle")}</summary>
            <ol className="history-list">
              {detail.history.map((change, index) => (
                <li key={index}>
                  <time dateTime={change.at}>{formatDateTime(change.at, locale, viewer)}</time>{" "}
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
                    · {t(`registrations.manage.by.${change.by}`)}
                    {change.actorName ? ` (${change.actorName})` : ""}
                  </span>
                </li>
              ))}
            </ol>
          </details>
        ) : null}
      </div>
    </div>
  );
}

function AnswersCard({ detail, token }: { detail: RegistrationDetail; token: string | undefined }) {
  const { t } = useTranslation();
  const { registration, questions } = detail;
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const [name, setName] = useState(registration.name);
  const [nameError, setNameError] = useState<Message | undefined>();
  const [drafts, setDrafts] = useState<AnswerDrafts>(() => initialDrafts(questions, registration.answers));
  const [errors, setErrors] = useState<Record<string, Message>>({});
  const [alert, setAlert] = useState<Message | null>(null);
  const editRef = useRef<HTMLFormElement>(null);

  const save = useMutation({
    mutationFn: () =>
      call("updateRegistrationAnswers", {
        params: { registrationId: registration.id },
        headers: tokenHeaders(token),
        body: { name: name.trim(), answers: answersToSend(questions, drafts) },
      }),
    onSuccess: (updated) => {
      queryClient.setQueryData(registrationQueryKey(registration.id), updated);
      void queryClient.invalidateQueries({ queryKey: myRegistrationsQueryKey });
      setEditing(false);
      setSaved(true);
    },
    onError: (error) => {
      if (isApiError(error)) {
        const ids = questionIdsOfIssues(error.issues);
        if (ids.length > 0)
          setErrors(Object.fromEntries(ids.map((id) => [id, { key: "validation.invalid" } as Message])));
      }
      setAlert(errorMessage(error));
    },
  });

  useEffect(() => {
    if (editing) editRef.current?.querySelector<HTMLElement>("input, textarea")?.focus();
  }, [editing]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    const invalidName = checkName(name);
    const invalid = checkDrafts(questions, drafts);
    setNameError(invalidName);
    setErrors(invalid);
    const count = Object.keys(invalid).length + (invalidName ? 1 : 0);
    if (count > 0) {
      setAlert({ key: "validation.summary", values: { count } });
      return;
    }
    setAlert(null);
    save.mutate();
  };

  const answerText = (value: AnswerValue | undefined) =>
    value === undefined
      ? t("registrations.manage.noAnswer")
      : Array.isArray(value)
        ? value.join(", ")
        : typeof value === "boolean"
          ? value
            ? t("registrations.manage.yes")
            : t("registrations.manage.no")
          : value;

  return (
    <section className="card" aria-labelledby="answers-title">
      <div className="card-heading">
        <h2 id="answers-title">{t("registrations.manage.answersTitle")}</h2>
        {editing ? null : (
          <Button
            variant="secondary"
            className="btn-small"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            {t("registrations.manage.edit")}
          </Button>
        )}
      </div>
      <div role="status" className="inline-status">
        {saved ? <Alert tone="success">{t("registrations.manage.saved")}</Alert> : null}
      </div>
      {editing ? (
        <form ref={editRef} className="form" noValidate onSubmit={onSubmit}>
          <FormAlert message={alert} />
          <TextField
            name="name"
            label={t("fields.name")}
            autoComplete="name"
            value={name}
            error={nameError}
            onValueChange={(value) => {
              setName(value);
              setNameError(undefined);
            }}
          />
          <QuestionFields
            questions={questions}
            drafts={drafts}
            errors={errors}
            onChange={(id, value) => setDrafts((current) => ({ ...current, [id]: value }))}
          />
          <div className="form-footer">
            <Button type="submit" busy={save.isPending} busyLabel={t("registrations.manage.saving")}>
              {t("registrations.manage.save")}
            </Button>
            <Button variant="ghost" onClick={() => setEditing(false)}>
              {t("common.cancel")}
            </Button>
          </div>
        </form>
      ) : questions.length === 0 ? (
        <p className="muted">{t("registrations.manage.noQuestions")}</p>
      ) : (
        <dl className="facts-list">
          {questions.map((question) => (
            <div key={question.id}>
              <dt>{question.label}</dt>
              <dd>{answerText(registration.answers[question.id])}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function CancelCard({ detail, token }: { detail: RegistrationDetail; token: string | undefined }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLParagraphElement>(null);
  const cancel = useCancelRegistration(detail, token);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  return (
    <section className="card card-danger" aria-labelledby="cancel-title">
      <h2 id="cancel-title">{t("registrations.cancel.cardTitle")}</h2>
      <p className="muted">
        {detail.registration.status === "waitlisted"
          ? t("registrations.cancel.introWaitlisted")
          : t("registrations.cancel.intro")}
      </p>
      <FormAlert message={cancel.isError ? errorMessage(cancel.error) : null} />
      {confirming ? (
        <div className="confirm">
          <p ref={confirmRef} tabIndex={-1} className="confirm-question">
            {t("registrations.cancel.question", { title: detail.event.title })}
          </p>
          <div className="actions">
            <Button
              variant="danger"
              busy={cancel.isPending}
              busyLabel={t("registrations.cancel.working")}
              onClick={() => cancel.mutate()}
            >
              {t("registrations.cancel.yes")}
            </Button>
            <Button variant="ghost" onClick={() => setConfirming(false)}>
              {t("registrations.cancel.keep")}
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          {t("registrations.cancel.button")}
        </Button>
      )}
    </section>
  );
}

/** Cancels a registration, then refreshes everything that shows it. */
export function useCancelRegistration(detail: RegistrationDetail, token: string | undefined) {
  const queryClient = useQueryClient();
  const id = detail.registration.id;
  return useMutation({
    mutationFn: () =>
      call("cancelRegistration", { params: { registrationId: id }, headers: tokenHeaders(token) }),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: registrationQueryKey(id) }),
        queryClient.invalidateQueries({ queryKey: registrationFormQueryKey(detail.event.slug) }),
        queryClient.invalidateQueries({ queryKey: myRegistrationsQueryKey }),
      ]);
    },
  });
}
