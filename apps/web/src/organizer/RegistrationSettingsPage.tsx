import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { REGISTRATION_LIMITS, type EventDetail, type RegistrationSettings } from "@convivio/protocol";
import { call, isApiError } from "../api/client";
import { formatTimeZone, viewerTimeZone } from "../events/datetime";
import { INTL_LOCALE, currentLocale } from "../i18n/i18n";
import { formatDateTime, isAfter, isLocalDateTime, toLocalInput } from "../events/zonedTime";
import { PageLoadError, PageLoading } from "../shell/PageState";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { CheckboxField } from "../ui/Choices";
import { TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { TextAreaField } from "../ui/TextAreaField";
import { errorMessage, type Message } from "../ui/message";
import { registrationFormQueryKey } from "../registrations/access";
import { InviteCodesCard } from "./InviteCodesCard";
import { countsQueryKey, settingsQueryKey, useManagedEvent } from "./manageContext";
import {
  checkQuestions,
  draftOf,
  questionsToSend,
  type QuestionDraft,
  type QuestionErrors,
} from "./questionDrafts";
import { QuestionsEditor } from "./QuestionsEditor";
import { parseCapacity } from "./SessionForm";

/** Opening and closing, seats, waitlist, approval, questions and consent; invite codes. */
export function RegistrationSettingsPage() {
  const { t } = useTranslation();
  const event = useManagedEvent();
  const settings = useQuery({
    queryKey: settingsQueryKey(event.slug),
    queryFn: ({ signal }) => call("getRegistrationSettings", { params: { slug: event.slug }, signal }),
  });
  if (settings.isPending) return <PageLoading />;
  if (settings.isError) {
    return (
      <PageLoadError
        title={t("registrations.settings.loadError")}
        error={settings.error}
        onRetry={() => void settings.refetch()}
      />
    );
  }
  return (
    <div className="stack">
      <SettingsForm event={event} settings={settings.data} />
      <InviteCodesCard event={event} />
    </div>
  );
}

/** Versions made here are timestamps (UTC); show them as a date and time, others as they are. */
function consentVersionLabel(version: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(version)) return version;
  return formatDateTime(`${version}Z`, INTL_LOCALE[currentLocale()], viewerTimeZone());
}

type Field = "opensAt" | "closesAt" | "capacity" | "consentText";

