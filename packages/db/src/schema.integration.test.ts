// The hand-written migrations must build exactly what schema.ts declares: this test reads both the
// Drizzle tables and the database catalog after migrating, and compares them.
import { is, SQL } from "drizzle-orm";
import { getTableConfig, PgDialect, PgTable } from "drizzle-orm/pg-core";
import type { PgColumn } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as schema from "./schema.js";
import { testDatabases } from "./testing.js";
import type { TestDatabase } from "./testing.js";

interface TableShape {
  columns: Record<string, string>;
  constraints: Record<string, string>;
  indexes: Record<string, string>;
}

const dialect = new PgDialect();

function expectedDefault(column: PgColumn): string | null {
  const value: unknown = column.default;
  if (!column.hasDefault || value === undefined) return null;
  if (is(value, SQL)) return dialect.sqlToQuery(value).sql;
  if (typeof value === "string") return `'${value.replace(/'/g, "''")}'::text`;
  if (typeof value === "number") return String(value);
  return `'${JSON.stringify(value)}'::jsonb`;
}

function describeColumn(type: string, notNull: boolean, defaultValue: string | null): string {
  return `${type}${notNull ? " not null" : ""}${defaultValue === null ? "" : ` default ${defaultValue}`}`;
}

function declaredShapes(): Record<string, TableShape> {
  const shapes: Record<string, TableShape> = {};
  for (const value of Object.values(schema)) {
    if (!is(value, PgTable)) continue;
    const config = getTableConfig(value);
    const shape: TableShape = { columns: {}, constraints: {}, indexes: {} };
    for (const column of config.columns) {
      shape.columns[column.name] = describeColumn(
        column.getSQLType(),
        column.notNull,
        expectedDefault(column),
      );
      if (column.primary) shape.constraints[`${config.name}_pkey`] = `PRIMARY KEY (${column.name})`;
      if (column.isUnique && column.uniqueName)
        shape.constraints[column.uniqueName] = `UNIQUE (${column.name})`;
    }
    for (const pk of config.primaryKeys) {
      shape.constraints[pk.getName()] = `PRIMARY KEY (${pk.columns.map((c) => c.name).join(", ")})`;
    }
    for (const fk of config.foreignKeys) {
      const ref = fk.reference();
      const target = getTableConfig(ref.foreignTable).name;
      const onDelete =
        fk.onDelete && fk.onDelete !== "no action" ? ` ON DELETE ${fk.onDelete.toUpperCase()}` : "";
      shape.constraints[fk.getName()] =
        `FOREIGN KEY (${ref.columns.map((c) => c.name).join(", ")}) ` +
        `REFERENCES ${target}(${ref.foreignColumns.map((c) => c.name).join(", ")})${onDelete}`;
    }
    for (const index of config.indexes) {
      shape.indexes[index.config.name ?? "(unnamed)"] = index.config.unique ? "unique" : "index";
    }
    shapes[config.name] = shape;
  }
  return shapes;
}

async function catalogShapes(database: TestDatabase): Promise<Record<string, TableShape>> {
  const { columns, constraints, indexes } = await database.raw.transaction(async (conn) => ({
    columns: await conn.query<{
      table: string;
      name: string;
      type: string;
      nullable: string;
      def: string | null;
    }>(
      `SELECT table_name AS table, column_name AS name, data_type AS type, is_nullable AS nullable,
              column_default AS def
         FROM information_schema.columns WHERE table_schema = current_schema()`,
    ),
    constraints: await conn.query<{ table: string; name: string; def: string }>(
      `SELECT c.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS def
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE c.relnamespace = current_schema()::regnamespace AND k.contype IN ('p', 'u', 'f')`,
    ),
    // Indexes declared on their own, i.e. not the ones backing a primary key or unique constraint.
    indexes: await conn.query<{ table: string; name: string; unique: boolean }>(
      `SELECT c.relname AS table, i.relname AS name, x.indisunique AS unique
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
        WHERE c.relnamespace = current_schema()::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u'))`,
    ),
  }));
  const shapes: Record<string, TableShape> = {};
  const shapeOf = (table: string) => (shapes[table] ??= { columns: {}, constraints: {}, indexes: {} });
  for (const c of columns)
    shapeOf(c.table).columns[c.name] = describeColumn(c.type, c.nullable === "NO", c.def);
  for (const k of constraints) shapeOf(k.table).constraints[k.name] = k.def;
  for (const i of indexes) shapeOf(i.table).indexes[i.name] = i.unique ? "unique" : "index";
  return shapes;
}

describe.each(testDatabases())("migrated schema on $driver", ({ open }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database.close());

  test("matches schema.ts table by table: columns, types, defaults, keys, foreign keys, indexes", async () => {
    const declared = declaredShapes();
    // The declared side must not be empty, or the comparison below would prove nothing.
    expect(Object.keys(declared)).toEqual(
      expect.arrayContaining(["users", "events", "registrations", "boards", "attendance"]),
    );
    expect(await catalogShapes(database)).toEqual(declared);
  });

  test("the unique email index is on lower(email)", async () => {
    const [row] = await database.raw.transaction((conn) =>
      conn.query<{ def: string }>(
        "SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'users_email_key'",
      ),
    );
    expect(row?.def).toMatch(/UNIQUE INDEX users_email_key ON .*users .*\(lower\(email\)\)/);
  });
});
