// Registration emails in Italian and English, as plain text and HTML. Every one carries the links
// to manage and to cancel the registration; times are written in the event's time zone.
import type { Locale, ReminderLead } from "@convivio/protocol";
import type { RenderedMail } from "../email/templates.js";
import type { MessageKind } from "./ledger.js";

export type RegistrationMailKind = MessageKind | "reminder";

export interface RegistrationMailVars {
  name: string;
  eventTitle: string;
  /** The event's dates, already formatted in its time zone. */
  eventWhen: string;
  manageUrl: string;
  cancelUrl: string;
  /** A sign-in link (confirmation emails only). */
  signInUrl?: string | undefined;
  waitlistPosition?: number | null | undefined;
  sessionTitle?: string | undefined;
  sessionWhen?: string | undefined;
  previousWhen?: string | undefined;
  lead?: ReminderLead | undefined;
  announcement?: { subject: string; body: string } | undefined;
}

interface Copy {
  subject: string;
  lines: string[];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

// Building an Intl formatter is the costly part of formatting (it loads locale and zone data):
// every mail of an event uses the same one or two, so they are kept (a registration rush spent 3%
// of the server's CPU building them).
const whenFormats = new Map<string, Intl.DateTimeFormat>();
const WHEN_FORMATS_KEPT = 256;

/** Formats a start and end in the event's zone, in the reader's language, with the zone's name. */
export function formatWhen(start: Date, end: Date, timeZone: string, locale: Locale): string {
  const key = `${locale} ${timeZone}`;
  let format = whenFormats.get(key);
  if (!format) {
    if (whenFormats.size >= WHEN_FORMATS_KEPT) whenFormats.clear();
    format = new Intl.DateTimeFormat(locale === "it" ? "it-IT" : "en-GB", {
      timeZone,
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
    whenFormats.set(key, format);
  }
  return `${format.formatRange(start, end)} (${timeZone})`;
}

type CopyTable = Record<RegistrationMailKind, (v: RegistrationMailVars) => Copy>;

const EN: CopyTable = {
  confirmed: (v) => ({
    subject: `You're registered: ${v.eventTitle}`,
    lines: [
      `Your seat at "${v.eventTitle}" is confirmed.`,
      `When: ${v.eventWhen}`,
      "The attached calendar file adds it to your calendar.",
    ],
  }),
  waitlisted: (v) => ({
    subject: `You're on the waitlist: ${v.eventTitle}`,
    lines: [
      `"${v.eventTitle}" is full, so you are on the waitlist${v.waitlistPosition ? ` (position ${v.waitlistPosition})` : ""}.`,
      "When a seat frees up it goes to the first person waiting, and we email you at once.",
      `When: ${v.eventWhen}`,
    ],
  }),
  pending: (v) => ({
    subject: `Registration received: ${v.eventTitle}`,
    lines: [
      `Your registration for "${v.eventTitle}" awaits the organizers' approval. We will email you as soon as they decide.`,
      `When: ${v.eventWhen}`,
    ],
  }),
  promoted: (v) => ({
    subject: `A seat is yours: ${v.eventTitle}`,
    lines: [
      `A seat freed up at "${v.eventTitle}" and it is yours: your registration is confirmed.`,
      `When: ${v.eventWhen}`,
    ],
  }),
  approved: (v) => ({
    subject: `Registration approved: ${v.eventTitle}`,
    lines: [
      `The organizers approved your registration for "${v.eventTitle}": your seat is confirmed.`,
      `When: ${v.eventWhen}`,
    ],
  }),
  rejected: (v) => ({
    subject: `Registration not accepted: ${v.eventTitle}`,
    lines: [
      `The organizers of "${v.eventTitle}" could not accept your registration.`,
      "The attached calendar file takes it off your calendar.",
    ],
  }),
  cancelled: (v) => ({
    subject: `Registration cancelled: ${v.eventTitle}`,
    lines: [
      `Your registration for "${v.eventTitle}" is cancelled. If this is a mistake, register again from the event page.`,
      "The attached calendar file takes it off your calendar.",
    ],
  }),
  session_confirmed: (v) => ({
    subject: `Seat confirmed: ${v.sessionTitle}`,
    lines: [`You have a seat in "${v.sessionTitle}" (${v.eventTitle}).`, `When: ${v.sessionWhen}`],
  }),
  session_waitlisted: (v) => ({
    subject: `On the waitlist: ${v.sessionTitle}`,
    lines: [
      `"${v.sessionTitle}" is full: you are on its waitlist${v.waitlistPosition ? ` (position ${v.waitlistPosition})` : ""}.`,
      `When: ${v.sessionWhen}`,
    ],
  }),
  session_promoted: (v) => ({
    subject: `A seat is yours: ${v.sessionTitle}`,
    lines: [
      `A seat freed up in "${v.sessionTitle}" (${v.eventTitle}) and it is yours.`,
      `When: ${v.sessionWhen}`,
    ],
  }),
  session_moved: (v) => ({
    subject: `Time changed: ${v.sessionTitle}`,
    lines: [
      `"${v.sessionTitle}" (${v.eventTitle}) has moved.`,
      `New time: ${v.sessionWhen}`,
      `It was: ${v.previousWhen}`,
      "Your reminders move with it; the attached calendar file updates your calendar.",
    ],
  }),
  session_cancelled: (v) => ({
    subject: `Cancelled: ${v.sessionTitle}`,
    lines: [
      `"${v.sessionTitle}" (${v.eventTitle}), planned for ${v.sessionWhen}, has been cancelled.`,
      "Your registration for the event stays as it is.",
    ],
  }),
  event_moved: (v) => ({
    subject: `New date: ${v.eventTitle}`,
    lines: [
      `"${v.eventTitle}" has moved.`,
      `New time: ${v.eventWhen}`,
      `It was: ${v.previousWhen}`,
      "Your reminders move with it; the attached calendar file updates your calendar.",
    ],
  }),
  reminder: (v) => {
    const target = v.sessionTitle ?? v.eventTitle;
    return {
      subject: `${v.lead === "1h" ? "In one hour" : "Tomorrow"}: ${target}`,
      lines: [
        `A reminder: "${target}" starts ${v.lead === "1h" ? "in one hour" : "in 24 hours"}.`,
        `When: ${v.sessionWhen ?? v.eventWhen}`,
      ],
    };
  },
  announcement: (v) => ({
    subject: `${v.eventTitle}: ${v.announcement?.subject ?? ""}`,
    lines: (v.announcement?.body ?? "").split(/\r?\n\s*\r?\n/),
  }),
};

const IT: CopyTable = {
  confirmed: (v) => ({
    subject: `Iscrizione confermata: ${v.eventTitle}`,
    lines: [
      `Il tuo posto a "${v.eventTitle}" è confermato.`,
      `Quando: ${v.eventWhen}`,
      "Il file di calendario allegato lo aggiunge al tuo calendario.",
    ],
  }),
  waitlisted: (v) => ({
    subject: `Sei in lista d'attesa: ${v.eventTitle}`,
    lines: [
      `"${v.eventTitle}" è al completo: sei in lista d'attesa${v.waitlistPosition ? ` (posizione ${v.waitlistPosition})` : ""}.`,
      "Quando si libera un posto va alla prima persona in lista, e ti scriviamo subito.",
      `Quando: ${v.eventWhen}`,
    ],
  }),
  pending: (v) => ({
    subject: `Iscrizione ricevuta: ${v.eventTitle}`,
    lines: [
      `La tua iscrizione a "${v.eventTitle}" attende l'approvazione degli organizzatori. Ti scriviamo appena decidono.`,
      `Quando: ${v.eventWhen}`,
    ],
  }),
  promoted: (v) => ({
    subject: `Si è liberato un posto: ${v.eventTitle}`,
    lines: [
      `Si è liberato un posto a "${v.eventTitle}" ed è tuo: la tua iscrizione è confermata.`,
      `Quando: ${v.eventWhen}`,
    ],
  }),
  approved: (v) => ({
    subject: `Iscrizione approvata: ${v.eventTitle}`,
    lines: [
      `Gli organizzatori hanno approvato la tua iscrizione a "${v.eventTitle}": il tuo posto è confermato.`,
      `Quando: ${v.eventWhen}`,
    ],
  }),
  rejected: (v) => ({
    subject: `Iscrizione non accettata: ${v.eventTitle}`,
    lines: [
      `Gli organizzatori di "${v.eventTitle}" non hanno potuto accettare la tua iscrizione.`,
      "Il file di calendario allegato lo toglie dal tuo calendario.",
    ],
  }),
  cancelled: (v) => ({
    subject: `Iscrizione annullata: ${v.eventTitle}`,
    lines: [
      `La tua iscrizione a "${v.eventTitle}" è annullata. Se è un errore, iscriviti di nuovo dalla pagina dell'evento.`,
      "Il file di calendario allegato lo toglie dal tuo calendario.",
    ],
  }),
  session_confirmed: (v) => ({
    subject: `Posto confermato: ${v.sessionTitle}`,
    lines: [`Hai un posto in "${v.sessionTitle}" (${v.eventTitle}).`, `Quando: ${v.sessionWhen}`],
  }),
  session_waitlisted: (v) => ({
    subject: `In lista d'attesa: ${v.sessionTitle}`,
    lines: [
      `"${v.sessionTitle}" è al completo: sei nella sua lista d'attesa${v.waitlistPosition ? ` (posizione ${v.waitlistPosition})` : ""}.`,
      `Quando: ${v.sessionWhen}`,
    ],
  }),
  session_promoted: (v) => ({
    subject: `Si è liberato un posto: ${v.sessionTitle}`,
    lines: [
      `Si è liberato un posto in "${v.sessionTitle}" (${v.eventTitle}) ed è tuo.`,
      `Quando: ${v.sessionWhen}`,
    ],
  }),
  session_moved: (v) => ({
    subject: `Cambio di orario: ${v.sessionTitle}`,
    lines: [
      `"${v.sessionTitle}" (${v.eventTitle}) è stata spostata.`,
      `Nuovo orario: ${v.sessionWhen}`,
      `Prima era: ${v.previousWhen}`,
      "I promemoria si spostano con lei; il file di calendario allegato aggiorna il tuo calendario.",
    ],
  }),
  session_cancelled: (v) => ({
    subject: `Annullata: ${v.sessionTitle}`,
    lines: [
      `"${v.sessionTitle}" (${v.eventTitle}), prevista per ${v.sessionWhen}, è stata annullata.`,
      "La tua iscrizione all'evento resta valida.",
    ],
  }),
  event_moved: (v) => ({
    subject: `Nuova data: ${v.eventTitle}`,
    lines: [
      `"${v.eventTitle}" è stato spostato.`,
      `Nuovo orario: ${v.eventWhen}`,
      `Prima era: ${v.previousWhen}`,
      "I promemoria si spostano con lui; il file di calendario allegato aggiorna il tuo calendario.",
    ],
  }),
  reminder: (v) => {
    const target = v.sessionTitle ?? v.eventTitle;
    return {
      subject: `${v.lead === "1h" ? "Tra un'ora" : "Domani"}: ${target}`,
      lines: [
        `Un promemoria: "${target}" inizia ${v.lead === "1h" ? "tra un'ora" : "tra 24 ore"}.`,
        `Quando: ${v.sessionWhen ?? v.eventWhen}`,
      ],
    };
  },
  announcement: (v) => ({
    subject: `${v.eventTitle}: ${v.announcement?.subject ?? ""}`,
    lines: (v.announcement?.body ?? "").split(/\r?\n\s*\r?\n/),
  }),
};

const CHROME = {
  en: {
    hello: (name: string) => `Hi ${name},`,
    signIn: "See your registrations",
    manage: "Manage your registration",
    cancel: "Cancel your registration",
    footer: (title: string) => `You receive this email because you registered for "${title}" on Convivio.`,
  },
  it: {
    hello: (name: string) => `Ciao ${name},`,
    signIn: "Vedi le tue iscrizioni",
    manage: "Gestisci la tua iscrizione",
    cancel: "Annulla l'iscrizione",
    footer: (title: string) => `Ricevi questa email perché ti sei iscritto/a a "${title}" su Convivio.`,
  },
} as const;

/** No cancel link once there is nothing left to cancel. */
const FINAL: ReadonlySet<RegistrationMailKind> = new Set(["cancelled", "rejected"]);

/** Renders one registration email in the recipient's language. */
export function renderRegistrationMail(
  kind: RegistrationMailKind,
  locale: Locale,
  vars: RegistrationMailVars,
): RenderedMail {
  const copy = (locale === "en" ? EN : IT)[kind](vars);
  const chrome = CHROME[locale];
  const paragraphs = [chrome.hello(vars.name), ...copy.lines];
  const links: { label: string; url: string }[] = [{ label: chrome.manage, url: vars.manageUrl }];
  if (!FINAL.has(kind)) links.push({ label: chrome.cancel, url: vars.cancelUrl });
  const action = vars.signInUrl ? { label: chrome.signIn, url: vars.signInUrl } : links[0]!;
  const footer = chrome.footer(vars.eventTitle);

  const text = [
    ...paragraphs,
    "",
    ...(vars.signInUrl ? [`${action.label}: ${action.url}`] : []),
    ...links.map((l) => `${l.label}: ${l.url}`),
    "",
    footer,
  ].join("\n");

  const body = paragraphs
    .map((p) => `<p style="margin:0 0 16px;white-space:pre-line">${escapeHtml(p)}</p>`)
    .join("");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1d2433;max-width:560px;margin:auto;padding:24px">
<p style="font-weight:700;font-size:20px;color:#0b5cad;margin:0 0 24px">Convivio</p>${body}
<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#0b5cad;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(action.label)}</a></p>
${links.map((l) => `<p style="font-size:14px;margin:0 0 8px"><a href="${escapeHtml(l.url)}" style="color:#0b5cad">${escapeHtml(l.label)}</a></p>`).join("")}
<p style="font-size:13px;color:#5b6475;margin-top:24px">${escapeHtml(footer)}</p></body></html>`;
  return { subject: copy.subject.replace(/[\r\n]+/g, " ").slice(0, 250), text, html };
}

/** The email a new team member gets, with a sign-in link. */
export function renderTeamInvite(
  locale: Locale,
  vars: {
    name: string;
    eventTitle: string;
    role: "organizer" | "facilitator" | "speaker";
    inviter: string | null;
    url: string;
  },
): RenderedMail {
  const roles = {
    en: { organizer: "an organizer", facilitator: "a facilitator", speaker: "a speaker" },
    it: {
      organizer: "organizzatore/organizzatrice",
      facilitator: "facilitatore/facilitatrice",
      speaker: "relatore/relatrice",
    },
  } as const;
  const by = vars.inviter;
  const lines =
    locale === "en"
      ? [
          `Hi ${vars.name},`,
          `${by ?? "The organizers"} added you as ${roles.en[vars.role]} of "${vars.eventTitle}" on Convivio.`,
          "The link below signs you in; it works once, for a short time. Later, ask for a new link from the sign-in page.",
        ]
      : [
          `Ciao ${vars.name},`,
          `${by ?? "Gli organizzatori"} ti ha aggiunto come ${roles.it[vars.role]} di "${vars.eventTitle}" su Convivio.`,
          "Il link qui sotto ti fa entrare; vale una volta e per poco tempo. Più tardi chiedi un nuovo link dalla pagina di accesso.",
        ];
  const label = locale === "en" ? "Open Convivio" : "Apri Convivio";
  const subject =
    locale === "en" ? `You're on the team of ${vars.eventTitle}` : `Fai parte del team di ${vars.eventTitle}`;
  const text = [...lines, "", `${label}: ${vars.url}`].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1d2433;max-width:560px;margin:auto;padding:24px">
<p style="font-weight:700;font-size:20px;color:#0b5cad;margin:0 0 24px">Convivio</p>${lines.map((l) => `<p style="margin:0 0 16px">${escapeHtml(l)}</p>`).join("")}
<p style="margin:24px 0"><a href="${escapeHtml(vars.url)}" style="background:#0b5cad;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(label)}</a></p></body></html>`;
  return { subject: subject.slice(0, 250), text, html };
}
