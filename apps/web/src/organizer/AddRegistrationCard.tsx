import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { LOCALES, type AnswerValue, type EventDetail, type Question } from "@convivio/protocol";
import { call } from "../api/client";
import { checkEmail, checkName, collectErrors } from "../auth/validation";
import { Button } from "../ui/Button";
import { CheckboxField } from "../ui/Choices";
import { SelectField, TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import type { Message } from "../ui/message";
import { useForm } from "../ui/useForm";
import { answersToSend, initialDrafts, type AnswerDrafts } from "../registrations/answers";
import { QuestionFields } from "../registrations/QuestionFields";

/** Adds someone by hand: no approval and no consent form; a full event waitlists them unless told otherwise. */
export function AddRegistrationCard({
  event,
  questions,
  onAdded,
  onClose,
}: {
  event: EventDetail;
  questions: Question[];
  onAdded: (message: Message) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const form = useForm({ name: "", email: "", locale: event.languages[0] ?? "it" });
  const [overCapacity, setOverCapacity] = useState(false);
  const [notify, setNotify] = useState(true);
  const [drafts, setDrafts] = useState<AnswerDrafts>(() => initialDrafts(questions));
  const add = useMutation({
    mutationFn: () =>
      call("addRegistration", {
        params: { slug: event.slug },
        body: {
          name: form.values.name.trim(),
          email: form.values.email.trim(),
          locale: form.values.locale === "en" ? "en" : "it",
          answers: answersToSend(questions, drafts),
          overCapacity,
          notify,
        },
      }),
    onSuccess: ({ registration, created }) =>
      onAdded({
        // The organizers' route always answers with the registration; null is the public form's.
        key:
          created && registration
            ? `registrations.people.added.${registration.status}`
            : "registrations.people.addedExisting",
        values: { name: form.values.name.trim() },
      }),
    onError: (error) => form.showFailure(error),
  });
  const onSubmit = (submitted: FormEvent) => {
    submitted.preventDefault();
    if (add.isPending) return;
    const errors = collectErrors({ name: checkName(form.values.name), email: checkEmail(form.values.email) });
    if (Object.keys(errors).length > 0) return form.showErrors(errors);
    form.clearErrors();
    add.mutate();
  };
  return (
    <section className="card" aria-labelledby="add-person-title">
      <h2 id="add-person-title">{t("registrations.people.addTitle")}</h2>
      <p className="muted">{t("registrations.people.addIntro")}</p>
      <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
        <FormAlert message={form.alert} />
        <div className="field-row">
          <TextField label={t("fields.name")} autoComplete="off" required {...form.field("name")} />
          <TextField
            label={t("fields.email")}
            type="email"
            autoComplete="off"
            required
            {...form.field("email")}
          />
        </div>
        <SelectField
          label={t("registrations.people.emailLanguage")}
          options={LOCALES.map((locale) => ({
            value: locale,
            label: t(`common.languageNames.${locale}`),
            lang: locale,
          }))}
          {...form.field("locale")}
        />
        {questions.length > 0 ? (
          <details className="preview">
            <summary>{t("registrations.people.addAnswers")}</summary>
            <QuestionFields
              questions={questions.map((q) => ({ ...q, required: false }))}
              drafts={drafts}
              errors={{}}
              onChange={(id: string, value: AnswerValue) =>
                setDrafts((current) => ({ ...current, [id]: value }))
              }
            />
          </details>
        ) : null}
        <CheckboxField
          name="overCapacity"
          label={t("registrations.people.overCapacityLabel")}
          hint={t("registrations.people.overCapacityHint")}
          checked={overCapacity}
          onCheckedChange={setOverCapacity}
        />
        <CheckboxField
          name="notify"
          label={t("registrations.people.notify")}
          checked={notify}
          onCheckedChange={setNotify}
        />
        <div className="form-footer">
          <Button type="submit" busy={add.isPending} busyLabel={t("registrations.people.adding")}>
            {t("registrations.people.add")}
          </Button>
          <Button variant="ghost" onClick={onClose}>
            {t("common.cancel")}
          </Button>
        </div>
      </form>
    </section>
  );
}
