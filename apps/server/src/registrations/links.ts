// Tokens of emailed registration links: whoever holds one manages that registration (view, edit
// answers, cancel, take session seats) without signing in. Stored as SHA-256, like sign-in links.
import { registrationLinks, type Db } from "@convivio/db";
import { hashToken, newToken } from "../auth/secrets.js";

const LINK_VALIDITY_AFTER_EVENT_MS = 30 * 86_400_000;

/** A new link token (and what is stored of it), valid until 30 days after the event ends. */
export function newRegistrationLink(event: { endsAt: Date }, now: Date) {
  const token = newToken();
  const base = Math.max(event.endsAt.getTime(), now.getTime());
  return { token, tokenHash: hashToken(token), expiresAt: new Date(base + LINK_VALIDITY_AFTER_EVENT_MS) };
}

/** Stores a new link token for each registration (one statement) and returns them, in order. */
export async function issueRegistrationLinks(
  db: Db,
  owners: readonly { registrationId: string; event: { endsAt: Date } }[],
  now: Date,
): Promise<string[]> {
  if (owners.length === 0) return [];
  const links = owners.map(({ registrationId, event }) => ({
    registrationId,
    ...newRegistrationLink(event, now),
  }));
  await db.insert(registrationLinks).values(
    links.map(({ registrationId, tokenHash, expiresAt }) => ({
      tokenHash,
      registrationId,
      createdAt: now,
      expiresAt,
    })),
  );
  return links.map((link) => link.token);
}

/** Page links carrying a token in the URL fragment, which browsers never send to a server or log. */
export function registrationPageUrls(publicUrl: string, registrationId: string, token: string) {
  return {
    manageUrl: `${publicUrl}/registrations/${registrationId}#token=${token}`,
    cancelUrl: `${publicUrl}/registrations/${registrationId}/cancel#token=${token}`,
  };
}
