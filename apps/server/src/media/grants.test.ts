// Invariant 9 follows the permission table: a media grant gives the stage to whoever may present
// and an unseen visit to whoever may facilitate, for every combination of roles, and asks the
// table (rolesAllow) rather than a list of its own, so the two cannot drift apart.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as protocol from "@convivio/protocol";
import { EVENT_ROLES, Permission, rolesAllow, type EventRole } from "@convivio/protocol";
import { grantsFor } from "./grants.js";

vi.mock("@convivio/protocol", { spy: true });

/** Every non-empty set of roles a person can hold in one event. */
const roleSets: EventRole[][] = Array.from({ length: 2 ** EVENT_ROLES.length - 1 }, (_, i) =>
  EVENT_ROLES.filter((_, bit) => ((i + 1) >> bit) & 1),
);

afterEach(() => {
  vi.mocked(protocol.rolesAllow).mockRestore();
});

describe("media grants and the permission table", () => {
  it.each(roleSets.map((roles) => [roles.join("+"), roles] as const))(
    "%s: on stage in a plenary exactly when the table lets them present, unseen exactly when it lets them facilitate",
    (_, roles) => {
      const room = "r";
      const stage = grantsFor({ room, roomKind: "plenary", roles });
      expect(stage?.canPublish).toBe(rolesAllow(roles, Permission.presentOnStage));
      expect(stage?.canPublishData).toBe(rolesAllow(roles, Permission.presentOnStage));
      const hidden = grantsFor({ room, roomKind: "table", roles, hidden: true });
      if (rolesAllow(roles, Permission.facilitateSession)) {
        expect(hidden).toMatchObject({ hidden: true, canPublish: false, canSubscribe: true });
      } else {
        expect(hidden).toBeNull();
      }
      // At a table everyone who may be there talks.
      expect(grantsFor({ room, roomKind: "table", roles })?.canPublish).toBe(true);
    },
  );

  it("follows a change of the table (a stand-in where speakers may not present and attendees may facilitate)", () => {
    const changed: Record<EventRole, readonly Permission[]> = {
      ...protocol.ROLE_PERMISSIONS,
      speaker: [Permission.viewEvent, Permission.joinSession],
      attendee: [Permission.viewEvent, Permission.joinSession, Permission.facilitateSession],
    };
    vi.mocked(protocol.rolesAllow).mockImplementation((roles, permission) =>
      roles.some((role) => changed[role].includes(permission)),
    );
    expect(grantsFor({ room: "r", roomKind: "plenary", roles: ["speaker"] })?.canPublish).toBe(false);
    expect(grantsFor({ room: "r", roomKind: "table", roles: ["attendee"], hidden: true })).toMatchObject({
      hidden: true,
    });
    // Bringing someone on stage still works whatever their roles.
    expect(grantsFor({ room: "r", roomKind: "plenary", roles: ["speaker"], onStage: true })?.canPublish).toBe(
      true,
    );
  });
});
