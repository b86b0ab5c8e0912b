import { desc, outbox, type Db } from "@convivio/db";
import type { Mailer, MailMessage } from "./mailer.js";

/** Keeps every message in the database's outbox table; listed at /dev/outbox outside production. */
export function createOutboxMailer(db: Db): Mailer {
  return {
    async send(message: MailMessage) {
      await db.insert(outbox).values({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? null,
        attachments: message.attachments ?? [],
        deliveredVia: "outbox",
      });
    },
    async close() {},
  };
}

/** Newest messages first. */
export function listOutbox(db: Db, limit = 100) {
  return db.select().from(outbox).orderBy(desc(outbox.createdAt)).limit(limit);
}
