import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import pg from "pg";
import { migrate, pendingMigrations } from "./migrate.js";
import * as schema from "./schema.js";

/** What `db.execute(sql`...`)` resolves to on both drivers. */
export interface ExecuteResult<Row> {
  rows: Row[];
}

/** Drizzle's result-kind for `Db`: both drivers' results have at least `{ rows }`. */
export interface DbQueryResultHKT extends PgQueryResultHKT {
  readonly type: ExecuteResult<this["row"]>;
}

/** The Drizzle database every caller uses, whichever driver is underneath. */
export type Db = PgDatabase<DbQueryResultHKT, typeof schema>;

/** A Drizzle transaction (the argument of `db.transaction`). A `Tx` is also a `Db`. */
export type Tx = PgTransaction<DbQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;

export type Driver = "pglite" | "postgres";

/** One connection inside a transaction, below Drizzle: used by the migrator for multi-statement scripts. */
export interface RawConnection {
  /** Runs one or more `;`-separated statements without parameters. */
  exec(script: string): Promise<void>;
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
}

/** Opens a transaction on one raw connection; commits when `fn` resolves, rolls back when it throws. */
export interface RawClient {
  transaction<T>(fn: (conn: RawConnection) => Promise<T>): Promise<T>;
}

export interface Database {
  db: Db;
  driver: Driver;
  /** For the migrator; application code uses `db`. */
  raw: RawClient;
  /** Applies pending migrations; returns the ids it applied. */
  migrate(): Promise<string[]>;
  /** Ids of migrations not yet applied (empty when the schema is current). */
  pending(): Promise<string[]>;
  /** Throws unless the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Opens the pool's connections now rather than on the first requests that need them (a burst
   * right after start-up otherwise waits for a dozen connection set-ups at once). PGlite: nothing.
   */
  warm(): Promise<void>;
  /** Releases the connection(s); safe to call twice. */
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** PostgreSQL connection string; without it the embedded PGlite is used. */
  url?: string;
  /** PGlite data folder (default `./.data/pglite`), or `":memory:"`. Ignored with `url`. */
  dataDir?: string;
  /** Maximum PostgreSQL connections in the pool (default 10). Ignored without `url`. */
  poolSize?: number;
}

export const DEFAULT_PGLITE_DIR = "./.data/pglite";
const DEFAULT_POOL_SIZE = 10;
const IDLE_CONNECTION_MS = 5 * 60_000;

/** Opens the database: PGlite (embedded, file-backed or in memory) or a PostgreSQL pool when `url` is set. */
export async function createDb(options: CreateDbOptions = {}): Promise<Database> {
  return options.url
    ? openPostgres(options.url, options.poolSize ?? DEFAULT_POOL_SIZE)
    : openPglite(options.dataDir ?? DEFAULT_PGLITE_DIR);
}

async function openPglite(dataDir: string): Promise<Database> {
  if (dataDir === ":memory:") return wrapPglite(await PGlite.create());
  await mkdir(dataDir, { recursive: true });
  return wrapPglite(await PGlite.create(dataDir));
}

/** Wraps an open PGlite instance (the test helper opens copies of a migrated snapshot this way). */
export function wrapPglite(client: PGlite): Database {
  // PGlite is a single connection. It queues every top-level query and transaction behind one
  // mutex, so concurrent db.transaction() calls run one after another instead of interleaving.
  // Consequence: inside a transaction, use its `tx`; a query on the outer `db` would wait for the
  // transaction that is waiting for it (deadlock), whereas PostgreSQL would use another connection.
  const db: Db = drizzlePglite({ client, schema });
  const raw: RawClient = {
    transaction: (fn) =>
      client.transaction((t) =>
        fn({
          exec: async (script) => {
            await t.exec(script);
          },
          query: async <Row>(text: string, params?: unknown[]) => (await t.query<Row>(text, params)).rows,
        }),
      ),
  };
  return assemble(
    "pglite",
    db,
    raw,
    () => client.close(),
    async () => undefined,
  );
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // Idle connections are kept for minutes, not pg's 10 s: a quiet spell would otherwise close them
  // and the next burst of requests (people arriving at a session) would wait to reopen them all.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: IDLE_CONNECTION_MS });
  let ended = false;
  // An idle client can lose its connection (server restart, network); without a listener the
  // pool's 'error' event would crash the process. The pool replaces the client on next use.
  // After close(), connections still shutting down may be terminated by the server: not news.
  pool.on("error", (err) => {
    if (!ended) console.error("[db] idle PostgreSQL connection failed:", err.message);
  });
  const db: Db = drizzlePostgres({ client: pool, schema });
  const raw: RawClient = {
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await fn({
          // No parameters: pg uses the simple query protocol, which accepts several statements.
          exec: async (script) => {
            await client.query(script);
          },
          query: async <Row>(text: string, params?: unknown[]) =>
            (await client.query(text, params)).rows as Row[],
        });
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw err;
      } finally {
        // A connection that could not roll back is destroyed rather than returned to the pool.
        client.release(broken);
      }
    },
  };
  const warm = async () => {
    const clients = await Promise.all(Array.from({ length: poolSize }, () => pool.connect()));
    for (const client of clients) client.release();
  };
  return assemble(
    "postgres",
    db,
    raw,
    () => {
      ended = true;
      return pool.end();
    },
    warm,
  );
}

function assemble(
  driver: Driver,
  db: Db,
  raw: RawClient,
  end: () => Promise<void>,
  warm: () => Promise<void>,
): Database {
  let closing: Promise<void> | undefined;
  const database: Database = {
    db,
    driver,
    raw,
    migrate: () => migrate(database),
    pending: () => pendingMigrations(database),
    async ping() {
      await db.execute("select 1");
    },
    warm,
    close() {
      closing ??= end();
      return closing;
    },
  };
  return database;
}
