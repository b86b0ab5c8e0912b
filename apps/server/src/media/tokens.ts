import { AccessToken } from "livekit-server-sdk";
import type { MediaGrantRequest } from "./grants.js";
import { grantsFor } from "./grants.js";

export interface LiveKitConfig {
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** Media tokens live ten minutes: long enough to connect, short enough to be useless when leaked. */
export const MEDIA_TOKEN_TTL_SECONDS = 600;

export interface MediaToken {
  url: string;
  token: string;
  room: string;
  canPublish: boolean;
  expiresAt: Date;
}

/**
 * Mints a room-scoped token: identity is the participant's id, name their display name.
 * Null when the person may not be in that room (no token is the refusal).
 */
export async function mintMediaToken(
  config: LiveKitConfig,
  person: { id: string; name: string },
  request: MediaGrantRequest,
  now: Date = new Date(),
): Promise<MediaToken | null> {
  const grant = grantsFor(request);
  if (!grant) return null;
  const token = new AccessToken(config.apiKey, config.apiSecret, {
    identity: person.id,
    name: person.name,
    ttl: MEDIA_TOKEN_TTL_SECONDS,
  });
  token.addGrant(grant);
  return {
    url: config.url,
    token: await token.toJwt(),
    room: request.room,
    canPublish: grant.canPublish === true,
    expiresAt: new Date(now.getTime() + MEDIA_TOKEN_TTL_SECONDS * 1000),
  };
}
