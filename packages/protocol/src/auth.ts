import { z } from "zod";
import { Email, Locale, Password, PersonName } from "./common.js";
import { UserId } from "./ids.js";

export const SignUpBody = z.strictObject({
  name: PersonName,
  email: Email,
  password: Password,
  locale: Locale.optional(),
});
export type SignUpBody = z.infer<typeof SignUpBody>;

export const SignInBody = z.strictObject({
  email: Email,
  password: z.string().min(1).max(256),
});
export type SignInBody = z.infer<typeof SignInBody>;

/** Where to land after a magic link: a path inside the app, never another origin. */
export const AppPath = z
  .string()
  .max(500)
  .regex(/^\/(?!\/)[^\s\\]*$/, "must be a path inside the app");

export const MagicLinkRequestBody = z.strictObject({
  email: Email,
  name: PersonName.optional(),
  locale: Locale.optional(),
  next: AppPath.optional(),
});
export type MagicLinkRequestBody = z.infer<typeof MagicLinkRequestBody>;

/** Tokens are 256-bit random values, base64url without padding: 43 characters. */
export const OneTimeToken = z
  .string()
  .length(43)
  .regex(/^[A-Za-z0-9_-]+$/);

export const ConsumeTokenBody = z.strictObject({ token: OneTimeToken });
export type ConsumeTokenBody = z.infer<typeof ConsumeTokenBody>;

export const PasswordResetRequestBody = z.strictObject({ email: Email, locale: Locale.optional() });
export type PasswordResetRequestBody = z.infer<typeof PasswordResetRequestBody>;

export const PasswordResetConfirmBody = z.strictObject({ token: OneTimeToken, password: Password });
export type PasswordResetConfirmBody = z.infer<typeof PasswordResetConfirmBody>;

export const SetPasswordBody = z.strictObject({
  password: Password,
  currentPassword: z.string().min(1).max(256).optional(),
});
export type SetPasswordBody = z.infer<typeof SetPasswordBody>;

export const UpdateMeBody = z.strictObject({
  name: PersonName.optional(),
  locale: Locale.optional(),
});
export type UpdateMeBody = z.infer<typeof UpdateMeBody>;

export const User = z.object({
  id: UserId,
  email: z.string(),
  name: z.string(),
  locale: Locale,
  hasPassword: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

export const MeResponse = z.object({ user: User });
export type MeResponse = z.infer<typeof MeResponse>;

export const MagicLinkConsumed = z.object({ user: User, next: z.string() });
export type MagicLinkConsumed = z.infer<typeof MagicLinkConsumed>;

export const Accepted = z.object({ ok: z.literal(true) });

/**
 * Node to node (socket.io adapter): sessions a node dropped from its session cache, one session or
 * every session of a person but possibly one. Parsed on receipt like any other message.
 */
export const SessionForget = z.union([
  z.strictObject({ sessionId: z.uuid() }),
  z.strictObject({ userId: z.uuid(), exceptSessionId: z.uuid().optional() }),
]);
export type SessionForget = z.infer<typeof SessionForget>;
