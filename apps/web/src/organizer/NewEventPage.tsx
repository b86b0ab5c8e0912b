import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Locale } from "@convivio/protocol";
import { call, type BodyOf } from "../api/client";
import { myEventsQueryKey } from "../events/DashboardPage";
import { viewerTimeZone } from "../events/datetime";
import { addHours, isAfter, isLocalDateTime } from "../events/zonedTime";
import { currentLocale } from "../i18n/i18n";
import { Button } from "../ui/Button";
import { FormAlert } from "../ui/FormAlert";
import { useForm } from "../ui/useForm";
import { useDocumentTitle } from "../ui/useDocumentTitle";
import { checkEventForm, slugify, type EventFormValues } from "./eventForm";
import { EventFields } from "./EventFields";
import { eventQueryKey } from "./manageContext";

/** Creates a draft event, then opens its editor. */
export function NewEventPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("registrations.newEvent.title"));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm<keyof EventFormValues>({
    title: "",
    slug: "",
    timeZone: viewerTimeZone(),
    startsAt: "",
    endsAt: "",
    description: "",
  });
  const [languages, setLanguages] = useState<Locale[]>([currentLocale()]);
  const [languagesError, setLanguagesError] = useState<ReturnType<typeof checkEventForm>["languages"]>();
  // The address follows the title until the organizer edits it.
  const [slugTouched, setSlugTouched] = useState(false);

  const create = useMutation({
    mutationFn: (body: BodyOf<"createEvent">) => call("createEvent", { body }),
    onSuccess: async ({ event }) => {
      queryClient.setQueryData(eventQueryKey(event.slug), event);
      await queryClient.invalidateQueries({ queryKey: myEventsQueryKey });
      await navigate(`/manage/${event.slug}`, { state: { created: true } });
    },
    onError: (error) =>
      form.showFailure(
        error,
        { conflict: "slug" },
        { conflict: { key: "registrations.eventForm.slugTaken" } },
      ),
  });

  const onChange = (name: keyof EventFormValues, value: string) => {
    const { onValueChange } = form.field(name);
    onValueChange(value);
    if (name === "title" && !slugTouched) form.field("slug").onValueChange(slugify(value));
    if (name === "slug") setSlugTouched(true);
    if (name === "startsAt" && isLocalDateTime(value)) {
      const end = form.values.endsAt;
      if (!isLocalDateTime(end) || !isAfter(end, value))
        form.field("endsAt").onValueChange(addHours(value, 2));
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (create.isPending) return;
    const errors = checkEventForm(form.values, languages);
    const { languages: languageError, ...fieldErrors } = errors;
    setLanguagesError(languageError);
    if (Object.keys(errors).length > 0) {
      form.showErrors(fieldErrors, {
        key: "validation.summary",
        values: { count: Object.keys(errors).length },
      });
      return;
    }
    form.clearErrors();
    const { title, slug, timeZone, startsAt, endsAt, description } = form.values;
    create.mutate({ title: title.trim(), slug, timeZone, startsAt, endsAt, description, languages });
  };

  return (
    <div className="container narrow page">
      <p className="back-link">
        <Link to="/dashboard">← {t("registrations.manageShell.backToDashboard")}</Link>
      </p>
      <header className="page-header">
        <h1>{t("registrations.newEvent.title")}</h1>
        <p className="muted">{t("registrations.newEvent.intro")}</p>
      </header>
      <section className="card">
        <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
          <FormAlert message={form.alert} />
          <EventFields
            values={form.values}
            languages={languages}
            errors={{ ...form.errors, languages: languagesError }}
            onChange={onChange}
            onLanguagesChange={(next) => {
              setLanguages(next);
              setLanguagesError(undefined);
            }}
          />
          <div className="form-footer">
            <Button type="submit" busy={create.isPending} busyLabel={t("registrations.newEvent.submitting")}>
              {t("registrations.newEvent.submit")}
            </Button>
            <p className="muted small">{t("registrations.newEvent.draftNote")}</p>
          </div>
        </form>
      </section>
    </div>
  );
}
