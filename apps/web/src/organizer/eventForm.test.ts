import { describe, expect, it } from "vitest";
import { checkEventForm, orderedLanguages, slugify } from "./eventForm";

const valid = {
  title: "Giornata della partecipazione",
  slug: "giornata-partecipazione",
  timeZone: "Europe/Rome",
  startsAt: "2026-05-10T09:00",
  endsAt: "2026-05-10T18:00",
  description: "",
};

describe("slugify", () => {
  it("makes an address from an Italian title", () => {
    expect(slugify("Città & Comunità: l'Olimpiade delle idee 2026!")).toBe(
      "citta-comunita-l-olimpiade-delle-idee-2026",
    );
    expect(slugify("  --  ")).toBe("");
  });
});

describe("checkEventForm", () => {
  it("accepts a complete event", () => {
    expect(checkEventForm(valid, ["it"])).toEqual({});
  });

  it("explains each problem next to its field", () => {
    const errors = checkEventForm({ ...valid, title: " ", slug: "Not OK", endsAt: "2026-05-10T08:00" }, []);
    expect(Object.keys(errors).sort()).toEqual(["endsAt", "languages", "slug", "title"]);
    expect(errors.endsAt?.key).toBe("registrations.eventForm.endBeforeStart");
  });

  it("refuses impossible dates", () => {
    expect(checkEventForm({ ...valid, startsAt: "2026-02-30T09:00" }, ["it"]).startsAt).toBeDefined();
  });
});

describe("orderedLanguages", () => {
  it("keeps the product's order and drops unknown ones", () => {
    expect(orderedLanguages(["en", "fr", "it"])).toEqual(["it", "en"]);
  });
});
