import type { Db } from "@convivio/db";
import { ErrorCode } from "@convivio/protocol";
import type { Request, RequestHandler } from "express";
import { bindRoutes } from "../http/routes.js";
import { sendProblem } from "../http/problem.js";
import { listOutbox } from "./outboxMailer.js";

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const LOOPBACK_HOST = /^(localhost|[a-z0-9-]+\.localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?$/i;
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip"];

/** Whether a socket peer address is this machine (127.0.0.0/8, ::1, or IPv4-mapped 127.x). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  if (address === "::1") return true;
  return LOOPBACK_V4.test(address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address);
}

/**
 * Whether a request comes from a browser or tool on this machine. The peer address is the socket's,
 * not `req.ip`: `trust proxy` lets a client choose `req.ip` with X-Forwarded-For. A reverse proxy on
 * this machine also connects from loopback, so a request carrying forwarding headers is refused; and
 * the Host must be a loopback name, so a page that rebinds its own DNS name to 127.0.0.1 cannot read
 * the outbox from a developer's browser.
 */
export function isLocalRequest(req: Pick<Request, "headers" | "socket">): boolean {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return false;
  if (FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined)) return false;
  return LOOPBACK_HOST.test(req.headers.host ?? "");
}

/**
 * The outbox holds working sign-in and reset links, so outside production it is still served only
 * to this machine: with the default HOST=0.0.0.0, anyone who reaches the port could otherwise take
 * over any account by asking for its link.
 */
export const localOnly: RequestHandler = (req, res, next) => {
  if (isLocalRequest(req)) return next();
  sendProblem(res, ErrorCode.notFound, {
    detail:
      "The development outbox is served only to requests from this machine (loopback); set SMTP_URL to deliver mail",
  });
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const linkify = (s: string) => escapeHtml(s).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');

/** The local outbox as JSON, for tests and tools (development only, this machine only). */
export function outboxApiRoutes(db: Db) {
  return bindRoutes(
    {
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
    },
    { listOutbox: [localOnly] },
  );
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
<p>This page and <code>/api/dev/outbox</code> answer only requests from this machine (a loopback address, no proxy in between), and nothing in production: the links here sign people in.</p>
${items || "<p>No messages yet.</p>"}</main></body></html>`);
  };
}

export const outboxCss: RequestHandler = (_req, res) => {
  res.type("css").send(`body{font-family:system-ui,sans-serif;background:#f5f7fa;color:#1d2433;margin:0}
main{max-width:860px;margin:auto;padding:24px}article{background:#fff;border:1px solid #d8dee8;border-radius:8px;padding:16px;margin:16px 0}
header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:8px}header span{color:#5b6475;font-size:14px}
pre{white-space:pre-wrap;font-family:inherit}a{color:#0b5cad}`);
};
