import { describe, expect, it } from "vitest";
import { EVENT_ROLES, Permission, rolesAllow } from "./roles.js";

describe("the permission table", () => {
  it("lets organizers only see drafts (issue 3: drafts are visible to their organizers only)", () => {
    const seeDrafts = EVENT_ROLES.filter((role) => rolesAllow([role], Permission.viewDraft));
    expect(seeDrafts).toEqual(["organizer"]);
  });

  it("keeps what facilitators and speakers do once an event is published", () => {
    expect(rolesAllow(["facilitator"], Permission.facilitateSession)).toBe(true);
    expect(rolesAllow(["speaker"], Permission.presentOnStage)).toBe(true);
    expect(rolesAllow(["speaker"], Permission.facilitateSession)).toBe(false);
  });
});
