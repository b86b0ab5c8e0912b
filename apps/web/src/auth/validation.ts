// Client-side checks that mirror the protocol's rules, so most mistakes are caught before a
// round trip and explained in the person's language. The server still parses everything.
import { AppPath, Email, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@convivio/protocol";
import type { Message } from "../ui/message";

const NAME_MAX_LENGTH = 120;

export function checkName(value: string): Message | undefined {
  const name = value.trim();
  if (name === "") return { key: "validation.nameRequired" };
  if (name.length > NAME_MAX_LENGTH)
    return { key: "validation.nameTooLong", values: { max: NAME_MAX_LENGTH } };
  return undefined;
}

export function checkEmail(value: string): Message | undefined {
  if (value.trim() === "") return { key: "validation.emailRequired" };
  if (!Email.safeParse(value.trim()).success) return { key: "validation.emailInvalid" };
  return undefined;
}

/** A password being chosen: the length rule applies. */
export function checkNewPassword(value: string): Message | undefined {
  if (value === "") return { key: "validation.passwordRequired" };
  if (value.length < PASSWORD_MIN_LENGTH) {
    return { key: "validation.passwordTooShort", values: { min: PASSWORD_MIN_LENGTH, count: value.length } };
  }
  if (value.length > PASSWORD_MAX_LENGTH) {
    return { key: "validation.passwordTooLong", values: { max: PASSWORD_MAX_LENGTH } };
  }
  return undefined;
}

/** A password being typed to sign in: only presence is checked, so old passwords still work. */
export function checkPassword(value: string): Message | undefined {
  return value === "" ? { key: "validation.passwordRequired" } : undefined;
}

/** Collects the messages of failed checks, keyed by field. */
export function collectErrors<F extends string>(
  checks: Record<F, Message | undefined>,
): Partial<Record<F, Message>> {
  const errors: Partial<Record<F, Message>> = {};
  for (const [name, message] of Object.entries(checks) as [F, Message | undefined][]) {
    if (message) errors[name] = message;
  }
  return errors;
}

/** Where to go after signing in: a path inside the app, never another origin or the auth pages. */
export function safeNext(value: string | null | undefined, fallback = "/dashboard"): string {
  if (!value || !AppPath.safeParse(value).success) return fallback;
  if (/^\/(sign-in|sign-up|auth\/)/.test(value)) return fallback;
  return value;
}
