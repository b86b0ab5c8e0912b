// Contract suite: the same queries behave the same on PGlite and PostgreSQL.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createDb } from "./createDb.js";
import type { Db } from "./createDb.js";
import { isUniqueViolation } from "./errors.js";
import { readMigrations } from "./migrate.js";
import { agendaSessions, count, eq, eventMembers, events, spaces, sql, users } from "./index.js";
import { testDatabases } from "./testing.js";
import type { TestDatabase } from "./testing.js";

async function insertUser(db: Db, email: string) {
  const [user] = await db
    .insert(users)
    .values({ email, name: email.split("@")[0] ?? email })
    .returning();
  if (!user) throw new Error("insert returned no row");
  return user;
}

async function insertEvent(db: Db, slug: string) {
  const [event] = await db
    .insert(events)
    .values({
      slug,
      title: `Event ${slug}`,
      timeZone: "Europe/Rome",
      startsAt: new Date("2026-03-01T09:00:00Z"),
      endsAt: new Date("2026-03-01T18:00:00Z"),
    })
    .returning();
  if (!event) throw new Error("insert returned no row");
  return event;
}

describe.each(testDatabases())("database contract on $driver", ({ driver, open }) => {
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    database = await open();
    db = database.db;
  });
  afterEach(() => database.close());

  test("reports its driver and answers ping", async () => {
    expect(database.driver).toBe(driver);
    await expect(database.ping()).resolves.toBeUndefined();
  });

  test("inserts users with defaults and reads them back", async () => {
    const created = await insertUser(db, "ada@example.it");
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.locale).toBe("it");
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(created.passwordHash).toBeNull();

    const found = await db.select().from(users).where(eq(users.email, "ada@example.it"));
    expect(found).toEqual([created]);
  });

  test("email is unique regardless of case, and the violation is recognised", async () => {
    await insertUser(db, "a@x.it");
    const error = await insertUser(db, "A@x.it").then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeDefined();
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, "users_email_key")).toBe(true);
    expect(isUniqueViolation(error, "events_slug_unique")).toBe(false);
    expect(await db.select({ n: count() }).from(users)).toEqual([{ n: 1 }]);
  });

  test("jsonb columns and their defaults round-trip", async () => {
    const event = await insertEvent(db, "jsonb");
    expect(event.languages).toEqual(["it"]);
    expect(event.visibility).toBe("draft");
    const [updated] = await db
      .update(events)
      .set({ languages: ["it", "en"] })
      .where(eq(events.id, event.id))
      .returning();
    expect(updated?.languages).toEqual(["it", "en"]);
    expect(updated?.startsAt.toISOString()).toBe("2026-03-01T09:00:00.000Z");
  });

  test("deleting an event deletes its spaces, sessions and members, not the people", async () => {
    const user = await insertUser(db, "org@example.it");
    const event = await insertEvent(db, "cascade");
    const other = await insertEvent(db, "kept");
    const [space] = await db.insert(spaces).values({ eventId: event.id, name: "Main hall" }).returning();
    await db.insert(spaces).values({ eventId: other.id, name: "Main hall" });
    await db.insert(agendaSessions).values({
      eventId: event.id,
      spaceId: space?.id,
      title: "Opening",
      kind: "plenary",
      startsAt: event.startsAt,
      endsAt: event.endsAt,
    });
    await db.insert(eventMembers).values([
      { eventId: event.id, userId: user.id, role: "organizer" },
      { eventId: other.id, userId: user.id, role: "attendee" },
    ]);

    await db.delete(events).where(eq(events.id, event.id));

    expect(await db.select().from(spaces).where(eq(spaces.eventId, event.id))).toEqual([]);
    expect(await db.select().from(agendaSessions)).toEqual([]);
    expect(await db.select().from(eventMembers)).toEqual([
      expect.objectContaining({ eventId: other.id, role: "attendee" }),
    ]);
    expect(await db.select({ n: count() }).from(spaces)).toEqual([{ n: 1 }]);
    expect(await db.select({ id: users.id }).from(users)).toEqual([{ id: user.id }]);
  });

  test("a rolled-back transaction leaves nothing behind", async () => {
    const failure = new Error("abort on purpose");
    await expect(
      db.transaction(async (tx) => {
        const event = await insertEvent(tx, "rolled-back");
        await tx.insert(spaces).values({ eventId: event.id, name: "Room" });
        await insertUser(tx, "ghost@example.it");
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(await db.select({ n: count() }).from(events)).toEqual([{ n: 0 }]);
    expect(await db.select({ n: count() }).from(spaces)).toEqual([{ n: 0 }]);
    expect(await db.select({ n: count() }).from(users)).toEqual([{ n: 0 }]);
  });

  test("tx.rollback() and a failed nested transaction undo only their own work", async () => {
    await db.transaction(async (tx) => {
      await insertUser(tx, "kept@example.it");
      await tx
        .transaction(async (inner) => {
          await insertUser(inner, "dropped@example.it");
          inner.rollback();
        })
        .catch(() => undefined);
    });
    const emails = await db.select({ email: users.email }).from(users);
    expect(emails).toEqual([{ email: "kept@example.it" }]);
  });

  test("50 concurrent read-modify-write transactions with FOR UPDATE lose no update", async () => {
    const event = await insertEvent(db, "counter");
    const [counter] = await db.insert(spaces).values({ eventId: event.id, name: "counter" }).returning();
    if (!counter) throw new Error("insert returned no row");

    const increments = Array.from({ length: 50 }, () =>
      db.transaction(async (tx) => {
        const [row] = await tx
          .select({ position: spaces.position })
          .from(spaces)
          .where(eq(spaces.id, counter.id))
          .for("update");
        // Yield between read and write so that, without the lock, another increment would interleave.
        await new Promise((resolve) => setTimeout(resolve, 1));
        await tx
          .update(spaces)
          .set({ position: (row?.position ?? 0) + 1 })
          .where(eq(spaces.id, counter.id));
      }),
    );
    await Promise.all(increments);

    const [final] = await db
      .select({ position: spaces.position })
      .from(spaces)
      .where(eq(spaces.id, counter.id));
    expect(final?.position).toBe(50);
  });

  test("raw sql through execute() returns rows on both drivers", async () => {
    await insertUser(db, "raw@example.it");
    const result = await db.execute<{ email: string }>(sql`SELECT ${users.email} AS email FROM ${users}`);
    expect(result.rows).toEqual([{ email: "raw@example.it" }]);
  });

  test("close() can be called twice", async () => {
    await database.close();
    await expect(database.close()).resolves.toBeUndefined();
  });
});

describe("PGlite on disk", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "convivio-pglite-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test("keeps data and applied migrations across close and reopen", async () => {
    const dataDir = join(dir, "nested", "pglite");
    const first = await createDb({ dataDir });
    expect(first.driver).toBe("pglite");
    const ids = (await readMigrations()).map((m) => m.id);
    expect(await first.migrate()).toEqual(ids);
    await insertUser(first.db, "persisted@example.it");
    await first.close();

    const second = await createDb({ dataDir });
    try {
      expect(await second.pending()).toEqual([]);
      expect(await second.migrate()).toEqual([]);
      const rows = await second.db.select({ email: users.email }).from(users);
      expect(rows).toEqual([{ email: "persisted@example.it" }]);
    } finally {
      await second.close();
    }
  });
});

describe("PostgreSQL pool at start-up", () => {
  test("warm() opens every connection of the pool at once, and they stay open while idle", async () => {
    const factory = testDatabases().find((f) => f.driver === "postgres")!;
    const target = await factory.open();
    const pool = await createDb({ url: target.url!, poolSize: 4 });
    const backends = async () => {
      const rows = (await target.db.execute(
        sql`select count(*)::int as n from pg_stat_activity where datname = current_database()`,
      )) as unknown as { rows: { n: number }[] };
      return rows.rows[0]!.n;
    };
    try {
      const before = await backends();
      await pool.warm();
      expect((await backends()) - before).toBe(4);
      // pg's default closes idle connections after 10 s; the pool keeps them for minutes.
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      expect((await backends()) - before).toBe(4);
    } finally {
      await pool.close();
      await target.close();
    }
  }, 30_000);
});
