// Test support for the bad-input suites (invariant 10): a table of requests that must each be
// refused with a clear 4xx problem, sent by named clients, and a whole-database snapshot to show
// that none of them changed anything.
import { expect } from "vitest";
import { sql } from "@convivio/db";
import type { TestDatabase } from "@convivio/db/testing";
import type { TestClient } from "./harness.js";

/** One bad request: who sends it (a key of the suite's clients) and the problem it must get. */
export interface BadInputCase<As extends string> {
  name: string;
  as: As;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

/** Row count and a hash of the contents of every table. */
export async function snapshot(database: TestDatabase): Promise<Record<string, string>> {
  const tables = await database.db.execute<{ name: string }>(
    sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const result = await database.db.execute<{ n: number; h: string }>(
      sql.raw(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM "${name}" t`,
      ),
    );
    const row = result.rows[0]!;
    out[name] = `${row.n}:${row.h}`;
  }
  return out;
}

/**
 * Sends every case in order and expects each to get its status and code as an
 * application/problem+json body with a title, and every table to be as before. Returns the
 * snapshot taken before, for a suite that goes on to show the snapshot does see a change.
 */
export async function expectRefusedAndUnchanged<As extends string>(
  database: TestDatabase,
  clients: Record<As, TestClient>,
  cases: readonly BadInputCase<As>[],
): Promise<Record<string, string>> {
  const before = await snapshot(database);
  expect(Object.keys(before).length).toBeGreaterThan(20);
  const failures: string[] = [];
  for (const c of cases) {
    const res = await clients[c.as].request(c.method, c.path, c.body, c.headers ?? {});
    const problem = res.body as { code?: string; title?: string } | undefined;
    const okType = res.headers.get("content-type")?.startsWith("application/problem+json");
    if (res.status !== c.status || problem?.code !== c.code || !okType || !problem?.title) {
      failures.push(`${c.name}: ${res.status} ${res.text.slice(0, 200)}`);
    }
  }
  expect(failures).toEqual([]);
  expect(await snapshot(database)).toEqual(before);
  return before;
}
