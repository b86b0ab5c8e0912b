import type { Locale, User, UserId } from "@convivio/protocol";
import type { users } from "@convivio/db";

type UserRow = typeof users.$inferSelect;

/** The public shape of a user row; never includes the password hash. */
export function toUser(row: UserRow): User {
  return {
    id: row.id as UserId,
    email: row.email,
    name: row.name,
    locale: (row.locale === "en" ? "en" : "it") satisfies Locale,
    hasPassword: row.passwordHash !== null,
    createdAt: row.createdAt.toISOString(),
  };
}
