// Versioned SQL migrations: files `NNNN_name.sql` in packages/db/migrations, applied in order, each
// all or nothing, recorded in schema_migrations with the SHA-256 of the file. A file that was applied
// must never change; write a new one instead.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import type { RawClient, RawConnection } from "./createDb.js";

/** The folder shipped with the package; resolves from both src/ (tests) and dist/ (built). */
export const MIGRATIONS_DIR = new URL("../migrations/", import.meta.url);

/** Key of the advisory lock that serialises migrators across processes ("conv" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x636f6e76;

const FILE_NAME = /^(\d{4}_[a-z0-9_]+)\.sql$/;

// Kept in step with `schemaMigrations` in schema.ts (the integration test compares them).
const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    id text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

export interface Migration {
  id: string;
  checksum: string;
  sql: string;
}

export interface MigrateOptions {
  /** Folder of `NNNN_name.sql` files (default: the package's own migrations). */
  dir?: URL;
}

interface AppliedRow {
  id: string;
  checksum: string;
}

/** Thrown when an applied migration's file no longer matches what was applied. */
export class MigrationChecksumError extends Error {
  constructor(readonly migrationId: string) {
    super(
      `Migration ${migrationId} was changed after it was applied (checksum mismatch). ` +
        "Restore the original file and put the change in a new migration.",
    );
    this.name = "MigrationChecksumError";
  }
}

/** Reads the migration files of `dir`, sorted by id, with their checksums. */
export async function readMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  const seenNumbers = new Set<string>();
  for (const name of names) {
    const id = FILE_NAME.exec(name)?.[1];
    if (!id) throw new Error(`Migration file name ${name} does not match NNNN_name.sql`);
    const number = id.slice(0, 4);
    if (seenNumbers.has(number)) throw new Error(`Two migrations are numbered ${number}`);
    seenNumbers.add(number);
    // Line endings are normalised so a checkout with CRLF does not look like an edited file.
    const sql = (await readFile(new URL(name, dir), "utf8")).replace(/\r\n/g, "\n");
    migrations.push({ id, sql, checksum: createHash("sha256").update(sql).digest("hex") });
  }
  return migrations;
}

/**
 * Applies the migrations not yet recorded, in order, and returns their ids. Safe to run from several
 * processes at once: the whole run holds one transaction-scoped advisory lock, so one process applies
 * everything and the others, once they get the lock, find nothing to do (a lock per migration let
 * two processes take turns, each applying some). Each file runs under a savepoint: a failing one is
 * undone and not recorded, the ones before it are kept, and its error is thrown. Throws
 * MigrationChecksumError if an applied file was edited.
 */
export async function migrate(database: { raw: RawClient }, options: MigrateOptions = {}): Promise<string[]> {
  const migrations = await readMigrations(options.dir);
  let failure: unknown = null;
  const done = await database.raw.transaction(async (conn) => {
    const applied = await lockAndReadApplied(conn, migrations);
    const appliedNow: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.id)) continue;
      await conn.exec("SAVEPOINT convivio_migration");
      try {
        await conn.exec(migration.sql);
        await conn.query("INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)", [
          migration.id,
          migration.checksum,
        ]);
      } catch (error) {
        await conn.exec("ROLLBACK TO SAVEPOINT convivio_migration");
        failure = error;
        break;
      }
      await conn.exec("RELEASE SAVEPOINT convivio_migration");
      appliedNow.push(migration.id);
    }
    return appliedNow;
  });
  if (failure !== null) throw failure;
  return done;
}

/** Ids of migration files not yet applied; reads only, takes no lock (for readiness checks). */
export async function pendingMigrations(
  database: { raw: RawClient },
  options: MigrateOptions = {},
): Promise<string[]> {
  const migrations = await readMigrations(options.dir);
  const applied = await database.raw.transaction(async (conn) => {
    const [table] = await conn.query<{ name: string | null }>(
      "SELECT to_regclass('schema_migrations')::text AS name",
    );
    if (!table?.name) return new Set<string>();
    const rows = await conn.query<AppliedRow>("SELECT id FROM schema_migrations");
    return new Set(rows.map((row) => row.id));
  });
  return migrations.filter((m) => !applied.has(m.id)).map((m) => m.id);
}

async function lockAndReadApplied(conn: RawConnection, migrations: Migration[]): Promise<Set<string>> {
  await conn.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
  await conn.exec(CREATE_MIGRATIONS_TABLE);
  const rows = await conn.query<AppliedRow>("SELECT id, checksum FROM schema_migrations");
  const files = new Map(migrations.map((m) => [m.id, m.checksum]));
  for (const row of rows) {
    // An id with no file here was applied by a newer release; an older process may still run beside it.
    const checksum = files.get(row.id);
    if (checksum !== undefined && checksum !== row.checksum) throw new MigrationChecksumError(row.id);
  }
  return new Set(rows.map((row) => row.id));
}
