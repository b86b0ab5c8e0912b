// The organizer's CSV of registrations, written in one language: headers, statuses, yes/no, who
// added someone, languages and seat states, so a spreadsheet reads the same as the table does.
// UTF-8 with a BOM and one column per question (archived ones included: their answers stay).
// The status words are the web app's (registrations.status in its locale files).
import type { AnswerValue, Locale, RegistrationStatus, RegistrationView } from "@convivio/protocol";
import { csvTime, toCsv } from "./csv.js";

interface CsvCopy {
  registeredAt: string;
  status: string;
  name: string;
  email: string;
  language: string;
  waitlistPosition: string;
  overCapacity: string;
  source: string;
  inviteCode: string;
  consent: string;
  consentAt: string;
  sessions: string;
  yes: string;
  no: string;
  statuses: Record<RegistrationStatus, string>;
  sources: Record<RegistrationView["source"], string>;
  languages: Record<Locale, string>;
  waitingForSeat: string;
}

const COPY: Record<Locale, CsvCopy> = {
  en: {
    registeredAt: "Registered at",
    status: "Status",
    name: "Name",
    email: "Email",
    language: "Language",
    waitlistPosition: "Waitlist position",
    overCapacity: "Beyond capacity",
    source: "Added by",
    inviteCode: "Invite code",
    consent: "Consent version",
    consentAt: "Consent given at",
    sessions: "Sessions",
    yes: "yes",
    no: "no",
    statuses: {
      pending: "Awaiting approval",
      confirmed: "Confirmed",
      waitlisted: "Waiting list",
      cancelled: "Cancelled",
      rejected: "Not accepted",
    },
    sources: { self: "Registrant", organizer: "Organizer" },
    languages: { it: "Italian", en: "English" },
    waitingForSeat: "waiting list",
  },
  it: {
    registeredAt: "Iscritto il",
    status: "Stato",
    name: "Nome",
    email: "Email",
    language: "Lingua",
    waitlistPosition: "Posizione in lista d'attesa",
    overCapacity: "Oltre la capienza",
    source: "Aggiunto da",
    inviteCode: "Codice invito",
    consent: "Versione del consenso",
    consentAt: "Consenso dato il",
    sessions: "Sessioni",
    yes: "sì",
    no: "no",
    statuses: {
      pending: "In attesa di approvazione",
      confirmed: "Confermata",
      waitlisted: "Lista d'attesa",
      cancelled: "Annullata",
      rejected: "Non accettata",
    },
    sources: { self: "Iscritto", organizer: "Organizzatore" },
    languages: { it: "Italiano", en: "Inglese" },
    waitingForSeat: "in lista d'attesa",
  },
};

export interface CsvQuestion {
  id: string;
  label: string;
}

/** The whole CSV file of an event's registrations, in `locale`, times in the event's zone. */
export function registrationsCsv(
  views: readonly RegistrationView[],
  questions: readonly CsvQuestion[],
  timeZone: string,
  locale: Locale,
): string {
  const c = COPY[locale];
  const answerText = (value: AnswerValue | undefined) =>
    value === undefined
      ? ""
      : Array.isArray(value)
        ? value.join("; ")
        : typeof value === "boolean"
          ? value
            ? c.yes
            : c.no
          : value;
  const header = [
    c.registeredAt,
    c.status,
    c.name,
    c.email,
    c.language,
    c.waitlistPosition,
    c.overCapacity,
    c.source,
    c.inviteCode,
    c.consent,
    c.consentAt,
    c.sessions,
    ...questions.map((q) => q.label),
  ];
  const rows = views.map((v) => [
    csvTime(new Date(v.createdAt), timeZone),
    c.statuses[v.status],
    v.name,
    v.email,
    c.languages[v.locale],
    v.waitlistPosition ?? "",
    v.overCapacity ? c.yes : c.no,
    c.sources[v.source],
    v.inviteCode ?? "",
    v.consent?.version ?? "",
    v.consent ? csvTime(new Date(v.consent.at), timeZone) : "",
    v.sessions
      .filter((s) => s.status !== "cancelled")
      .map((s) => (s.status === "waitlisted" ? `${s.title} (${c.waitingForSeat})` : s.title))
      .join("; "),
    ...questions.map((q) => answerText(v.answers[q.id])),
  ]);
  return toCsv(header, rows);
}
