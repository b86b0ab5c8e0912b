import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agendaSessions,
  communities,
  communityMembers,
  count,
  eq,
  eventMembers,
  events,
  libraryItemVersions,
  libraryItems,
  spaces,
  users,
} from "@convivio/db";
import { seedLibraryDemo } from "../library/demoSeed.js";
import { startTestServer, type TestServer } from "../test/harness.js";
import { DEMO_EVENT_SLUG, seedDemo } from "./seed.js";

describe("the demo seed", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const counts = async () => {
    const db = server.database.db;
    const [[u], [e], [s], [a], [m]] = await Promise.all([
      db.select({ n: count() }).from(users),
      db.select({ n: count() }).from(events),
      db.select({ n: count() }).from(spaces),
      db.select({ n: count() }).from(agendaSessions),
      db.select({ n: count() }).from(eventMembers),
    ]);
    return { users: u!.n, events: e!.n, spaces: s!.n, sessions: a!.n, members: m!.n };
  };

  it("seeds a two-day event with two spaces, a plenary and workshops, and running it twice duplicates nothing", async () => {
    const first = await seedDemo(server.database.db, server.auth);
    const after = await counts();
    expect(after).toEqual({ users: 3, events: 1, spaces: 2, sessions: 4, members: 3 });
    const second = await seedDemo(server.database.db, server.auth);
    expect(await counts()).toEqual(after);
    expect(second.people.map((p) => p.url)).not.toEqual(first.people.map((p) => p.url));

    const event = (await server.client().get(`/api/events/${DEMO_EVENT_SLUG}`)).body as {
      sessions: { kind: string; startsAt: string }[];
      spaces: unknown[];
    };
    expect(event.spaces).toHaveLength(2);
    expect(new Set(event.sessions.map((s) => s.kind))).toEqual(new Set(["plenary", "workshop"]));
    expect(new Set(event.sessions.map((s) => s.startsAt.slice(0, 10))).size).toBe(2);

    // Registration is open, with a consent text and workshops that take their own seats.
    const form = (await server.client().get(`/api/events/${DEMO_EVENT_SLUG}/registration`)).body;
    expect(form).toMatchObject({ state: "open", capacity: 80, consent: { version: "demo-1" } });
    expect((form as { sessions: unknown[] }).sessions).toHaveLength(2);
  });

  it("`npm start -- --demo` twice (the event, then the library's communities and items) duplicates nothing", async () => {
    const db = server.database.db;
    const libraryCounts = async () => {
      const [[c], [m], [i], [v]] = await Promise.all([
        db.select({ n: count() }).from(communities),
        db.select({ n: count() }).from(communityMembers),
        db.select({ n: count() }).from(libraryItems),
        db.select({ n: count() }).from(libraryItemVersions),
      ]);
      return { communities: c!.n, communityMembers: m!.n, items: i!.n, itemVersions: v!.n };
    };
    // As main.ts does with --demo.
    const seedAll = async () => {
      const links = await seedDemo(db, server.auth);
      links.people.push(...(await seedLibraryDemo(db, server.auth, links.eventSlug)));
      return links;
    };
    const first = await seedAll();
    const after = { ...(await counts()), ...(await libraryCounts()) };
    // Three people of the event, three library editors; Italia, Lazio, Lombardia, Roma, Milano and
    // the community of practice; a national admin of four, one admin each for Roma and Milano, the
    // facilitator as an editor of the practice; an act and a practice, one version each.
    expect(after).toEqual({
      users: 6,
      events: 1,
      spaces: 2,
      sessions: 4,
      members: 3,
      communities: 6,
      communityMembers: 7,
      items: 2,
      itemVersions: 2,
    });
    const second = await seedAll();
    expect({ ...(await counts()), ...(await libraryCounts()) }).toEqual(after);
    expect(second.people.map((p) => p.label)).toEqual(first.people.map((p) => p.label));
    expect(second.people.map((p) => p.label)).toEqual([
      "organizer",
      "facilitator",
      "attendee",
      "national",
      "roma",
      "milano",
    ]);
    // The demo event still belongs to the community of practice.
    const [event] = await db
      .select({ communityId: events.communityId })
      .from(events)
      .where(eq(events.slug, DEMO_EVENT_SLUG));
    const [practice] = await db
      .select({ id: communities.id })
      .from(communities)
      .where(eq(communities.slug, "tecnologie-partecipazione"));
    expect(event!.communityId).toBe(practice!.id);
  });

  it("prints sign-in links that work for the organizer, the facilitator and the attendee", async () => {
    const { people } = await seedDemo(server.database.db, server.auth);
    expect(people.map((p) => p.label)).toEqual(["organizer", "facilitator", "attendee"]);
    for (const person of people) {
      const browser = server.client();
      const token = new URL(person.url).searchParams.get("token");
      expect((await browser.post("/api/auth/magic-link/consume", { token })).status).toBe(200);
      const mine = (await browser.get("/api/me/events")).body as {
        events: { slug: string; roles: string[] }[];
      };
      expect(mine.events).toEqual([
        expect.objectContaining({ slug: DEMO_EVENT_SLUG, roles: [person.label] }),
      ]);
    }
  });
});
