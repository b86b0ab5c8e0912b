// The event form's rules, mirroring the protocol's, so mistakes are explained before a round trip.
import { EVENT_LIMITS, LOCALES, Slug, type Locale } from "@convivio/protocol";
import type { Message } from "../ui/message";
import { isAfter, isLocalDateTime } from "../events/zonedTime";

export interface EventFormValues {
  title: string;
  slug: string;
  timeZone: string;
  startsAt: string;
  endsAt: string;
  description: string;
}

export type EventFormField = keyof EventFormValues | "languages";

/** A web address from a title: lowercase ASCII letters and digits joined by single dashes. */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}

/** Field messages for an event form; empty when it can be sent. */
export function checkEventForm(
  values: EventFormValues,
  languages: readonly Locale[],
): Partial<Record<EventFormField, Message>> {
  const errors: Partial<Record<EventFormField, Message>> = {};
  const title = values.title.trim();
  if (!title) errors.title = { key: "registrations.eventForm.titleRequired" };
  else if (title.length > EVENT_LIMITS.titleMaxLength)
    errors.title = { key: "registrations.eventForm.tooLong", values: { max: EVENT_LIMITS.titleMaxLength } };
  if (!Slug.safeParse(values.slug).success) errors.slug = { key: "registrations.eventForm.slugInvalid" };
  if (!isLocalDateTime(values.startsAt)) errors.startsAt = { key: "registrations.eventForm.dateRequired" };
  if (!isLocalDateTime(values.endsAt)) errors.endsAt = { key: "registrations.eventForm.dateRequired" };
  else if (isLocalDateTime(values.startsAt) && !isAfter(values.endsAt, values.startsAt))
    errors.endsAt = { key: "registrations.eventForm.endBeforeStart" };
  if (values.description.length > EVENT_LIMITS.descriptionMaxLength)
    errors.description = {
      key: "registrations.eventForm.tooLong",
      values: { max: EVENT_LIMITS.descriptionMaxLength },
    };
  if (languages.length === 0) errors.languages = { key: "registrations.eventForm.languagesRequired" };
  return errors;
}

/** Languages in the product's order, whatever order they were ticked in. */
export function orderedLanguages(languages: readonly string[]): Locale[] {
  return LOCALES.filter((locale) => languages.includes(locale));
}
