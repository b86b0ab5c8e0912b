import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test/harness.js";
import { createEvent, register, signUpOrganizer, unique } from "../test/events.js";

describe("public registration is rate limited per address", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { REGISTRATION_RATE_LIMIT: "3", AUTH_RATE_LIMIT: "1000" } });
  });
  afterAll(() => server.close());

  it("refuses the fourth registration from one address within the window, and stores nothing for it", async () => {
    const organizer = await signUpOrganizer(server);
    const event = await createEvent(organizer, { settings: { capacity: 50 } });
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(
        await register(server.client(), event.slug, { name: `P${i}`, email: `p${i}-${unique()}@example.it` }),
      );
    }
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 429]);
    expect(results[3]!.body).toMatchObject({ code: "rate_limited" });
    const counts = await organizer.get(`/api/events/${event.slug}/registrations/counts`);
    expect(counts.body).toMatchObject({ confirmed: 3 });
  });
});
