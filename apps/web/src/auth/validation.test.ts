import { describe, expect, it } from "vitest";
import { checkEmail, checkName, checkNewPassword, collectErrors, safeNext } from "./validation";

describe("form checks", () => {
  it("asks for at least 12 characters and says how many were typed", () => {
    expect(checkNewPassword("short")).toEqual({
      key: "validation.passwordTooShort",
      values: { min: 12, count: 5 },
    });
    expect(checkNewPassword("twelve chars")).toBeUndefined();
    expect(checkNewPassword("")?.key).toBe("validation.passwordRequired");
  });

  it("accepts addresses the server accepts, with stray spaces", () => {
    expect(checkEmail(" maria.rossi@comune.example.it ")).toBeUndefined();
    expect(checkEmail("maria.rossi")?.key).toBe("validation.emailInvalid");
    expect(checkEmail("  ")?.key).toBe("validation.emailRequired");
  });

  it("requires a non-blank name", () => {
    expect(checkName("   ")?.key).toBe("validation.nameRequired");
    expect(checkName("Maria Rossi")).toBeUndefined();
  });

  it("keeps only the failed checks", () => {
    expect(collectErrors({ name: checkName("Ada"), email: checkEmail("nope") })).toEqual({
      email: { key: "validation.emailInvalid" },
    });
  });
});

describe("safeNext", () => {
  it("keeps paths inside the app", () => {
    expect(safeNext("/e/open-day?tab=agenda")).toBe("/e/open-day?tab=agenda");
  });

  it("refuses other origins, protocol-relative paths and auth pages", () => {
    expect(safeNext("https://evil.example/")).toBe("/dashboard");
    expect(safeNext("//evil.example/")).toBe("/dashboard");
    expect(safeNext("/sign-in?next=/sign-in")).toBe("/dashboard");
    expect(safeNext(null)).toBe("/dashboard");
  });
});
