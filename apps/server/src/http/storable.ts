// What PostgreSQL can store: jsonb and text refuse a NUL character, and jsonb a lone UTF-16
// surrogate. Payloads that carry one are refused at the edge as invalid, instead of failing in the
// database.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A string PostgreSQL can store in jsonb: no NUL character, no lone surrogate. Checked on parsed
 * payloads only, whose strings are few and bounded by their schemas.
 */
export function isStorable(value: unknown): boolean {
  if (typeof value === "string") return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.every(isStorable);
  if (typeof value === "object" && value !== null) return Object.values(value).every(isStorable);
  return true;
}
