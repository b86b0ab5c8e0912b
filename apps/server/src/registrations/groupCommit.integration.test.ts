// The group-commit contract on both databases: units of one key share a transaction, a failing
// unit is undone alone, nobody is answered before the commit, and order is kept.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql, type Database } from "@convivio/db";
import { testDatabases } from "@convivio/db/testing";
import { GroupCommit, MAX_UNITS_PER_BATCH, later } from "./groupCommit.js";

describe.each(testDatabases())("group commit on $driver", ({ open }) => {
  let database: Database;
  beforeEach(async () => {
    database = await open({ migrate: false });
    await database.db.execute(sql`CREATE TABLE units (n integer PRIMARY KEY, tx bigint NOT NULL)`);
  });
  afterEach(() => database.close());

  const stored = async () =>
    (await database.db.execute<{ n: number }>(sql`SELECT n FROM units ORDER BY n`)).rows.map((r) =>
      Number(r.n),
    );

  it("runs units arriving together in one transaction, in arrival order, each answered after the commit", async () => {
    const opened: string[] = [];
    const batches = new GroupCommit<{ key: string }>({
      db: database.db,
      open: async (_tx, key) => {
        opened.push(key);
        return { key };
      },
    });
    const order: number[] = [];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        batches
          .submit("event-a", async (tx) => {
            order.push(n);
            const { rows } = await tx.execute<{ tx: string }>(
              sql`INSERT INTO units (n, tx) VALUES (${n}, txid_current()) RETURNING tx`,
            );
            return { n, tx: rows[0]!.tx };
          })
          .then(async (answer) => {
            // Answered only once its batch is visible to everyone.
            expect(await stored()).toContain(answer.n);
            return answer;
          }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 20 }, (_, n) => n));
    // The first batch starts on the next turn of the event loop: all 20 are in it.
    expect(new Set(answers.map((a) => a.tx)).size).toBe(1);
    expect(opened).toEqual(["event-a"]);
  });

  it("batches a stream of units arriving one by one, waiting after each batch for the next ones", async () => {
    const batches = new GroupCommit<null>({ db: database.db, open: async () => null });
    const txs: string[] = [];
    const units: Promise<void>[] = [];
    // One unit every millisecond or so, as a rush reaches the server (one connection a turn).
    for (let n = 0; n < 40; n++) {
      units.push(
        batches.submit("stream", async (tx) => {
          const { rows } = await tx.execute<{ tx: string }>(
            sql`INSERT INTO units (n, tx) VALUES (${n}, txid_current()) RETURNING tx`,
          );
          txs.push(rows[0]!.tx);
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(units);
    expect(await stored()).toHaveLength(40);
    // Without the wait after a batch, PGlite (a batch never leaves the microtask queue, so no
    // timer fires during it) ran each of these alone. PostgreSQL's batches wait on the network, so
    // units arriving meanwhile queue anyway, and one this fast needs no more waiting.
    if (database.driver === "pglite") expect(new Set(txs).size).toBeLessThanOrEqual(20);
    else expect(new Set(txs).size).toBeLessThan(40);
  });

  it("undoes a failing unit alone and hands it its own error", async () => {
    const batches = new GroupCommit<null>({ db: database.db, open: async () => null });
    const insert = (n: number) =>
      batches.submit("k", async (tx) => {
        await tx.execute(sql`INSERT INTO units (n, tx) VALUES (${n}, txid_current())`);
        if (n === 3) throw new Error("unit 3 is refused");
        return n;
      });
    // A duplicate key is a database error inside the unit's savepoint, not the batch's.
    const duplicate = () =>
      batches.submit("k", async (tx) => {
        await tx.execute(sql`INSERT INTO units (n, tx) VALUES (1, txid_current())`);
      });
    const results = await Promise.allSettled([insert(1), insert(2), insert(3), duplicate(), insert(4)]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "rejected",
      "fulfilled",
    ]);
    expect((results[2] as PromiseRejectedResult).reason).toEqual(new Error("unit 3 is refused"));
    expect(await stored()).toEqual([1, 2, 4]);
  });

  it("keeps batches of different keys apart and bounds a batch's size", async () => {
    const batches = new GroupCommit<string>({ db: database.db, open: async (_tx, key) => key, maxUnits: 5 });
    const txOf = new Map<number, string>();
    await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        batches.submit(n % 2 === 0 ? "even" : "odd", async (tx, key) => {
          expect(key).toBe(n % 2 === 0 ? "even" : "odd");
          const { rows } = await tx.execute<{ tx: string }>(
            sql`INSERT INTO units (n, tx) VALUES (${n}, txid_current()) RETURNING tx`,
          );
          txOf.set(n, rows[0]!.tx);
        }),
      ),
    );
    const even = new Set([0, 2, 4, 6, 8, 10].map((n) => txOf.get(n)));
    const odd = new Set([1, 3, 5, 7, 9, 11].map((n) => txOf.get(n)));
    for (const tx of even) expect(odd.has(tx)).toBe(false);
    // Six units per key, at most five per batch: at least two transactions each.
    expect(even.size).toBeGreaterThanOrEqual(2);
    expect(MAX_UNITS_PER_BATCH).toBeGreaterThan(5);
  });

  it("when the batch itself fails, each unit is retried alone and answered with its own outcome", async () => {
    let opens = 0;
    const batches = new GroupCommit<null>({
      db: database.db,
      open: async () => {
        // The batch's lock fails once (as a lost connection would): its units run alone.
        if (++opens === 1) throw new Error("lock lost");
        return null;
      },
    });
    const unit = (n: number) =>
      batches.submit("k", async (tx) => {
        await tx.execute(sql`INSERT INTO units (n, tx) VALUES (${n}, txid_current())`);
        return n;
      });
    expect(await Promise.all([unit(1), unit(2), unit(3)])).toEqual([1, 2, 3]);
    expect(await stored()).toEqual([1, 2, 3]);
    expect(opens).toBe(4);
  });

  it("without savepoints: a refusal is answered alone, a database error reruns the batch one by one", async () => {
    class Refusal extends Error {}
    const batches = new GroupCommit<null>({
      db: database.db,
      open: async () => null,
      withoutSavepoints: { isRefusal: (err) => err instanceof Refusal },
    });
    let runs = 0;
    const unit = (n: number, fail?: "refuse" | "duplicate") =>
      batches.submit("k", async (tx) => {
        runs++;
        if (fail === "refuse") throw new Refusal(`unit ${n} refused`);
        // A duplicate key aborts the whole transaction (no savepoint to roll back to).
        await tx.execute(
          sql`INSERT INTO units (n, tx) VALUES (${fail === "duplicate" ? 1 : n}, txid_current())`,
        );
        return n;
      });
    const first = await unit(1);
    expect(first).toBe(1);
    runs = 0;
    const results = await Promise.allSettled([unit(2), unit(3, "refuse"), unit(4, "duplicate"), unit(5)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Refusal);
    expect(await stored()).toEqual([1, 2, 5]);
    // The four share a batch, which runs 2, 3 (refused) and 4 (aborting it), and then runs each of
    // the four in a transaction of its own.
    expect(runs).toBe(3 + 4);
  });

  it("units that leave their writes to close are written in one statement, answered after it; a failed close reruns them alone", async () => {
    interface Staging {
      staged: { n: number; tx?: string }[];
    }
    let closes = 0;
    const batches = new GroupCommit<Staging>({
      db: database.db,
      open: async () => ({ staged: [] }),
      close: async (tx, { staged }) => {
        closes++;
        if (staged.length === 0) return;
        const values = sql.join(
          staged.map(({ n }) => sql`(${n}, txid_current())`),
          sql`, `,
        );
        const { rows } = await tx.execute<{ n: number; tx: string }>(
          sql`INSERT INTO units (n, tx) VALUES ${values} RETURNING n, tx`,
        );
        for (const row of rows) staged.find((s) => s.n === Number(row.n))!.tx = String(row.tx);
      },
    });
    const unit = (n: number) =>
      batches.submit("k", async (_tx, context) => {
        const entry: { n: number; tx?: string } = { n };
        context.staged.push(entry);
        return later(() => {
          if (!entry.tx) throw new Error(`unit ${n} was not written`);
          return { n, tx: entry.tx };
        });
      });
    const first = await unit(0);
    closes = 0;
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => unit(i + 1)));
    expect(answers.map((a) => a.n)).toEqual([1, 2, 3, 4, 5]);
    // The five share a batch, written by one statement.
    expect(new Set(answers.map((a) => a.tx)).size).toBe(1);
    expect(answers[0]!.tx).not.toBe(first.tx);
    expect(closes).toBe(1);
    expect(await stored()).toEqual([0, 1, 2, 3, 4, 5]);

    // A close that fails (a key already there) fails its batch: each unit runs again alone, and only
    // the one that cannot be written is refused.
    const results = await Promise.allSettled([unit(6), unit(7), unit(3), unit(8)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(await stored()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
