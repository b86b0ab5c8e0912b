// Looking an event up by slug: lookups that arrive while one is being read share it (a rush of
// registrations reads the event once per round trip), on both databases; later lookups, and
// lookups inside a transaction, read afresh.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, events, type Database, type Db } from "@convivio/db";
import { testDatabases } from "@convivio/db/testing";
import { HttpError } from "../http/problem.js";
import { findEventBySlug } from "./permissions.js";

/** The database handle, counting the selects started through it. */
function counting(db: Db): { db: Db; selects: () => number } {
  let selects = 0;
  const proxy = new Proxy(db, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === "select" && typeof value === "function") {
        return (...args: unknown[]) => {
          selects++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value;
    },
  });
  return { db: proxy, selects: () => selects };
}

describe.each(testDatabases())("events by slug on $driver", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await database.db.insert(events).values({
      slug: "shared-read",
      title: "Before",
      timeZone: "Europe/Rome",
      startsAt: new Date("2027-03-01T09:00:00Z"),
      endsAt: new Date("2027-03-01T12:00:00Z"),
    });
  });
  afterAll(() => database.close());

  it("lookups in flight together share one read; the next one reads again and sees a change", async () => {
    const { db, selects } = counting(database.db);
    const found = await Promise.all(Array.from({ length: 50 }, () => findEventBySlug(db, "shared-read")));
    expect(selects()).toBe(1);
    expect(new Set(found).size).toBe(1);
    expect(found[0]!.title).toBe("Before");
    // Whoever holds the shared row cannot change it under the others.
    expect(Object.isFrozen(found[0])).toBe(true);

    await database.db.update(events).set({ title: "After" }).where(eq(events.slug, "shared-read"));
    expect((await findEventBySlug(db, "shared-read")).title).toBe("After");
    expect(selects()).toBe(2);
  });

  it("an unknown slug is a 404 for every lookup sharing the read", async () => {
    const { db, selects } = counting(database.db);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => findEventBySlug(db, "no-such-event")),
    );
    expect(selects()).toBe(1);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(HttpError);
    }
  });

  it("a transaction's lookup is its own: it sees the transaction's writes", async () => {
    await database.db
      .transaction(async (tx) => {
        await tx.update(events).set({ title: "Inside" }).where(eq(events.slug, "shared-read"));
        const [inside, outside] = await Promise.all([
          findEventBySlug(tx, "shared-read"),
          database.driver === "pglite" ? undefined : findEventBySlug(database.db, "shared-read"),
        ]);
        expect(inside.title).toBe("Inside");
        if (outside) expect(outside.title).toBe("After");
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Error) || !/rollback/i.test(err.message)) throw err;
      });
  });
});
