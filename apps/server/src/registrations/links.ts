// Tokens of emailed registration links: whoever holds one manages that registration (view, edit
// answers, cancel, take session seats) without signing in. Stored as SHA-256, like sign-in links.
import { registrationLinks, type Db } from "@convivio/db";
import { hashToken, newToken } from "../auth/secrets.js";

const LINK_VALIDITY_AFTER_EVENT_MS = 30 * 86_400_000;

/** A new link token for a registration, valid until 30 days after the event ends. */
export async function issueRegistrationLink(
  db: Db,
  registrationId: string,
  event: { endsAt: Date },
  now: Date,
): Promise<string> {
  const token = newToken();
  const base = Math.max(event.endsAt.getTime(), now.getTime());
  await db.insert(registrationLinks).values({
    tokenHash: hashToken(token),
    registrationId,
    createdAt: now,
    expiresAt: new Date(base + LINK_VALIDITY_AFTER_EVENT_MS),
  });
  return token;
}

/** Page links carrying a token in the URL fragment, which browsers never send to a server or log. */
export function registrationPageUrls(publicUrl: string, registrationId: string, token: string) {
  return {
    manageUrl: `${publicUrl}/registrations/${registrationId}#token=${token}`,
    cancelUrl: `${publicUrl}/registrations/${registrationId}/cancel#token=${token}`,
  };
}
