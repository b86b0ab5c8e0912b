import { describe, expect, it } from "vitest";
import type { EventDetail, ScheduleWarning } from "@convivio/protocol";
import { describeWarning, sessionsOfWarning } from "./warnings";

const S1 = "11111111-1111-4111-8111-111111111111";
const S2 = "22222222-2222-4222-8222-222222222222";
const SP = "33333333-3333-4333-8333-333333333333";
const U1 = "44444444-4444-4444-8444-444444444444";

const event = {
  spaces: [{ id: SP, name: "Sala Rossa", position: 0 }],
  sessions: [
    { id: S1, title: "Apertura", spaceId: SP, description: "", kind: "plenary", startsAt: "", endsAt: "" },
    {
      id: S2,
      title: "Laboratorio",
      spaceId: SP,
      description: "",
      kind: "workshop",
      startsAt: "",
      endsAt: "",
    },
  ],
} as unknown as Pick<EventDetail, "sessions" | "spaces">;

describe("describeWarning", () => {
  it("names the space and both sessions of an overlap", () => {
    const warning = { type: "space_overlap", spaceId: SP, sessionIds: [S1, S2] } as ScheduleWarning;
    expect(describeWarning(warning, event)).toEqual({
      key: "registrations.warnings.spaceOverlap",
      values: { space: "Sala Rossa", first: "Apertura", second: "Laboratorio" },
    });
    expect(sessionsOfWarning(warning)).toEqual([S1, S2]);
  });

  it("names the person booked twice", () => {
    const warning = { type: "person_double_booked", userId: U1, sessionIds: [S1, S2] } as ScheduleWarning;
    const team = [{ userId: U1, name: "Marta Bianchi", email: "m@example.org", roles: ["speaker" as const] }];
    expect(describeWarning(warning, event, team).values).toMatchObject({ person: "Marta Bianchi" });
  });

  it("names a session outside the event's dates", () => {
    const warning = { type: "outside_event", sessionId: S2 } as ScheduleWarning;
    expect(describeWarning(warning, event)).toEqual({
      key: "registrations.warnings.outsideEvent",
      values: { session: "Laboratorio" },
    });
    expect(sessionsOfWarning(warning)).toEqual([S2]);
  });
});
