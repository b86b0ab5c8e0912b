import { describe, expect, it } from "vitest";
import { planReminders, type ReminderTarget } from "./reminderPlan.js";

const HOUR = 3_600_000;
const start = new Date("2026-06-10T09:00:00Z");
const at = (hoursBeforeStart: number) => new Date(start.getTime() - hoursBeforeStart * HOUR);
const event = (overrides: Partial<ReminderTarget> = {}): ReminderTarget => ({
  sessionId: null,
  startsAt: start,
  active: true,
  activeSince: at(100),
  ...overrides,
});

describe("reminder plan", () => {
  it("arms 24 h and 1 h before each target, with deterministic ids", () => {
    const plan = planReminders(
      "r1",
      [event(), event({ sessionId: "s1", startsAt: new Date(start.getTime() + 2 * HOUR) })],
      at(48),
    );
    expect(plan.disarm).toEqual([]);
    expect(plan.arm.map((r) => [r.id, r.runAt.toISOString()])).toEqual([
      ["reminder:r1:event:24h", at(24).toISOString()],
      ["reminder:r1:event:1h", at(1).toISOString()],
      ["reminder:r1:s1:24h", at(22).toISOString()],
      ["reminder:r1:s1:1h", at(-1).toISOString()],
    ]);
    expect(plan.arm[0]!.payload).toEqual({
      registrationId: "r1",
      sessionId: null,
      lead: "24h",
      startsAt: start.toISOString(),
    });
  });

  it("disarms everything of an inactive target or one that has started", () => {
    expect(planReminders("r1", [event({ active: false })], at(48)).disarm).toEqual([
      "reminder:r1:event:24h",
      "reminder:r1:event:1h",
    ]);
    expect(planReminders("r1", [event()], at(0)).arm).toEqual([]);
  });

  it("drops a reminder already due, unless catching up after downtime for someone registered in time", () => {
    const now = at(10);
    expect(planReminders("r1", [event()], now).arm.map((r) => r.id)).toEqual(["reminder:r1:event:1h"]);
    const caughtUp = planReminders("r1", [event()], now, { catchUp: true }).arm;
    expect(caughtUp.map((r) => [r.id, r.runAt.toISOString()])).toEqual([
      ["reminder:r1:event:24h", now.toISOString()],
      ["reminder:r1:event:1h", at(1).toISOString()],
    ]);
    // Registered after the 24 h reminder was due: it was never owed.
    const late = planReminders("r1", [event({ activeSince: at(12) })], now, { catchUp: true }).arm;
    expect(late.map((r) => r.id)).toEqual(["reminder:r1:event:1h"]);
    // Once the 1 h reminder is due too, only that one is caught up.
    const both = planReminders("r1", [event()], at(0.5), { catchUp: true });
    expect(both.arm.map((r) => r.id)).toEqual(["reminder:r1:event:1h"]);
    expect(both.disarm).toEqual(["reminder:r1:event:24h"]);
  });
});