function SettingsForm({ event, settings }: { event: EventDetail; settings: RegistrationSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const counts = useQuery({
    queryKey: countsQueryKey(event.slug),
    queryFn: ({ signal }) => call("getRegistrationCounts", { params: { slug: event.slug }, signal }),
  });
  const [enabled, setEnabled] = useState(settings.enabled);
  const [opensAt, setOpensAt] = useState(toLocalInput(settings.opensAt, event.timeZone));
  const [closesAt, setClosesAt] = useState(toLocalInput(settings.closesAt, event.timeZone));
  const [capacity, setCapacity] = useState(settings.capacity === null ? "" : String(settings.capacity));
  const [waitlist, setWaitlist] = useState(settings.waitlist);
  const [approval, setApproval] = useState(settings.approvalRequired);
  const [consentText, setConsentText] = useState(settings.consent?.text ?? "");
  const [questions, setQuestions] = useState<QuestionDraft[]>(() => settings.questions.map(draftOf));
  const [errors, setErrors] = useState<Partial<Record<Field, Message>>>({});
  const [questionErrors, setQuestionErrors] = useState<Record<string, QuestionErrors>>({});
  const [alert, setAlert] = useState<Message | null>(null);
  const [saved, setSaved] = useState(false);

  const save = useMutation({
    mutationFn: () => {
      const text = consentText.trim();
      // A changed text is a new version: who accepted the old words keeps that record.
      const version =
        settings.consent && settings.consent.text === text
          ? settings.consent.version
          : new Date().toISOString().slice(0, 19);
      return call("updateRegistrationSettings", {
        params: { slug: event.slug },
        body: {
          enabled,
          opensAt: opensAt || null,
          closesAt: closesAt || null,
          capacity: parseCapacity(capacity) ?? null,
          waitlist,
          approvalRequired: approval,
          consent: text ? { text, version } : null,
          questions: questionsToSend(questions),
        },
      });
    },
    onSuccess: async (next) => {
      queryClient.setQueryData(settingsQueryKey(event.slug), next);
      setQuestions(next.questions.map(draftOf));
      setSaved(true);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: countsQueryKey(event.slug) }),
        queryClient.invalidateQueries({ queryKey: registrationFormQueryKey(event.slug) }),
      ]);
    },
    onError: (error) => {
      if (isApiError(error, "conflict")) {
        setErrors({ capacity: { key: "registrations.settings.capacityConflict" } });
      }
      setAlert(errorMessage(error));
    },
  });

  const onSubmit = (submitted: FormEvent) => {
    submitted.preventDefault();
    if (save.isPending) return;
    setSaved(false);
    const found: Partial<Record<Field, Message>> = {};
    if (opensAt && !isLocalDateTime(opensAt)) found.opensAt = { key: "registrations.eventForm.dateInvalid" };
    if (closesAt && !isLocalDateTime(closesAt))
      found.closesAt = { key: "registrations.eventForm.dateInvalid" };
    else if (opensAt && closesAt && !isAfter(closesAt, opensAt))
      found.closesAt = { key: "registrations.settings.closesBeforeOpens" };
    const seats = parseCapacity(capacity);
    if (seats === undefined) found.capacity = { key: "registrations.sessionForm.capacityInvalid" };
    else if (seats !== null && counts.data && seats < counts.data.seatsTaken)
      found.capacity = {
        key: "registrations.settings.capacityBelow",
        values: { count: counts.data.seatsTaken },
      };
    if (consentText.length > REGISTRATION_LIMITS.consentTextMaxLength)
      found.consentText = {
        key: "registrations.eventForm.tooLong",
        values: { max: REGISTRATION_LIMITS.consentTextMaxLength },
      };
    const problems = checkQuestions(questions);
    setErrors(found);
    setQuestionErrors(problems);
    const count = Object.keys(found).length + Object.keys(problems).length;
    if (count > 0) {
      setAlert({ key: "validation.summary", values: { count } });
      window.requestAnimationFrame(() =>
        document.querySelector<HTMLElement>(".registration-settings [aria-invalid='true']")?.focus(),
      );
      return;
    }
    setAlert(null);
    save.mutate();
  };

  const publicPath = `/e/${event.slug}#register`;
  return (
    <form className="stack registration-settings" onSubmit={onSubmit} noValidate>
      <FormAlert message={alert} />
      <section className="card" aria-labelledby="reg-open-title">
        <h2 id="reg-open-title">{t("registrations.settings.title")}</h2>
        <div className="form">
          <CheckboxField
            name="enabled"
            label={t("registrations.settings.enabled")}
            hint={
              enabled && event.visibility === "draft"
                ? t("registrations.settings.draftHint")
                : t("registrations.settings.enabledHint")
            }
            checked={enabled}
            onCheckedChange={(value) => {
              setSaved(false);
              setEnabled(value);
            }}
          />
          <div className="field-row">
            <TextField
              name="opensAt"
              type="datetime-local"
              label={t("registrations.settings.opensAt")}
              hint={t("registrations.settings.opensAtHint")}
              value={opensAt}
              error={errors.opensAt}
              onValueChange={setOpensAt}
            />
            <TextField
              name="closesAt"
              type="datetime-local"
              label={t("registrations.settings.closesAt")}
              hint={t("registrations.settings.closesAtHint")}
              value={closesAt}
              error={errors.closesAt}
              onValueChange={setClosesAt}
            />
          </div>
          <p className="field-hint field-note">
            {t("registrations.eventForm.timesHint", { timeZone: formatTimeZone(event.timeZone) })}
          </p>
          <TextField
            name="capacity"
            inputMode="numeric"
            label={t("registrations.settings.capacity")}
            hint={t("registrations.common.capacityHint")}
            value={capacity}
            error={errors.capacity}
            onValueChange={setCapacity}
          />
          <CheckboxField
            name="waitlist"
            label={t("registrations.settings.waitlist")}
            hint={t("registrations.settings.waitlistHint")}
            checked={waitlist}
            onCheckedChange={setWaitlist}
          />
          <CheckboxField
            name="approvalRequired"
            label={t("registrations.settings.approval")}
            hint={t("registrations.settings.approvalHint")}
            checked={approval}
            onCheckedChange={setApproval}
          />
        </div>
        {enabled && event.visibility !== "draft" ? (
          <p className="share-line">
            {t("registrations.settings.shareLink")}{" "}
            <Link to={publicPath}>{`${window.location.host}${publicPath}`}</Link>
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="reg-questions-title">
        <h2 id="reg-questions-title">{t("registrations.questions.title")}</h2>
        <p className="muted">{t("registrations.questions.intro")}</p>
        <QuestionsEditor
          drafts={questions}
          errors={questionErrors}
          onChange={(next) => {
            setSaved(false);
            setQuestions(next);
          }}
        />
      </section>

      <section className="card" aria-labelledby="reg-consent-title">
        <h2 id="reg-consent-title">{t("registrations.settings.consentTitle")}</h2>
        <TextAreaField
          name="consentText"
          label={t("registrations.settings.consentText")}
          hint={t("registrations.settings.consentHint")}
          rows={5}
          value={consentText}
          error={errors.consentText}
          onValueChange={setConsentText}
        />
        {settings.consent ? (
          <p className="muted small">
            {t("registrations.settings.consentVersion", {
              version: consentVersionLabel(settings.consent.version),
            })}
          </p>
        ) : null}
      </section>

      <div className="sticky-save">
        <Button type="submit" busy={save.isPending} busyLabel={t("registrations.common.saving")}>
          {t("registrations.settings.save")}
        </Button>
        <div role="status" className="inline-status">
          {saved ? <Alert tone="success">{t("registrations.settings.saved")}</Alert> : null}
        </div>
      </div>
    </form>
  );
}
