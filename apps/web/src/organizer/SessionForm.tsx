import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import {
  EVENT_LIMITS,
  SessionKind,
  type EventDetail,
  type EventTeamResponse,
  type SessionDetail,
  type SessionSaved,
  type SpaceId,
  type UserId,
} from "@convivio/protocol";
import { call } from "../api/client";
import { formatTimeZone } from "../events/datetime";
import { addHours, isAfter, isLocalDateTime, toLocalInput } from "../events/zonedTime";
import { Button } from "../ui/Button";
import { CheckboxField, ChoiceGroup } from "../ui/Choices";
import { SelectField, TextField } from "../ui/Field";
import { FormAlert } from "../ui/FormAlert";
import { TextAreaField } from "../ui/TextAreaField";
import type { Message } from "../ui/message";
import { useForm } from "../ui/useForm";

type Field = "title" | "kind" | "spaceId" | "startsAt" | "endsAt" | "description" | "capacity";

/** Parses the capacity field: blank means no limit; otherwise a whole number in range. */
export function parseCapacity(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value <= EVENT_LIMITS.capacityMax ? value : undefined;
}

/** Adds a session or changes one: times in the event's zone, seats of its own, its people. */
export function SessionForm({
  event,
  session,
  team,
  onSaved,
  onCancel,
}: {
  event: EventDetail;
  session?: SessionDetail | undefined;
  team: EventTeamResponse["members"];
  onSaved: (saved: SessionSaved) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const defaultStart = toLocalInput(event.startsAt, event.timeZone);
  const form = useForm<Field>({
    title: session?.title ?? "",
    kind: session?.kind ?? "talk",
    spaceId: session?.spaceId ?? "",
    startsAt: session?.localStartsAt.slice(0, 16) ?? defaultStart,
    endsAt: session?.localEndsAt.slice(0, 16) ?? addHours(defaultStart, 1),
    description: session?.description ?? "",
    capacity: session?.capacity === null || session?.capacity === undefined ? "" : String(session.capacity),
  });
  const [ownRegistration, setOwnRegistration] = useState(session?.registrationEnabled ?? false);
  const [waitlist, setWaitlist] = useState(session?.waitlist ?? true);
  const [speakers, setSpeakers] = useState<string[]>(session?.speakers.map((p) => p.userId) ?? []);
  const [facilitators, setFacilitators] = useState<string[]>(
    session?.facilitators.map((p) => p.userId) ?? [],
  );

  const save = useMutation({
    mutationFn: () => {
      const v = form.values;
      const body = {
        title: v.title.trim(),
        kind: SessionKind.parse(v.kind),
        spaceId: v.spaceId ? (v.spaceId as SpaceId) : null,
        startsAt: v.startsAt,
        endsAt: v.endsAt,
        description: v.description,
        registrationEnabled: ownRegistration,
        capacity: ownRegistration ? (parseCapacity(v.capacity) ?? null) : null,
        waitlist,
        speakerIds: speakers as UserId[],
        facilitatorIds: facilitators as UserId[],
      };
      return session
        ? call("updateSession", { params: { slug: event.slug, sessionId: session.id }, body })
        : call("createSession", { params: { slug: event.slug }, body });
    },
    onSuccess: onSaved,
    onError: (error) => form.showFailure(error),
  });

  const onSubmit = (submitted: FormEvent) => {
    submitted.preventDefault();
    if (save.isPending) return;
    const v = form.values;
    const errors: Partial<Record<Field, Message>> = {};
    if (!v.title.trim()) errors.title = { key: "registrations.sessionForm.titleRequired" };
    if (!isLocalDateTime(v.startsAt)) errors.startsAt = { key: "registrations.eventForm.dateRequired" };
    if (!isLocalDateTime(v.endsAt)) errors.endsAt = { key: "registrations.eventForm.dateRequired" };
    else if (isLocalDateTime(v.startsAt) && !isAfter(v.endsAt, v.startsAt))
      errors.endsAt = { key: "registrations.eventForm.endBeforeStart" };
    if (ownRegistration && parseCapacity(v.capacity) === undefined)
      errors.capacity = { key: "registrations.sessionForm.capacityInvalid" };
    if (Object.keys(errors).length > 0) return form.showErrors(errors);
    form.clearErrors();
    save.mutate();
  };

  const people = team.map((member) => ({ value: member.userId, label: member.name, hint: member.email }));
  const titleId = session ? `edit-${session.id}` : "new-session";

  return (
    <section className="card session-form" aria-labelledby={titleId}>
      <h3 id={titleId}>
        {session
          ? t("registrations.sessionForm.editTitle", { title: session.title })
          : t("registrations.sessionForm.newTitle")}
      </h3>
      <form {...form.formProps} onSubmit={onSubmit} noValidate className="form">
        <FormAlert message={form.alert} />
        <TextField
          label={t("registrations.sessionForm.title")}
          required
          maxLength={EVENT_LIMITS.titleMaxLength}
          {...form.field("title")}
        />
        <div className="field-row">
          <SelectField
            label={t("registrations.sessionForm.kind")}
            options={SessionKind.options.map((kind) => ({ value: kind, label: t(`sessionKind.${kind}`) }))}
            {...form.field("kind")}
          />
          <SelectField
            label={t("registrations.sessionForm.space")}
            options={[
              { value: "", label: t("registrations.sessionForm.noSpace") },
              ...event.spaces.map((space) => ({ value: space.id, label: space.name })),
            ]}
            {...form.field("spaceId")}
          />
        </div>
        <div className="field-row">
          <TextField
            label={t("registrations.sessionForm.startsAt")}
            type="datetime-local"
            required
            {...form.field("startsAt")}
          />
          <TextField
            label={t("registrations.sessionForm.endsAt")}
            type="datetime-local"
            required
            {...form.field("endsAt")}
          />
        </div>
        <p className="field-hint field-note">
          {t("registrations.eventForm.timesHint", { timeZone: formatTimeZone(event.timeZone) })}
        </p>
        <TextAreaField
          label={t("registrations.sessionForm.description")}
          hint={t("registrations.sessionForm.descriptionHint")}
          rows={3}
          maxLength={EVENT_LIMITS.descriptionMaxLength}
          {...form.field("description")}
        />
        <fieldset className="subfieldset">
          <legend>{t("registrations.sessionForm.seatsLegend")}</legend>
          <CheckboxField
            name="registrationEnabled"
            label={t("registrations.sessionForm.ownRegistration")}
            hint={t("registrations.sessionForm.ownRegistrationHint")}
            checked={ownRegistration}
            onCheckedChange={setOwnRegistration}
          />
          {ownRegistration ? (
            <div className="field-row">
              <TextField
                label={t("registrations.sessionForm.capacity")}
                hint={t("registrations.common.capacityHint")}
                inputMode="numeric"
                {...form.field("capacity")}
              />
              <CheckboxField
                name="waitlist"
                label={t("registrations.sessionForm.waitlist")}
                checked={waitlist}
                onCheckedChange={setWaitlist}
              />
            </div>
          ) : null}
        </fieldset>
        {people.length > 0 ? (
          <div className="field-row">
            <ChoiceGroup
              name="speakers"
              legend={t("registrations.sessionForm.speakers")}
              multiple
              options={people}
              value={speakers}
              onValueChange={setSpeakers}
            />
            <ChoiceGroup
              name="facilitators"
              legend={t("registrations.sessionForm.facilitators")}
              multiple
              options={people}
              value={facilitators}
              onValueChange={setFacilitators}
            />
          </div>
        ) : (
          <p className="muted small">{t("registrations.sessionForm.noTeam")}</p>
        )}
        <div className="form-footer">
          <Button type="submit" busy={save.isPending} busyLabel={t("registrations.common.saving")}>
            {session ? t("registrations.common.save") : t("registrations.sessionForm.add")}
          </Button>
          <Button variant="ghost" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
        </div>
      </form>
    </section>
  );
}
