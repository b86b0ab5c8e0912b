// The public form finds its event by a remembered slug → id and checks the row under the event's
// lock (so a registration storm reads no event row per request). What that must not change: a slug
// that moved to another event registers with that event, and an event taken back to draft refuses
// strangers at once, on both databases.
import { describe, expect, it } from "vitest";
import { testDatabases } from "@convivio/db/testing";
import { eq, registrations } from "@convivio/db";
import { createEvent, register, serverWithOrganizer, unique } from "../test/events.js";

describe.each(testDatabases())(
  "the event of a registration, checked under its lock, on $driver",
  ({ open }) => {
    const setup = serverWithOrganizer(open);
    const person = () => ({ name: "Pia", email: `pia-${unique()}@example.it`, locale: "en" });
    const registrationsOf = async (eventId: string) =>
      setup.database.db.select().from(registrations).where(eq(registrations.eventId, eventId));

    it("a slug given to another event registers with that event, and the renamed one keeps its own", async () => {
      const first = await createEvent(setup.organizer);
      const slug = first.slug;
      expect((await register(setup.server.client(), slug, person())).status).toBe(201);

      const renamed = `${slug}-old`;
      expect((await setup.organizer.patch(`/api/events/${slug}`, { slug: renamed })).status).toBe(200);
      const second = await createEvent(setup.organizer);
      expect((await setup.organizer.patch(`/api/events/${second.slug}`, { slug })).status).toBe(200);

      const atSlug = await register(setup.server.client(), slug, person());
      expect(atSlug.status).toBe(201);
      expect((atSlug.body as { registration: { eventId: string } }).registration.eventId).toBe(second.id);
      const atRenamed = await register(setup.server.client(), renamed, person());
      expect(atRenamed.status).toBe(201);
      expect((atRenamed.body as { registration: { eventId: string } }).registration.eventId).toBe(first.id);
      expect(await registrationsOf(first.id)).toHaveLength(2);
      expect(await registrationsOf(second.id)).toHaveLength(1);
    });

    it("an event taken back to draft refuses a stranger with 404 and writes nothing; its team still registers", async () => {
      const event = await createEvent(setup.organizer);
      expect((await register(setup.server.client(), event.slug, person())).status).toBe(201);
      const draft = await setup.organizer.post(`/api/events/${event.slug}/visibility`, {
        visibility: "draft",
      });
      expect(draft.status).toBe(200);

      const stranger = await register(setup.server.client(), event.slug, person());
      expect(stranger.status).toBe(404);
      expect(await registrationsOf(event.id)).toHaveLength(1);
      // The organizer may see the draft, so may try its form.
      const own = await register(setup.organizer, event.slug, person());
      expect(own.status).toBe(201);
      expect(await registrationsOf(event.id)).toHaveLength(2);
    });

    it("an unknown slug is a 404", async () => {
      const res = await register(setup.server.client(), `no-such-${unique()}`, person());
      expect(res.status).toBe(404);
    });
  },
);
