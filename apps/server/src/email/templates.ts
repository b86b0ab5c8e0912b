import type { Locale } from "@convivio/protocol";

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A plain, readable HTML wrapper shared by every message. */
function layout(paragraphs: string[], action: { label: string; url: string }, footer: string): string {
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join("");
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1d2433;max-width:560px;margin:auto;padding:24px">
<p style="font-weight:700;font-size:20px;color:#0b5cad;margin:0 0 24px">Convivio</p>${body}
<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#0b5cad;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(action.label)}</a></p>
<p style="font-size:13px;color:#5b6475;word-break:break-all">${escapeHtml(action.url)}</p>
<p style="font-size:13px;color:#5b6475">${escapeHtml(footer)}</p></body></html>`;
}

const COPY = {
  magicLink: {
    it: (name: string, minutes: number) => ({
      subject: "Il tuo link di accesso a Convivio",
      lines: [
        `Ciao ${name},`,
        `ecco il tuo link per entrare in Convivio. Vale una sola volta per ${minutes} minuti.`,
      ],
      action: "Entra in Convivio",
      footer: "Se non l'hai chiesto tu, ignora questo messaggio: nessuno può entrare senza il link.",
    }),
    en: (name: string, minutes: number) => ({
      subject: "Your Convivio sign-in link",
      lines: [
        `Hi ${name},`,
        `here is your link to sign in to Convivio. It works once, for ${minutes} minutes.`,
      ],
      action: "Sign in to Convivio",
      footer: "If you did not ask for it, ignore this message: nobody can sign in without the link.",
    }),
  },
  passwordReset: {
    it: (name: string, minutes: number) => ({
      subject: "Reimposta la password di Convivio",
      lines: [
        `Ciao ${name},`,
        `per scegliere una nuova password apri il link qui sotto entro ${minutes} minuti.`,
      ],
      action: "Scegli una nuova password",
      footer: "Se non l'hai chiesto tu, ignora questo messaggio: la tua password resta quella di prima.",
    }),
    en: (name: string, minutes: number) => ({
      subject: "Reset your Convivio password",
      lines: [`Hi ${name},`, `to choose a new password, open the link below within ${minutes} minutes.`],
      action: "Choose a new password",
      footer: "If you did not ask for it, ignore this message: your password stays as it was.",
    }),
  },
} as const;

/** Renders one of the account emails in the recipient's language, as text and HTML. */
export function renderAccountMail(
  kind: keyof typeof COPY,
  locale: Locale,
  vars: { name: string; url: string; minutes: number },
): RenderedMail {
  const copy = COPY[kind][locale](vars.name, vars.minutes);
  const text = [...copy.lines, "", `${copy.action}: ${vars.url}`, "", copy.footer].join("\n");
  return {
    subject: copy.subject,
    text,
    html: layout(copy.lines, { label: copy.action, url: vars.url }, copy.footer),
  };
}
