// Databases for tests (`@convivio/db/testing`): each call opens a fresh, private database, so test
// files running in parallel never see each other's rows. Typical use:
//
//   describe.each(testDatabases())("registrations on $driver", ({ open }) => {
//     let database: Database;
//     beforeEach(async () => { database = await open(); });
//     afterEach(() => database.close());
//     ...
//   });
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { createDb, wrapPglite } from "./createDb.js";
import type { Database, Driver } from "./createDb.js";

export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabaseFactory {
  driver: Driver;
  /** Opens an empty database, migrated unless `migrate: false`; its close() discards it. */
  open(options?: { migrate?: boolean }): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** Connection string of the throwaway PostgreSQL database; undefined for PGlite. */
  url: string | undefined;
}

/** One factory per driver: PGlite in memory, and PostgreSQL at TEST_DATABASE_URL (a new database per call). */
export function testDatabases(): TestDatabaseFactory[] {
  return [
    { driver: "pglite", open: openPgliteTestDatabase },
    { driver: "postgres", open: openPostgresTestDatabase },
  ];
}

// Starting PGlite runs initdb and migrating takes a while more, so each test process builds one
// snapshot per kind and every open() loads a private in-memory copy of it.
const pgliteSnapshots = new Map<"empty" | "migrated", Promise<Blob>>();

function pgliteSnapshot(kind: "empty" | "migrated"): Promise<Blob> {
  let snapshot = pgliteSnapshots.get(kind);
  if (!snapshot) {
    snapshot = (async () => {
      const client = await PGlite.create();
      try {
        if (kind === "migrated") await wrapPglite(client).migrate();
        return await client.dumpDataDir("none");
      } finally {
        await client.close();
      }
    })();
    snapshot.catch(() => pgliteSnapshots.delete(kind));
    pgliteSnapshots.set(kind, snapshot);
  }
  return snapshot;
}

async function openPgliteTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const loadDataDir = await pgliteSnapshot((options.migrate ?? true) ? "migrated" : "empty");
  return { ...wrapPglite(await PGlite.create({ loadDataDir })), url: undefined };
}

async function openPostgresTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  const name = `convivio_test_${randomBytes(6).toString("hex")}`;
  await runAdmin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await createDb({ url: url.toString(), poolSize: 20 });
  let dropping: Promise<void> | undefined;
  return migrated(
    {
      ...database,
      url: url.toString(),
      close() {
        dropping ??= database
          .close()
          // FORCE (PostgreSQL 13+) also ends connections a failed test may have left open.
          .then(() => runAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        return dropping;
      },
    },
    options,
  );
}

async function migrated(database: TestDatabase, options: { migrate?: boolean }): Promise<TestDatabase> {
  if (options.migrate ?? true) {
    try {
      await database.migrate();
    } catch (err) {
      await database.close();
      throw err;
    }
  }
  return database;
}

async function runAdmin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
