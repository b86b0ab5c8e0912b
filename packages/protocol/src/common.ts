import { z } from "zod";

/** Languages the product speaks. */
export const LOCALES = ["it", "en"] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export const Email = z
  .email()
  .max(254)
  .transform((value) => value.trim().toLowerCase());
export const Password = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);
export const PersonName = z.string().trim().min(1).max(120);
export const IsoDateTime = z.iso.datetime({ offset: true });

/** A body with no fields at all (signing out, for instance). */
export const EmptyBody = z.strictObject({});
