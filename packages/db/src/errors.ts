const UNIQUE_VIOLATION = "23505";

interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  cause?: unknown;
}

/**
 * True when `err` is PostgreSQL's unique_violation (SQLSTATE 23505) from either driver, also when
 * Drizzle wraps it (DrizzleQueryError keeps the driver error as `cause`). With `constraint`, only
 * a violation of that constraint or unique index counts (e.g. "users_email_key").
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const seen = new Set<unknown>();
  let current = err;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    const fields = current as PgErrorFields;
    if (fields.code === UNIQUE_VIOLATION) {
      return constraint === undefined || fields.constraint === constraint;
    }
    current = fields.cause;
  }
  return false;
}
