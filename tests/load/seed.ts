// Test data for the load runs, written straight into the database before the server starts (PGlite
// cannot be opened by two processes, and thousands of sign-ups through the API would measure
// argon2, not the board): people with a signed-in session cookie or an unused sign-in link, one
// public event they attend, and one session in it.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import {
  agendaSessions,
  authSessions,
  createDb,
  eventMembers,
  events,
  oneTimeTokens,
  users,
  type Database,
} from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";

const HOUR_MS = 3_600_000;
const CHUNK = 500;

export interface Person {
  userId: string;
  email: string;
  /** `convivio_session=…`, when seeded signed in. */
  cookie: string;
  /** An unused magic-link token, when seeded signed out. */
  magicToken: string;
}

export interface Seeded {
  organizer: Person;
  participants: Person[];
  event: { id: string; slug: string };
  sessionId: string;
}

export type Driver = "postgres" | "pglite";

/** Where the server under test keeps its data: a fresh PostgreSQL database, or a PGlite folder. */
export interface DataTarget {
  driver: Driver;
  /** PostgreSQL connection string (postgres). */
  url: string | undefined;
  /** DATA_DIR of the server (pglite: the database is `<dataDir>/pglite`). */
  dataDir: string;
  /** The PostgreSQL database's name (its backends' CPU is sampled), undefined for PGlite. */
  databaseName: string | undefined;
  /** Drops the PostgreSQL database (nothing for PGlite: the caller removes the folder). */
  drop(): Promise<void>;
}

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");
const newToken = () => randomBytes(32).toString("base64url");

/** A fresh, empty PostgreSQL database (at TEST_DATABASE_URL's server) or a PGlite folder. */
export async function freshTarget(driver: Driver, dataDir: string): Promise<DataTarget> {
  if (driver === "pglite")
    return { driver, url: undefined, databaseName: undefined, dataDir, drop: async () => undefined };
  const factory = testDatabases().find((f) => f.driver === "postgres")!;
  const database: TestDatabase = await factory.open({ migrate: false });
  // Its pool stays idle while the server runs; close() also drops the database.
  const url = database.url!;
  return {
    driver,
    url,
    databaseName: new URL(url).pathname.slice(1),
    dataDir,
    drop: () => database.close(),
  };
}

export async function openTarget(target: DataTarget, poolSize = 10): Promise<Database> {
  return target.url
    ? createDb({ url: target.url, poolSize })
    : createDb({ dataDir: join(target.dataDir, "pglite") });
}

function person(userId: string, email: string, cookieToken: string, magicToken: string): Person {
  return { userId, email, cookie: cookieToken ? `convivio_session=${cookieToken}` : "", magicToken };
}

/**
 * Migrates and seeds: an organizer (signed in) and `participants` attendees, signed in (a session
 * cookie) or, with `signedOut`, each holding an unused sign-in link instead.
 */
export async function seed(
  target: DataTarget,
  options: { participants: number; signedOut?: boolean },
): Promise<Seeded> {
  const database = await openTarget(target);
  try {
    await database.migrate();
    const { db } = database;
    const now = Date.now();
    const run = randomUUID().slice(0, 8);
    const [event] = await db
      .insert(events)
      .values({
        slug: `load-${run}`,
        title: "Load test",
        timeZone: "Europe/Rome",
        startsAt: new Date(now - HOUR_MS),
        endsAt: new Date(now + 8 * HOUR_MS),
        visibility: "public",
      })
      .returning({ id: events.id, slug: events.slug });
    const [session] = await db
      .insert(agendaSessions)
      .values({
        eventId: event!.id,
        title: "Plenary workshop",
        kind: "workshop",
        startsAt: new Date(now - HOUR_MS),
        endsAt: new Date(now + 2 * HOUR_MS),
      })
      .returning({ id: agendaSessions.id });

    const expiresAt = new Date(now + 24 * HOUR_MS);
    const make = async (count: number, role: "organizer" | "attendee", signedOut: boolean) => {
      const people: Person[] = [];
      for (let start = 0; start < count; start += CHUNK) {
        const size = Math.min(CHUNK, count - start);
        const rows = await db
          .insert(users)
          .values(
            Array.from({ length: size }, (_, i) => ({
              email: `${role}-${run}-${start + i}@load.example`,
              name: `${role === "organizer" ? "Organizer" : "Participant"} ${start + i}`,
              locale: "en",
            })),
          )
          .returning({ id: users.id, email: users.email });
        const tokens = rows.map(() => newToken());
        if (signedOut) {
          await db.insert(oneTimeTokens).values(
            rows.map((row, i) => ({
              tokenHash: tokenHash(tokens[i]!),
              purpose: "magic_link" as const,
              userId: row.id,
              expiresAt,
            })),
          );
        } else {
          await db
            .insert(authSessions)
            .values(rows.map((row, i) => ({ tokenHash: tokenHash(tokens[i]!), userId: row.id, expiresAt })));
        }
        await db
          .insert(eventMembers)
          .values(rows.map((row) => ({ eventId: event!.id, userId: row.id, role })));
        rows.forEach((row, i) =>
          people.push(person(row.id, row.email, signedOut ? "" : tokens[i]!, signedOut ? tokens[i]! : "")),
        );
      }
      return people;
    };
    const [organizer] = await make(1, "organizer", false);
    const participants = await make(options.participants, "attendee", options.signedOut ?? false);
    return { organizer: organizer!, participants, event: event!, sessionId: session!.id };
  } finally {
    await database.close();
  }
}
