// Who may host a table is decided, for many people at once, by `boardRoleFrom` on standings read in one
// statement (hosts.ts): a contract test holds it to the answers of `boardRoleIn` (boards/access.ts),
// the rule for one person, for every mix of event roles and registration, on every visibility, on
// both databases.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventMembers, events, registrations, users, type Db } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { EVENT_ROLES, type EventRole } from "@convivio/protocol";
import { boardRoleIn } from "../boards/access.js";
import { standingsIn } from "./hosts.js";
import { boardRoleFrom } from "../boards/access.js";

const VISIBILITIES = ["draft", "unlisted", "public"] as const;
const REGISTRATIONS = [null, "confirmed", "cancelled", "waitlisted"] as const;
/** Every set of event roles: 16 of them. */
const ROLE_SETS: EventRole[][] = Array.from({ length: 2 ** EVENT_ROLES.length }, (_, mask) =>
  EVENT_ROLES.filter((_, i) => mask & (2 ** i)),
);

describe.each(testDatabases())("table hosts' rule on $driver", ({ open }) => {
  let database: TestDatabase;
  let db: Db;
  /** One person per mix of roles and registration, and each event's id by visibility. */
  const people: { id: string; roles: EventRole[]; registration: (typeof REGISTRATIONS)[number] }[] = [];
  const eventIds = new Map<(typeof VISIBILITIES)[number], string>();

  beforeAll(async () => {
    database = await open();
    db = database.db;
    for (const roles of ROLE_SETS)
      for (const registration of REGISTRATIONS) {
        const [user] = await db
          .insert(users)
          .values({ email: `host-${randomUUID()}@example.it`, name: `${roles.join("+")} ${registration}` })
          .returning({ id: users.id });
        people.push({ id: user!.id, roles, registration });
      }
    const now = Date.now();
    for (const visibility of VISIBILITIES) {
      const [event] = await db
        .insert(events)
        .values({
          slug: `hosts-${visibility}-${randomUUID()}`,
          title: "Hosts",
          timeZone: "Europe/Rome",
          startsAt: new Date(now),
          endsAt: new Date(now + 3_600_000),
          visibility,
        })
        .returning({ id: events.id });
      eventIds.set(visibility, event!.id);
      const members = people.flatMap((p) =>
        p.roles.map((role) => ({ eventId: event!.id, userId: p.id, role })),
      );
      await db.insert(eventMembers).values(members);
      const registered = people.filter((p) => p.registration !== null);
      await db.insert(registrations).values(
        registered.map((p, i) => ({
          eventId: event!.id,
          userId: p.id,
          email: `${p.id}@example.it`,
          name: "Host",
          status: p.registration!,
          arrival: i + 1,
          waitlistOrder: p.registration === "waitlisted" ? i + 1 : null,
        })),
      );
    }
  }, 120_000);
  afterAll(() => database.close());

  it.each(VISIBILITIES)(
    "boardRoleFrom on a standing answers as boardRoleIn for everyone, on a %s event",
    async (visibility) => {
      const event = { id: eventIds.get(visibility)!, visibility };
      const standings = await standingsIn(db, event.id);
      for (const person of people) {
        const standing = standings.get(person.id) ?? { roles: [], registered: false };
        expect(boardRoleFrom(standing, visibility), person.roles.join("+") + ` ${person.registration}`).toBe(
          await boardRoleIn(db, event, person.id),
        );
      }
      // Somebody the event does not know has no standing, and so no role.
      expect(standings.has(randomUUID())).toBe(false);
    },
  );

  it("standingsIn reads only the people asked for, with their roles and confirmed registration", async () => {
    const eventId = eventIds.get("public")!;
    const organizerRegistered = people.find(
      (p) => p.roles.join() === "organizer,attendee" && p.registration === "confirmed",
    )!;
    const cancelledOnly = people.find((p) => p.roles.length === 0 && p.registration === "cancelled")!;
    const standings = await standingsIn(db, eventId, [organizerRegistered.id, cancelledOnly.id]);
    expect([...standings.keys()]).toEqual([organizerRegistered.id]);
    expect(standings.get(organizerRegistered.id)).toMatchObject({ registered: true });
    expect(new Set(standings.get(organizerRegistered.id)!.roles)).toEqual(new Set(["organizer", "attendee"]));
  });
});
