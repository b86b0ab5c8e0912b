export { createDb, DEFAULT_PGLITE_DIR } from "./createDb.js";
export type {
  CreateDbOptions,
  Database,
  Db,
  DbQueryResultHKT,
  ExecuteResult,
  Driver,
  RawClient,
  RawConnection,
  Tx,
} from "./createDb.js";
export {
  migrate,
  pendingMigrations,
  readMigrations,
  MigrationChecksumError,
  MIGRATIONS_DIR,
  MIGRATION_LOCK_KEY,
} from "./migrate.js";
export type { Migration, MigrateOptions } from "./migrate.js";
export { isUniqueViolation } from "./errors.js";

export * as schema from "./schema.js";
export * from "./schema.js";

// Re-exported so apps write queries without a drizzle-orm dependency of their own.
export {
  eq,
  and,
  or,
  not,
  sql,
  desc,
  asc,
  inArray,
  isNull,
  isNotNull,
  gt,
  lt,
  gte,
  lte,
  ne,
  count,
} from "drizzle-orm";
export type { AnyColumn, SQL, InferSelectModel, InferInsertModel } from "drizzle-orm";
