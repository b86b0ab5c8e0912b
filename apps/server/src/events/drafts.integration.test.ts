// Issue 3: "Drafts are visible to their organizers only." Facilitators and speakers of a draft get
// what outsiders get (404: the event, its sessions, boards, form and live rooms do not exist for
// them, and it is not in their list), until it is published, unlisted or public.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, events, eventMembers, users } from "@convivio/db";
import type { MyEventsResponse } from "@convivio/protocol";
import { startTestServer, type TestServer } from "../test/harness.js";
import { createSessionWorld, restAs, type SessionWorld } from "../test/sessions.js";
import { unique } from "../test/events.js";

describe("draft events", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { AUTH_RATE_LIMIT: "1000" } });
  });
  afterAll(() => server.close());

  /** A draft with its whole team, and a second organizer (a co-organizer). */
  async function draftWorld() {
    const w = await createSessionWorld(
      { db: server.database.db, auth: server.auth },
      { visibility: "draft" },
    );
    const [user] = await server.database.db
      .insert(users)
      .values({ email: `co-${unique()}@example.it`, name: "Cora Co-organizer" })
      .returning({ id: users.id });
    await server.database.db
      .insert(eventMembers)
      .values({ eventId: w.eventId, userId: user!.id, role: "organizer" });
    const session = await server.auth.createSession(user!.id);
    const coOrganizer = { userId: user!.id, name: "Cora", cookie: `convivio_session=${session.token}` };
    return { ...w, coOrganizer };
  }

  const pages = (w: SessionWorld) => [
    `/api/events/${w.slug}`,
    `/api/events/${w.slug}/sessions/${w.sessionId}`,
    `/api/events/${w.slug}/boards`,
    `/api/events/${w.slug}/sessions/${w.sessionId}/boards`,
    `/api/events/${w.slug}/registration`,
    `/api/events/${w.slug}/live`,
    `/api/sessions/${w.sessionId}/live`,
  ];
  const listed = async (w: SessionWorld, person: SessionWorld["organizer"]) =>
    ((await restAs(server.url, person).get("/api/me/events")).body as MyEventsResponse).events.some(
      (e) => e.slug === w.slug,
    );

  it("shows a draft to its organizers and co-organizers only", async () => {
    const w = await draftWorld();
    for (const person of [w.organizer, w.coOrganizer]) {
      for (const path of pages(w)) {
        expect((await restAs(server.url, person).get(path)).status, `${person.name} ${path}`).toBe(200);
      }
      expect(await listed(w, person)).toBe(true);
    }
    for (const person of [w.facilitator, w.speaker, w.attendees[0]!, w.outsider]) {
      const client = restAs(server.url, person);
      for (const path of pages(w)) {
        expect((await client.get(path)).status, `${person.name} ${path}`).toBe(404);
      }
      expect(await listed(w, person)).toBe(false);
    }
    // Facilitating a draft's session is refused as if it did not exist, and changes nothing.
    const facilitator = restAs(server.url, w.facilitator);
    const board = await facilitator.post(`/api/events/${w.slug}/sessions/${w.sessionId}/boards`, {
      title: "Idee",
    });
    expect(board.status).toBe(404);
    expect((await facilitator.post(`/api/sessions/${w.sessionId}/start`)).status).toBe(404);
    const boards = await restAs(server.url, w.organizer).get(`/api/events/${w.slug}/boards`);
    expect(boards.body).toEqual({ boards: [] });
  });

  it.each(["unlisted", "public"] as const)(
    "lets facilitators and speakers in once the event is %s",
    async (visibility) => {
      const w = await draftWorld();
      await server.database.db.update(events).set({ visibility }).where(eq(events.id, w.eventId));
      for (const person of [w.facilitator, w.speaker]) {
        for (const path of pages(w)) {
          expect((await restAs(server.url, person).get(path)).status, `${person.name} ${path}`).toBe(200);
        }
        expect(await listed(w, person)).toBe(true);
      }
      const board = await restAs(server.url, w.facilitator).post(
        `/api/events/${w.slug}/sessions/${w.sessionId}/boards`,
        { title: "Idee" },
      );
      expect(board.status).toBe(201);
    },
  );
});
