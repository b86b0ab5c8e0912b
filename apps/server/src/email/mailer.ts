/** One email, already rendered. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; contentType: string; content: string }[];
}

/** The email port: SMTP in production, the local outbox by default. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /**
   * Sends several at once where the transport can do better than one by one (the outbox stores
   * them in one statement). One outcome per message, in order: undefined when it was sent, else
   * why not. Without it, `sendEach` sends them one by one.
   */
  sendMany?(messages: readonly MailMessage[]): Promise<unknown[]>;
  close(): Promise<void>;
}

/**
 * Sends of one batch in flight at once when the mailer sends one by one (an SMTP connection each):
 * with at most four email jobs at once per process, at most eight connections to the SMTP server.
 */
export const SENDS_AT_ONCE = 2;

/** Sends every message: through `sendMany` when the mailer has it, else a few at a time. */
export async function sendEach(mailer: Mailer, messages: readonly MailMessage[]): Promise<unknown[]> {
  if (messages.length === 0) return [];
  if (mailer.sendMany) return mailer.sendMany(messages);
  const outcomes: unknown[] = new Array<unknown>(messages.length).fill(undefined);
  let next = 0;
  const lane = async () => {
    while (next < messages.length) {
      const i = next++;
      try {
        await mailer.send(messages[i]!);
      } catch (err) {
        outcomes[i] = err ?? new Error("send failed");
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SENDS_AT_ONCE, messages.length) }, lane));
  return outcomes;
}
