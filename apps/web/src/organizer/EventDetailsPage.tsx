import { useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  COVER_TYPES,
  EVENT_LIMITS,
  type EventDetail,
  type EventSaved,
  type Locale,
  type UpdateEventBody,
} from "@convivio/protocol";
import { call, sendBytes } from "../api/client";
import { myEventsQueryKey } from "../events/DashboardPage";
import { toLocalInput } from "../events/zonedTime";
import { Alert } from "../ui/Alert";
import { Button } from "../ui/Button";
import { ChoiceGroup } from "../ui/Choices";
import { FormAlert } from "../ui/FormAlert";
import { errorMessage, type Message } from "../ui/message";
import { useForm } from "../ui/useForm";
import { checkEventForm, type EventFormValues } from "./eventForm";
import { EventFields } from "./EventFields";
import { EventCommunityCard } from "../library/EventCommunityCard";
import { eventQueryKey, useManagedEvent, warningsQueryKey } from "./manageContext";

/** The event's texts, dates and languages; who can see it; its cover image. */
export function EventDetailsPage() {
  const event = useManagedEvent();
  return (
    <div className="stack">
      {/* Keyed by the saved state: after a save (or a change elsewhere) the form starts from it. */}
      <DetailsCard key={`${event.slug}-${event.startsAt}-${event.endsAt}-${event.timeZone}`} event={event} />
      <VisibilityCard event={event} />
      <CoverCard event={event} />
      <EventCommunityCard event={event} />
    </div>
  );
}

function useSaved(slug: string) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async ({ event }: EventSaved) => {
    queryClient.setQueryData(eventQueryKey(event.slug), event);
    await queryClient.invalidateQueries({ queryKey: myEventsQueryKey });
    await queryClient.invalidateQueries({ queryKey: warningsQueryKey(event.slug) });
    if (event.slug !== slug) {
      queryClient.removeQueries({ queryKey: eventQueryKey(slug) });
      await navigate(`/manage/${event.slug}`, { replace: true });
    }
  };
}

function DetailsCard({ event }: { event: EventDetail }) {
  const { t } = useTranslation();
  const initial: EventFormValues = {
    title: event.title,
    slug: event.slug,
    timeZone: event.timeZone,
    startsAt: toLocalInput(event.startsAt, event.timeZone),
    endsAt: toLocalInput(event.endsAt, event.timeZone),
    description: event.description,
  };
  const form = useForm<keyof EventFormValues>({ ...initial });
  const [languages, setLanguages] = useState<Locale[]>(event.languages);
  const [languagesError, setLanguagesError] = useState<Message | undefined>();
  const [saved, setSaved] = useState(false);
  const onSaved = useSaved(event.slug);
  const save = useMutation({
    mutationFn: (body: UpdateEventBody) => call("updateEvent", { params: { slug: event.slug }, body }),
    onSuccess: async (result) => {
      setSaved(true);
      await onSaved(result);
    },
    onError: (error) =>
      form.showFailure(
        error,
        { conflict: "slug" },
        { conflict: { key: "registrations.eventForm.slugTaken" } },
      ),
  });

  const onSubmit = (submitted: FormEvent) => {
    submitted.preventDefault();
    if (save.isPending) return;
    setSaved(false);
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
    const body: UpdateEventBody = {};
    const v = form.values;
    if (v.title.trim() !== event.title) body.title = v.title.trim();
    if (v.slug !== event.slug) body.slug = v.slug;
    if (v.description !== event.description) body.description = v.description;
    if (v.timeZone !== event.timeZone) body.timeZone = v.timeZone;
    // Dates travel together, read in the (possibly new) zone.
    if (v.startsAt !== initial.startsAt || v.endsAt !== initial.endsAt || body.timeZone) {
      body.startsAt = v.startsAt;
      body.endsAt = v.endsAt;
    }
    if (languages.join() !== event.languages.join()) body.languages = languages;
    if (Object.keys(body).length === 0) {
      setSaved(true);
      return;
    }
    save.mutate(body);
  };

  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">{t("registrations.details.title")}</h2>
      <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
        <FormAlert message={form.alert} />
        <EventFields
          values={form.values}
          languages={languages}
          errors={{ ...form.errors, languages: languagesError }}
          onChange={(name, value) => {
            setSaved(false);
            form.field(name).onValueChange(value);
          }}
          onLanguagesChange={(next) => {
            setSaved(false);
            setLanguages(next);
            setLanguagesError(undefined);
          }}
        />
        {event.descriptionHtml ? (
          <details className="preview">
            <summary>{t("registrations.details.preview")}</summary>
            {/* Rendered and sanitized by the server (no script, style or frames survive). */}
            <div className="prose" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
          </details>
        ) : null}
        <div className="form-footer">
          <Button type="submit" busy={save.isPending} busyLabel={t("registrations.common.saving")}>
            {t("registrations.common.save")}
          </Button>
          <div role="status" className="inline-status">
            {saved ? <Alert tone="success">{t("registrations.common.saved")}</Alert> : null}
          </div>
        </div>
      </form>
    </section>
  );
}

