import { describe, expect, it } from "vitest";
import { REGISTRATION_MAIL_BATCH, RegistrationMailJob } from "./jobs.js";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe("the registration-mail job's payload", () => {
  it("carries the messages written together, up to a batch", () => {
    expect(RegistrationMailJob.parse({ messageIds: [id(1), id(2)] })).toEqual({ messageIds: [id(1), id(2)] });
    const full = Array.from({ length: REGISTRATION_MAIL_BATCH }, (_, i) => id(i));
    expect(RegistrationMailJob.safeParse({ messageIds: full }).success).toBe(true);
    expect(RegistrationMailJob.safeParse({ messageIds: [...full, id(999)] }).success).toBe(false);
    expect(RegistrationMailJob.safeParse({ messageIds: [] }).success).toBe(false);
    expect(RegistrationMailJob.safeParse({ messageIds: ["not-a-uuid"] }).success).toBe(false);
  });

  it("reads a job queued before batching (one messageId) as a list of one", () => {
    expect(RegistrationMailJob.parse({ messageId: id(7) })).toEqual({ messageIds: [id(7)] });
    expect(RegistrationMailJob.safeParse({ messageId: id(7), messageIds: [id(8)] }).success).toBe(false);
    expect(RegistrationMailJob.safeParse({}).success).toBe(false);
  });
});
