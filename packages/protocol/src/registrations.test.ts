import { describe, expect, it } from "vitest";
import { CreateEventBody, CreateSessionBody, UpdateEventBody } from "./events.js";
import {
  AnnouncementBody,
  DecisionBody,
  QuestionInput,
  RegisterBody,
  RegistrationSettingsBody,
} from "./registrations.js";

const event = {
  slug: "open-day",
  title: "Open day",
  timeZone: "Europe/Rome",
  startsAt: "2026-05-10T09:00",
  endsAt: "2026-05-10T18:00",
};

describe("event and session bodies", () => {
  it("accept a valid event and fill defaults", () => {
    expect(CreateEventBody.parse(event)).toEqual({ ...event, description: "", languages: ["it"] });
  });

  it("refuse an end before the start, unknown fields and an unknown zone", () => {
    expect(
      CreateEventBody.safeParse({ ...event, endsAt: "2026-05-10T08:00" }).error?.issues[0]?.path,
    ).toEqual(["endsAt"]);
    expect(CreateEventBody.safeParse({ ...event, extra: 1 }).success).toBe(false);
    expect(CreateEventBody.safeParse({ ...event, timeZone: "Nowhere/Land" }).success).toBe(false);
    expect(UpdateEventBody.safeParse({}).success).toBe(false);
    expect(
      UpdateEventBody.safeParse({ startsAt: "2026-05-10T09:00", endsAt: "2026-05-09T09:00" }).success,
    ).toBe(false);
  });

  it("limit a session's length and its people", () => {
    const session = { title: "Talk", kind: "talk", startsAt: "2026-05-10T09:00", endsAt: "2026-05-10T10:00" };
    expect(CreateSessionBody.parse(session)).toMatchObject({
      capacity: null,
      registrationEnabled: false,
      speakerIds: [],
    });
    expect(CreateSessionBody.safeParse({ ...session, endsAt: "2026-05-20T10:00" }).success).toBe(false);
    const id = "6f1c2d5e-8a4b-4c3d-9e2f-1a2b3c4d5e6f";
    expect(CreateSessionBody.safeParse({ ...session, speakerIds: [id, id] }).success).toBe(false);
  });
});

describe("registration bodies", () => {
  it("require options for choices and none for text", () => {
    expect(QuestionInput.safeParse({ kind: "single_choice", label: "Diet", options: ["only"] }).success).toBe(
      false,
    );
    expect(QuestionInput.safeParse({ kind: "text", label: "Org", options: ["x"] }).success).toBe(false);
    expect(
      QuestionInput.safeParse({ kind: "multiple_choice", label: "T", options: ["a", "a"] }).success,
    ).toBe(false);
  });

  it("refuse a closing date before the opening and oversize texts", () => {
    expect(
      RegistrationSettingsBody.safeParse({
        enabled: true,
        opensAt: "2026-05-01T00:00",
        closesAt: "2026-04-01T00:00",
      }).success,
    ).toBe(false);
    expect(RegisterBody.safeParse({ name: "x".repeat(121), email: "a@b.it" }).success).toBe(false);
    expect(
      AnnouncementBody.safeParse({ subject: "Hi", body: "x".repeat(10_001), statuses: ["confirmed"] })
        .success,
    ).toBe(false);
  });

  it("normalise the email and refuse unknown fields", () => {
    expect(RegisterBody.parse({ name: "Ada", email: "Ada@Example.IT" })).toMatchObject({
      email: "ada@example.it",
      answers: {},
    });
    expect(RegisterBody.safeParse({ name: "Ada", email: "a@b.it", status: "confirmed" }).success).toBe(false);
  });

  it("refuse repeated ids in a decision", () => {
    const id = "6f1c2d5e-8a4b-4c3d-9e2f-1a2b3c4d5e6f";
    expect(DecisionBody.safeParse({ action: "approve", registrationIds: [id, id] }).success).toBe(false);
  });
});
