import { describe, expect, test } from "vitest";
import { isUniqueViolation } from "./errors.js";

describe("isUniqueViolation", () => {
  const driverError = Object.assign(new Error("duplicate key"), {
    code: "23505",
    constraint: "users_email_key",
  });

  test("recognises SQLSTATE 23505 directly and through Drizzle's cause chain", () => {
    expect(isUniqueViolation(driverError)).toBe(true);
    expect(isUniqueViolation(new Error("Failed query", { cause: driverError }))).toBe(true);
  });

  test("filters by constraint name when one is given", () => {
    expect(isUniqueViolation(driverError, "users_email_key")).toBe(true);
    expect(isUniqueViolation(driverError, "events_slug_unique")).toBe(false);
  });

  test("is false for other errors and non-errors", () => {
    expect(isUniqueViolation(Object.assign(new Error("fk"), { code: "23503" }))).toBe(false);
    expect(isUniqueViolation(new Error("plain"))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation("23505")).toBe(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isUniqueViolation(loop)).toBe(false);
  });
});