function VisibilityCard({ event }: { event: EventDetail }) {
  const { t } = useTranslation();
  const [visibility, setVisibility] = useState(event.visibility);
  const [saved, setSaved] = useState(false);
  const onSaved = useSaved(event.slug);
  const save = useMutation({
    mutationFn: () => call("setEventVisibility", { params: { slug: event.slug }, body: { visibility } }),
    onSuccess: async (result) => {
      setSaved(true);
      await onSaved(result);
    },
  });
  return (
    <section className="card" aria-labelledby="visibility-title">
      <h2 id="visibility-title">{t("registrations.visibility.title")}</h2>
      <form
        className="form"
        onSubmit={(submitted) => {
          submitted.preventDefault();
          if (!save.isPending) save.mutate();
        }}
      >
        <FormAlert message={save.isError ? errorMessage(save.error) : null} />
        <ChoiceGroup
          name="visibility"
          legend={t("registrations.visibility.legend")}
          options={(["draft", "unlisted", "public"] as const).map((value) => ({
            value,
            label: t(`visibility.${value}`),
            hint: t(`registrations.visibility.hints.${value}`),
          }))}
          value={[visibility]}
          onValueChange={(next) => {
            setSaved(false);
            setVisibility((next[0] as EventDetail["visibility"] | undefined) ?? visibility);
          }}
        />
        <div className="form-footer">
          <Button
            type="submit"
            variant={visibility === event.visibility ? "secondary" : "primary"}
            busy={save.isPending}
            busyLabel={t("registrations.common.saving")}
          >
            {visibility === "public" && event.visibility !== "public"
              ? t("registrations.visibility.publish")
              : t("registrations.visibility.save")}
          </Button>
          <div role="status" className="inline-status">
            {saved ? (
              <Alert tone="success">{t(`registrations.visibility.savedAs.${event.visibility}`)}</Alert>
            ) : null}
          </div>
        </div>
      </form>
    </section>
  );
}

const MAX_COVER_MB = EVENT_LIMITS.coverMaxBytes / 1024 / 1024;

function CoverCard({ event }: { event: EventDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<Message | null>(null);
  const [done, setDone] = useState<Message | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: eventQueryKey(event.slug) });
  const upload = useMutation({
    mutationFn: (file: File) => sendBytes("uploadEventCover", { params: { slug: event.slug }, file }),
    onSuccess: async () => {
      setDone({ key: "registrations.cover.uploaded" });
      if (input.current) input.current.value = "";
      await refresh();
    },
    onError: (error) => setProblem(errorMessage(error)),
  });
  const remove = useMutation({
    mutationFn: () => call("deleteEventCover", { params: { slug: event.slug } }),
    onSuccess: async () => {
      setDone({ key: "registrations.cover.removed" });
      await refresh();
    },
    onError: (error) => setProblem(errorMessage(error)),
  });

  const onPick = (file: File | undefined) => {
    setProblem(null);
    setDone(null);
    if (!file) return;
    if (!(COVER_TYPES as readonly string[]).includes(file.type)) {
      setProblem({ key: "registrations.cover.wrongType" });
      return;
    }
    if (file.size > EVENT_LIMITS.coverMaxBytes) {
      setProblem({ key: "registrations.cover.tooBig", values: { max: MAX_COVER_MB } });
      return;
    }
    upload.mutate(file);
  };

  return (
    <section className="card" aria-labelledby="cover-title">
      <h2 id="cover-title">{t("registrations.cover.title")}</h2>
      <p className="muted">{t("registrations.cover.intro", { max: MAX_COVER_MB })}</p>
      <div className="cover-editor">
        {event.coverUrl ? (
          <img className="cover-preview" src={event.coverUrl} alt={t("registrations.cover.alt")} />
        ) : (
          <div className="cover-preview cover-empty" aria-hidden="true">
            <svg viewBox="0 0 24 24" focusable="false">
              <path d="M4 5h16v14H4zM4 15l4-4 4 4 3-3 5 5M15 9h.01" />
            </svg>
          </div>
        )}
        <div className="stack-small">
          <FormAlert message={problem} />
          <div role="status" className="inline-status">
            {done ? <Alert tone="success">{t(done.key, done.values)}</Alert> : null}
          </div>
          <label className="btn btn-secondary file-button">
            <input
              ref={input}
              type="file"
              className="visually-hidden"
              accept={COVER_TYPES.join(",")}
              onChange={(changed) => onPick(changed.target.files?.[0])}
            />
            {upload.isPending
              ? t("registrations.cover.uploading")
              : event.coverUrl
                ? t("registrations.cover.replace")
                : t("registrations.cover.choose")}
          </label>
          {event.coverUrl ? (
            <Button variant="ghost" busy={remove.isPending} onClick={() => remove.mutate()}>
              {t("registrations.cover.remove")}
            </Button>
          ) : null}
        </div>
      </div>
    </section>
  );
}
