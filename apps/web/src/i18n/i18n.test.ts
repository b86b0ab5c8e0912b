import { describe, expect, it } from "vitest";
import { pickLocale } from "./i18n";

describe("pickLocale", () => {
  it("takes the first preferred language we speak, ignoring region", () => {
    expect(pickLocale(["de-DE", "it-CH", "en-US"])).toBe("it");
    expect(pickLocale(["EN-gb", "it"])).toBe("en");
  });

  it("falls back to English for languages we do not speak", () => {
    expect(pickLocale(["fr-FR", "de"])).toBe("en");
    expect(pickLocale([])).toBe("en");
  });
});
