import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { MigrationChecksumError, migrate, pendingMigrations, readMigrations } from "./migrate.js";
import { testDatabases } from "./testing.js";
import type { TestDatabase } from "./testing.js";

describe.each(testDatabases())("migrations on $driver", ({ open }) => {
  let database: TestDatabase;
  let dir: string;

  beforeEach(async () => {
    database = await open({ migrate: false });
    dir = await mkdtemp(join(tmpdir(), "convivio-migrations-"));
  });
  afterEach(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });

  const dirUrl = () => pathToFileURL(`${dir}/`);
  const tableExists = async (name: string) => {
    const [row] = await database.raw.transaction((conn) =>
      conn.query<{ name: string | null }>("SELECT to_regclass($1)::text AS name", [name]),
    );
    return row?.name !== null && row?.name !== undefined;
  };
  const appliedRows = () =>
    database.raw.transaction((conn) =>
      conn.query<{ id: string; checksum: string }>("SELECT id, checksum FROM schema_migrations ORDER BY id"),
    );

  test("apply from empty, record id and checksum, and do nothing on a second run", async () => {
    const files = await readMigrations();
    expect(files.map((m) => m.id)).toContain("0001_foundation");
    expect(await database.pending()).toEqual(files.map((m) => m.id));

    expect(await database.migrate()).toEqual(files.map((m) => m.id));
    expect(await database.pending()).toEqual([]);
    expect(await appliedRows()).toEqual(files.map((m) => ({ id: m.id, checksum: m.checksum })));
    expect(files[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(await tableExists("users")).toBe(true);

    expect(await database.migrate()).toEqual([]);
    expect(await appliedRows()).toHaveLength(files.length);
  });

  test("concurrent migrate() calls apply each migration exactly once", async () => {
    const files = await readMigrations();
    // On PostgreSQL these run on separate pooled connections; only the advisory lock keeps them apart.
    const results = await Promise.all([1, 2, 3, 4].map(() => migrate(database)));
    expect(results.flat().sort()).toEqual(files.map((m) => m.id));
    expect(results.filter((applied) => applied.length > 0)).toHaveLength(1);
    expect(await appliedRows()).toHaveLength(files.length);
  });

  test("files apply in numeric order and pending lists only the new ones", async () => {
    // 0002 depends on 0001, so running them out of order would fail.
    await writeFile(join(dir, "0002_add_column.sql"), "ALTER TABLE t_first ADD COLUMN y int;\n");
    await writeFile(
      join(dir, "0001_first.sql"),
      "CREATE TABLE t_first (x int);\nCREATE INDEX ON t_first (x);\n",
    );
    expect(await pendingMigrations(database, { dir: dirUrl() })).toEqual(["0001_first", "0002_add_column"]);
    expect(await migrate(database, { dir: dirUrl() })).toEqual(["0001_first", "0002_add_column"]);

    await writeFile(join(dir, "0003_second.sql"), "CREATE TABLE t_second (x int);\n");
    expect(await pendingMigrations(database, { dir: dirUrl() })).toEqual(["0003_second"]);
    expect(await migrate(database, { dir: dirUrl() })).toEqual(["0003_second"]);
    expect(await tableExists("t_second")).toBe(true);
  });

  test("refuse to run when an applied migration's file changed", async () => {
    await writeFile(join(dir, "0001_first.sql"), "CREATE TABLE t_first (x int);\n");
    await migrate(database, { dir: dirUrl() });

    await writeFile(join(dir, "0001_first.sql"), "CREATE TABLE t_first (x bigint);\n");
    await writeFile(join(dir, "0002_second.sql"), "CREATE TABLE t_second (x int);\n");
    const attempt = migrate(database, { dir: dirUrl() });
    await expect(attempt).rejects.toThrow(MigrationChecksumError);
    await expect(attempt).rejects.toThrow(/0001_first/);
    expect(await tableExists("t_second")).toBe(false);
  });

  test("CRLF line endings do not count as a change", async () => {
    await writeFile(join(dir, "0001_first.sql"), "CREATE TABLE t_first (x int);\nSELECT 1;\n");
    await migrate(database, { dir: dirUrl() });
    await writeFile(join(dir, "0001_first.sql"), "CREATE TABLE t_first (x int);\r\nSELECT 1;\r\n");
    expect(await migrate(database, { dir: dirUrl() })).toEqual([]);
  });

  test("a failing migration is rolled back whole and not recorded", async () => {
    await writeFile(join(dir, "0001_first.sql"), "CREATE TABLE t_first (x int);\n");
    await writeFile(join(dir, "0002_broken.sql"), "CREATE TABLE t_broken (x int);\nSELECT 1 / 0;\n");
    await expect(migrate(database, { dir: dirUrl() })).rejects.toThrow(/division by zero/);

    expect((await appliedRows()).map((row) => row.id)).toEqual(["0001_first"]);
    expect(await tableExists("t_first")).toBe(true);
    expect(await tableExists("t_broken")).toBe(false);
    expect(await pendingMigrations(database, { dir: dirUrl() })).toEqual(["0002_broken"]);
  });

  test("reject badly named or duplicate-numbered files", async () => {
    await writeFile(join(dir, "1_first.sql"), "SELECT 1;\n");
    await expect(migrate(database, { dir: dirUrl() })).rejects.toThrow(/NNNN_name\.sql/);
    await rm(join(dir, "1_first.sql"));

    await writeFile(join(dir, "0001_a.sql"), "SELECT 1;\n");
    await writeFile(join(dir, "0001_b.sql"), "SELECT 1;\n");
    await expect(migrate(database, { dir: dirUrl() })).rejects.toThrow(/numbered 0001/);
  });
});
