import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  REGISTRATION_LIMITS,
  type AnswerValue,
  type EventDetail,
  type RegisterResponse,
  type RegistrationForm,
} from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { useMe } from "../auth/session";
import { checkEmail, checkName, collectErrors } from "../auth/validation";
import { formatDateTime } from "../events/zonedTime";
import { viewerTimeZone } from "../events/datetime";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { CheckboxField } from "../ui/Choices";
import { TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { Spinner } from "../ui/Spinner";
import type { Message } from "../ui/message";
import { useForm } from "../ui/useForm";
import {
  myRegistrationsQueryKey,
  registrationFormQueryKey,
  registrationQueryKey,
  useRegistration,
} from "./access";
import { answersToSend, checkDrafts, initialDrafts, questionIdsOfIssues, type AnswerDrafts } from "./answers";
import { rememberRegistration, rememberedForEvent } from "./deviceRegistrations";
import { QuestionFields, questionFieldName } from "./QuestionFields";
import { CalendarButton } from "./CalendarButton";
import { SessionSeats } from "./SessionSeats";
import { StatusPanel } from "./StatusPanel";

/** The registration box of an event's public page: the form, or what became of the registration. */
export function RegisterSection({ event }: { event: EventDetail }) {
  const { t } = useTranslation();
  const me = useMe();
  const form = useQuery({
    queryKey: registrationFormQueryKey(event.slug),
    queryFn: ({ signal }) => call("getRegistrationForm", { params: { slug: event.slug }, signal }),
  });
  const mine = useQuery({
    queryKey: myRegistrationsQueryKey,
    queryFn: ({ signal }) => call("listMyRegistrations", { signal }),
    enabled: Boolean(me.data),
  });
  // Read once: registering below remembers the new one and shows it directly.
  const [remembered] = useState(() => rememberedForEvent(event.id));
  const [result, setResult] = useState<{ response: RegisterResponse; email: string } | null>(null);
  const [registerAgain, setRegisterAgain] = useState(false);

  const signedInOne = mine.data?.registrations.find((r) => r.event.id === event.id)?.registration;
  const knownId = result?.response.registration?.id ?? signedInOne?.id ?? remembered?.id;
  const token = result?.response.manageToken ?? (knownId === remembered?.id ? remembered?.token : undefined);
  const existing = useRegistration(
    knownId ?? "",
    token,
    Boolean(knownId) && (Boolean(token) || Boolean(me.data)),
  );
  const current = existing.data?.registration;
  const isActive = current && current.status !== "cancelled" && current.status !== "rejected";

  const body = (() => {
    if (result) return <Result result={result} slug={event.slug} token={token} />;
    if (isActive && !registerAgain) {
      return (
        <>
          <StatusPanel status={current.status} position={current.waitlistPosition}>
            <p className="status-panel-links">
              <Link to={`/registrations/${current.id}`}>{t("registrations.register.manageLink")}</Link>
            </p>
          </StatusPanel>
          <div className="stack-small">
            <CalendarButton registrationId={current.id} token={token} slug={event.slug} />
          </div>
          <SessionSeats registration={current} slug={event.slug} token={token} />
          {form.data?.state === "open" ? (
            <Button variant="ghost" className="btn-small" onClick={() => setRegisterAgain(true)}>
              {t("registrations.register.someoneElse")}
            </Button>
          ) : null}
        </>
      );
    }
    if (form.isPending || (existing.isPending && existing.fetchStatus !== "idle")) {
      return (
        <p className="pending" role="status">
          <Spinner /> {t("common.loading")}
        </p>
      );
    }
    if (form.isError) return <Alert tone="error">{t("registrations.register.loadError")}</Alert>;
    return (
      <>
        {current && !isActive ? (
          <Alert tone="info">
            {t(
              current.status === "cancelled"
                ? "registrations.register.wasCancelled"
                : "registrations.register.wasRejected",
            )}
          </Alert>
        ) : null}
        <Availability form={form.data} />
        {form.data.state === "open" ? (
          <RegisterForm
            form={form.data}
            defaults={current && !isActive ? { name: current.name, email: current.email } : undefined}
            onRegistered={(response, email) => {
              setResult({ response, email });
              setRegisterAgain(false);
            }}
          />
        ) : null}
      </>
    );
  })();

  if (form.data?.state === "not_enabled" && !current && !result) return null;
  return (
    <section id="register" className="card register-card" aria-labelledby="register-title" tabIndex={-1}>
      <h2 id="register-title">{t("registrations.register.title")}</h2>
      {body}
    </section>
  );
}

/** Seats, dates and rules of the form, in plain words. */
function Availability({ form }: { form: RegistrationForm }) {
  const { t } = useTranslation();
  const locale = INTL_LOCALE[currentLocale()];
  const viewer = viewerTimeZone();
  const when = (iso: string) => formatDateTime(iso, locale, viewer);
  switch (form.state) {
    case "not_enabled":
      return <p className="muted">{t("registrations.register.notEnabled")}</p>;
    case "not_yet_open":
      return (
        <Alert tone="info">
          {form.opensAt
            ? t("registrations.register.opensOn", { date: when(form.opensAt) })
            : t("registrations.register.notYetOpen")}
        </Alert>
      );
    case "closed":
      return <Alert tone="info">{t("registrations.register.closed")}</Alert>;
    case "full":
      return <Alert tone="info">{t("registrations.register.full")}</Alert>;
    case "open":
      break;
  }
  const facts: string[] = [];
  if (form.seatsLeft === null) facts.push(t("registrations.register.noLimit"));
  else if (form.seatsLeft > 0) facts.push(t("registrations.register.seatsLeft", { count: form.seatsLeft }));
  else facts.push(t("registrations.register.waitlistOnly"));
  if (form.approvalRequired) facts.push(t("registrations.register.approval"));
  if (form.closesAt) facts.push(t("registrations.register.closesOn", { date: when(form.closesAt) }));
  return (
    <ul className="register-facts" role="list">
      {facts.map((fact) => (
        <li key={fact}>{fact}</li>
      ))}
    </ul>
  );
}

type FieldName = "name" | "email" | "inviteCode";

function RegisterForm({
  form: registrationForm,
  defaults,
  onRegistered,
}: {
  form: RegistrationForm;
  /** Who registered before from here (a cancelled registration), else the signed-in person. */
  defaults?: { name: string; email: string } | undefined;
  onRegistered: (response: RegisterResponse, email: string) => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const form = useForm<FieldName>({
    name: defaults?.name ?? me.data?.name ?? "",
    email: defaults?.email ?? me.data?.email ?? "",
    inviteCode: "",
  });
  const { questions, consent } = registrationForm;
  const [drafts, setDrafts] = useState<AnswerDrafts>(() => initialDrafts(questions));
  const [answerErrors, setAnswerErrors] = useState<Record<string, Message>>({});
  const [accepted, setAccepted] = useState(false);
  const [consentError, setConsentError] = useState<Message | undefined>();

  const focusByName = (name: string) => {
    const element = document
      .getElementById(form.formProps.id)
      ?.querySelector<HTMLElement>(`[name="${name}"]`);
    element?.focus();
  };

  const register = useMutation({
    mutationFn: (email: string) =>
      call("register", {
        params: { slug: registrationForm.slug },
        body: {
          name: form.values.name.trim(),
          email,
          locale: currentLocale(),
          answers: answersToSend(questions, drafts),
          ...(consent ? { consent: { accepted: true as const, version: consent.version } } : {}),
          ...(form.values.inviteCode.trim() ? { inviteCode: form.values.inviteCode.trim() } : {}),
        },
      }),
    onSuccess: async (response, email) => {
      const { registration, manageToken } = response;
      if (registration && manageToken) {
        rememberRegistration({ id: registration.id, token: manageToken, eventId: registration.eventId });
      }
      onRegistered(response, email);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: registrationFormQueryKey(registrationForm.slug) }),
        registration
          ? queryClient.invalidateQueries({ queryKey: registrationQueryKey(registration.id) })
          : Promise.resolve(),
        queryClient.invalidateQueries({ queryKey: myRegistrationsQueryKey }),
      ]);
    },
    onError: (error) => {
      if (isApiError(error, "validation_failed")) {
        const ids = questionIdsOfIssues(error.issues);
        if (ids.length > 0) {
          setAnswerErrors(
            Object.fromEntries(ids.map((id) => [id, { key: "validation.invalid" } as Message])),
          );
          form.showErrors({}, { key: "validation.summary", values: { count: ids.length } });
          focusByName(questionFieldName(ids[0]!));
          return;
        }
        if (error.issues.some((issue) => issue.path.startsWith("consent"))) {
          setConsentError({ key: "registrations.register.consentChanged" });
          form.showErrors({}, { key: "registrations.register.consentChanged" });
          void queryClient.invalidateQueries({ queryKey: registrationFormQueryKey(registrationForm.slug) });
          return;
        }
      }
      if (isApiError(error, "registration_closed", "capacity_reached")) {
        void queryClient.invalidateQueries({ queryKey: registrationFormQueryKey(registrationForm.slug) });
      }
      form.showFailure(error, { invite_code_invalid: "inviteCode" });
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (register.isPending) return;
    const fieldErrors = collectErrors<FieldName>({
      name: checkName(form.values.name),
      email: checkEmail(form.values.email),
      inviteCode: undefined,
    });
    const answers = checkDrafts(questions, drafts);
    const consentMissing = consent !== null && !accepted;
    const count = Object.keys(fieldErrors).length + Object.keys(answers).length + (consentMissing ? 1 : 0);
    setAnswerErrors(answers);
    setConsentError(consentMissing ? { key: "registrations.register.consentRequired" } : undefined);
    if (count > 0) {
      form.showErrors(fieldErrors, { key: "validation.summary", values: { count } });
      if (Object.keys(fieldErrors).length === 0) {
        const firstQuestion = questions.find((q) => answers[q.id]);
        focusByName(firstQuestion ? questionFieldName(firstQuestion.id) : "consent");
      }
      return;
    }
    form.clearErrors();
    register.mutate(form.values.email.trim());
  };

  const onAnswer = (id: string, value: AnswerValue) => {
    setDrafts((current) => ({ ...current, [id]: value }));
    setAnswerErrors((current) => {
      if (!current[id]) return current;
      const next = { ...current };
      delete next[id];
      return next;
    });
  };

  const full = registrationForm.seatsLeft === 0;
  const submitLabel = registrationForm.approvalRequired
    ? t("registrations.register.submitRequest")
    : full
      ? t("registrations.register.submitWaitlist")
      : t("registrations.register.submit");

  return (
    <form {...form.formProps} onSubmit={onSubmit} noValidate className="form register-form">
      <FormAlert message={form.alert} />
      <TextField label={t("fields.name")} autoComplete="name" required {...form.field("name")} />
      <TextField
        label={t("fields.email")}
        type="email"
        autoComplete="email"
        required
        hint={t("registrations.register.emailHint")}
        {...form.field("email")}
      />
      {questions.length > 0 ? (
        <div className="question-block">
          <QuestionFields questions={questions} drafts={drafts} errors={answerErrors} onChange={onAnswer} />
        </div>
      ) : null}
      <details
        className="invite-code"
        open={form.values.inviteCode !== "" || Boolean(form.errors.inviteCode)}
      >
        <summary>{t("registrations.register.inviteToggle")}</summary>
        <TextField
          label={t("registrations.register.inviteLabel")}
          hint={t("registrations.register.inviteHint")}
          autoComplete="off"
          spellCheck={false}
          maxLength={REGISTRATION_LIMITS.inviteCodeMaxLength}
          {...form.field("inviteCode")}
        />
      </details>
      {consent ? (
        <div className="consent">
          <p className="consent-title" id={`${form.formProps.id}-consent`}>
            {t("registrations.register.consentTitle")}
          </p>
          <div
            className="consent-text"
            tabIndex={0}
            role="region"
            aria-labelledby={`${form.formProps.id}-consent`}
          >
            {consent.text}
          </div>
          <CheckboxField
            name="consent"
            label={t("registrations.register.consentAccept")}
            required
            checked={accepted}
            error={consentError}
            onCheckedChange={(checked) => {
              setAccepted(checked);
              if (checked) setConsentError(undefined);
            }}
          />
        </div>
      ) : null}
      <Button
        type="submit"
        block
        busy={register.isPending}
        busyLabel={t("registrations.register.submitting")}
      >
        {submitLabel}
      </Button>
      <p className="muted small">{t("registrations.register.noAccount")}</p>
    </form>
  );
}

