import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { EVENT_LIMITS, LOCALES, type Locale } from "@convivio/protocol";
import { formatTimeZone } from "../events/datetime";
import { timeZoneGroups } from "../events/zonedTime";
import { ChoiceGroup } from "../ui/Choices";
import { FieldFrame, TextField } from "../ui/Field";
import { TextAreaField } from "../ui/TextAreaField";
import type { Message } from "../ui/message";
import type { EventFormField, EventFormValues } from "./eventForm";

interface EventFieldsProps {
  values: EventFormValues;
  languages: Locale[];
  errors: Partial<Record<EventFormField, Message>>;
  onChange: (name: keyof EventFormValues, value: string) => void;
  onLanguagesChange: (languages: Locale[]) => void;
}

/** Title, address, time zone, dates, languages and description: the fields of an event. */
export function EventFields({ values, languages, errors, onChange, onLanguagesChange }: EventFieldsProps) {
  const { t } = useTranslation();
  const field = (name: keyof EventFormValues) => ({
    name,
    value: values[name],
    error: errors[name],
    onValueChange: (value: string) => onChange(name, value),
  });
  const origin = typeof window === "undefined" ? "" : window.location.host;
  return (
    <>
      <TextField
        label={t("registrations.eventForm.title")}
        required
        maxLength={EVENT_LIMITS.titleMaxLength}
        {...field("title")}
      />
      <TextField
        label={t("registrations.eventForm.slug")}
        hint={t("registrations.eventForm.slugHint", { url: `${origin}/e/${values.slug || "…"}` })}
        required
        autoCapitalize="off"
        spellCheck={false}
        maxLength={80}
        {...field("slug")}
      />
      <TimeZoneField
        value={values.timeZone}
        error={errors.timeZone}
        onValueChange={(v) => onChange("timeZone", v)}
      />
      <div className="field-row">
        <TextField
          label={t("registrations.eventForm.startsAt")}
          type="datetime-local"
          required
          {...field("startsAt")}
        />
        <TextField
          label={t("registrations.eventForm.endsAt")}
          type="datetime-local"
          required
          {...field("endsAt")}
        />
      </div>
      <p className="field-hint field-note">
        {t("registrations.eventForm.timesHint", { timeZone: formatTimeZone(values.timeZone) })}
      </p>
      <ChoiceGroup
        name="languages"
        legend={t("registrations.eventForm.languages")}
        hint={t("registrations.eventForm.languagesHint")}
        multiple
        inline
        error={errors.languages}
        options={LOCALES.map((locale) => ({
          value: locale,
          label: t(`common.languageNames.${locale}`),
          lang: locale,
        }))}
        value={languages}
        onValueChange={(next) => onLanguagesChange(LOCALES.filter((l) => next.includes(l)))}
      />
      <TextAreaField
        label={t("registrations.eventForm.description")}
        hint={t("registrations.eventForm.descriptionHint")}
        rows={8}
        maxLength={EVENT_LIMITS.descriptionMaxLength}
        {...field("description")}
      />
    </>
  );
}

/** A time zone select grouped by region; names read with spaces (America/New York). */
export function TimeZoneField({
  value,
  error,
  onValueChange,
}: {
  value: string;
  error?: Message | undefined;
  onValueChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const groups = useMemo(() => timeZoneGroups(value), [value]);
  return (
    <FieldFrame
      id={id}
      label={t("registrations.eventForm.timeZone")}
      hint={t("registrations.eventForm.timeZoneHint")}
      error={error}
    >
      {(described) => (
        <select
          className="input select"
          id={id}
          name="timeZone"
          value={value}
          {...described}
          onChange={(event) => onValueChange(event.target.value)}
        >
          {groups.map((group) => (
            <optgroup key={group.region} label={group.region}>
              {group.zones.map((zone) => (
                <option key={zone} value={zone}>
                  {formatTimeZone(zone)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}
