import type { Db } from "@convivio/db";
import type { RequestHandler } from "express";
import { bindRoutes } from "../http/routes.js";
import { listOutbox } from "./outboxMailer.js";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const linkify = (s: string) => escapeHtml(s).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');

/** The local outbox as JSON, for tests and tools (development only). */
export function outboxApiRoutes(db: Db) {
  return bindRoutes({
    listOutbox: async () => {
      const rows = await listOutbox(db);
      return {
        status: 200,
        body: {
          messages: rows.map((m) => ({
            id: m.id,
            to: m.to,
            subject: m.subject,
            text: m.text,
            html: m.html,
            attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType })),
            createdAt: m.createdAt.toISOString(),
          })),
        },
      };
    },
  });
}

/** The local outbox as a page with clickable links, so a developer can open a magic link. */
export function outboxPage(db: Db): RequestHandler {
  return async (_req, res) => {
    const rows = await listOutbox(db);
    const items = rows
      .map(
        (
          m,
        ) => `<article><header><strong>${escapeHtml(m.subject)}</strong><span>to ${escapeHtml(m.to)} · ${m.createdAt.toISOString()}</span></header>
<pre>${linkify(m.text)}</pre>${m.attachments.length ? `<p>Attachments: ${m.attachments.map((a) => escapeHtml(a.filename)).join(", ")}</p>` : ""}</article>`,
      )
      .join("");
    res.type("html")
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Outbox · Convivio</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/dev/outbox.css"></head>
<body><main><h1>Development outbox</h1><p>Emails the server would have sent. Set <code>SMTP_URL</code> to deliver them for real.</p>
${items || "<p>No messages yet.</p>"}</main></body></html>`);
  };
}

export const outboxCss: RequestHandler = (_req, res) => {
  res.type("css").send(`body{font-family:system-ui,sans-serif;background:#f5f7fa;color:#1d2433;margin:0}
main{max-width:860px;margin:auto;padding:24px}article{background:#fff;border:1px solid #d8dee8;border-radius:8px;padding:16px;margin:16px 0}
header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:8px}header span{color:#5b6475;font-size:14px}
pre{white-space:pre-wrap;font-family:inherit}a{color:#0b5cad}`);
};