/** What became of the registration just sent. */
function Result({
  result,
  slug,
  token,
}: {
  result: { response: RegisterResponse; email: string };
  slug: string;
  token: string | undefined;
}) {
  const { registration } = result.response;
  if (!registration) return <AlreadyKnown email={result.email} />;
  return <Registered result={result} registration={registration} slug={slug} token={token} />;
}

/**
 * This email was registered before. The server says no more than that to whoever typed it (not
 * the status, not a place in line); its owner finds everything through the email sent back then.
 */
function AlreadyKnown({ email }: { email: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => panel.current?.focus(), []);
  return (
    <div role="status" className="register-result" ref={panel} tabIndex={-1}>
      <div className="status-panel status-panel-known">
        <svg className="status-panel-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M4 6h16v12H4zM4 7l8 6 8-6" />
        </svg>
        <div>
          <p className="status-panel-title">{t("registrations.register.knownTitle")}</p>
          <p className="status-panel-body">{t("registrations.register.knownBody", { email })}</p>
          {me.data ? null : (
            <p className="status-panel-links">
              <Link to="/sign-in?next=%2Fregistrations">{t("registrations.register.knownSignIn")}</Link>
            </p>
          )}
        </div>
      </div>
    </div>
  );
}

function Registered({
  result,
  registration,
  slug,
  token,
}: {
  result: { response: RegisterResponse; email: string };
  registration: NonNullable<RegisterResponse["registration"]>;
  slug: string;
  token: string | undefined;
}) {
  const { t } = useTranslation();
  const { created } = result.response;
  const detail = useRegistration(registration.id, token, Boolean(token));
  const status = detail.data?.registration.status ?? registration.status;
  const panel = useRef<HTMLDivElement>(null);
  // The form that had focus is gone: continue from what happened.
  useEffect(() => panel.current?.focus(), []);
  return (
    <div role="status" className="register-result" ref={panel} tabIndex={-1}>
      <StatusPanel
        status={status}
        position={detail.data?.registration.waitlistPosition ?? registration.waitlistPosition}
        title={created ? undefined : t("registrations.register.alreadyTitle")}
      >
        <p className="status-panel-body">
          {created
            ? t("registrations.register.sentTo", { email: result.email })
            : t("registrations.register.alreadyBody", { email: result.email })}
        </p>
        {token ? (
          <p className="status-panel-links">
            <Link to={`/registrations/${registration.id}`}>{t("registrations.register.manageLink")}</Link>
          </p>
        ) : null}
      </StatusPanel>
      {token ? (
        <div className="stack-small">
          <CalendarButton registrationId={registration.id} token={token} slug={slug} />
        </div>
      ) : null}
      {detail.data && status === "confirmed" ? (
        <SessionSeats registration={detail.data.registration} slug={slug} token={token} />
      ) : null}
    </div>
  );
}
