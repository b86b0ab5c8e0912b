import { desc, outbox, type Db } from "@convivio/db";
import type { Mailer, MailMessage } from "./mailer.js";

const row = (message: MailMessage) => ({
  to: message.to,
  subject: message.subject,
  text: message.text,
  html: message.html ?? null,
  attachments: message.attachments ?? [],
  deliveredVia: "outbox",
});

/** Keeps every message in the database's outbox table; listed at /dev/outbox outside production. */
export function createOutboxMailer(db: Db): Mailer {
  return {
    async send(message: MailMessage) {
      await db.insert(outbox).values(row(message));
    },
    /** One statement for all of them: they are stored together or not at all. */
    async sendMany(messages: readonly MailMessage[]) {
      if (messages.length === 0) return [];
      try {
        await db.insert(outbox).values(messages.map(row));
        return messages.map(() => undefined);
      } catch (err) {
        return messages.map(() => err);
      }
    },
    async close() {},
  };
}

/** Newest messages first. */
export function listOutbox(db: Db, limit = 100) {
  return db.select().from(outbox).orderBy(desc(outbox.createdAt)).limit(limit);
}
