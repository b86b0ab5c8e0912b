// Group commit for work that serializes on one lock anyway (every registration of an event takes
// the event's row lock). Units of work for the same key wait in this process and run in batches:
// one transaction per batch, the shared lock taken once, each unit in its own savepoint so a unit
// that fails (a full event, a bad answer, a database error) is undone alone and the others go on
// (or, for units that refuse before writing anything, without savepoints: see the option).
// Every unit is answered only after its batch has committed, so an answer is durable. Other
// processes still queue on the database lock: the batching is per process, the invariants are the
// lock's. (Found by the registration storm in tests/load: one transaction per registration spent
// most of its time handing the lock on and committing, see docs/performance.md.)
import type { Db, Tx } from "@convivio/db";

/** Most units decided in one transaction: bounds how long one batch holds the lock. */
export const MAX_UNITS_PER_BATCH = 64;

/**
 * After a batch, a key with nothing queued waits as long as that batch took, up to this, before it
 * lets its queue go: what arrives meanwhile forms the next batch. Under load Node takes in about one
 * new connection per turn of the event loop, so a rush arrives as a stream, not a heap; without the
 * wait, a batch on PGlite (whose answers never leave the microtask queue, so a batch is one long
 * turn) held one registration (docs/performance.md). Waiting at most a batch's own time at most
 * doubles a unit's wait, and only right after a batch.
 */
export const MAX_LINGER_MS = 50;

/** Units waiting for one key before new ones are refused. */
export const MAX_QUEUED_PER_KEY = 10_000;

export class QueueFullError extends Error {
  constructor() {
    super("too many units waiting for this key");
  }
}

const FINISH = Symbol("finish");

/**
 * A unit's answer known only once its batch's `close` has run: a unit that leaves its writes to
 * `close` (which writes every unit's together) answers with this.
 */
export interface Later<T> {
  readonly [FINISH]: () => T;
}

/** Answers a unit with what `finish` returns after the batch's `close`. */
export const later = <T>(finish: () => T): Later<T> => ({ [FINISH]: finish });

const isLater = (value: unknown): value is Later<unknown> =>
  typeof value === "object" && value !== null && FINISH in value;

interface Pending<C> {
  work: (tx: Tx, context: C) => Promise<unknown>;
  /** What `open` may read ahead for this unit (say, its email), or undefined. */
  tag: string | undefined;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface GroupCommitOptions<C> {
  db: Db;
  /**
   * Runs first in each batch's transaction (take the shared lock there); its result is handed to
   * every unit. `tags`: the batch's units' tags, so it can read for all of them in one statement.
   */
  open: (tx: Tx, key: string, tags: readonly string[]) => Promise<C>;
  /**
   * Runs after the batch's units, before the commit: writes what they left to it (each unit that
   * did answers with `later`). If it fails, the batch fails, and its units are run again one per
   * transaction.
   */
  close?: (tx: Tx, context: C) => Promise<void>;
  maxUnits?: number;
  /** The longest wait for more units after a batch (default `MAX_LINGER_MS`; 0: none). */
  maxLingerMs?: number;
  /**
   * Units run without a savepoint each (two round trips fewer per unit) when set. A unit must then
   * throw a refusal (what `isRefusal` recognises) only before its first write; any other error may
   * have broken the transaction, so it fails the whole batch, whose units are run again one per
   * transaction and so still get their own answers.
   */
  withoutSavepoints?: { isRefusal: (error: unknown) => boolean };
}

export class GroupCommit<C> {
  private readonly queues = new Map<string, Pending<C>[]>();
  private readonly maxUnits: number;
  private readonly lingerMs: number;

  constructor(private readonly options: GroupCommitOptions<C>) {
    this.maxUnits = options.maxUnits ?? MAX_UNITS_PER_BATCH;
    this.lingerMs = options.maxLingerMs ?? MAX_LINGER_MS;
  }

  /**
   * Runs `work` in a batch of `key`; resolves with its result once that batch has committed. `tag`
   * is handed to the batch's `open` with the others'.
   */
  submit<T>(key: string, work: (tx: Tx, context: C) => Promise<T | Later<T>>, tag?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending: Pending<C> = { work, tag, resolve: resolve as (value: unknown) => void, reject };
      const queue = this.queues.get(key);
      if (queue) {
        if (queue.length >= MAX_QUEUED_PER_KEY) return reject(new QueueFullError());
        queue.push(pending);
        return;
      }
      this.queues.set(key, [pending]);
      // The first batch starts on the next turn of the event loop, so whatever arrived with this
      // unit (the other requests the loop read in the same turn) joins it.
      setImmediate(() => void this.drain(key));
    });
  }

  private async drain(key: string): Promise<void> {
    // How long the last batch took (0: none since the last wait).
    for (let lastBatchMs = 0; ;) {
      const queue = this.queues.get(key);
      if (!queue || queue.length === 0) {
        if (lastBatchMs > 0 && this.lingerMs > 0) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(this.lingerMs, lastBatchMs)));
          lastBatchMs = 0;
          continue;
        }
        this.queues.delete(key);
        return;
      }
      const started = performance.now();
      const batch = queue.splice(0, this.maxUnits);
      let settled: Settled[];
      try {
        settled = await this.runBatch(key, batch);
      } catch (err) {
        // The batch itself failed (the lock, or the commit): nothing of it is stored. A single unit
        // retried alone tells its own outcome; a batch of one has nothing to learn from a retry.
        if (batch.length === 1) settled = [{ ok: false, error: err }];
        else settled = await this.runEachAlone(key, batch);
      }
      settled.forEach((outcome, i) => {
        const unit = batch[i]!;
        if (outcome.ok) unit.resolve(outcome.value);
        else unit.reject(outcome.error);
      });
      lastBatchMs = Math.max(1, performance.now() - started);
    }
  }

  private runBatch(key: string, batch: Pending<C>[]): Promise<Settled[]> {
    return this.options.db.transaction(async (tx) => {
      const tags = batch.flatMap((unit) => (unit.tag === undefined ? [] : [unit.tag]));
      const context = await this.options.open(tx, key, tags);
      const settled: Settled[] = [];
      for (const unit of batch) {
        try {
          // A nested transaction is a savepoint: a unit that throws is rolled back alone.
          const value = this.options.withoutSavepoints
            ? await unit.work(tx, context)
            : await tx.transaction((savepoint) => unit.work(savepoint, context));
          settled.push({ ok: true, value });
        } catch (error) {
          // Without savepoints anything but a refusal may have aborted the transaction.
          const refusal = this.options.withoutSavepoints?.isRefusal;
          if (refusal && !refusal(error)) throw error;
          settled.push({ ok: false, error });
        }
      }
      await this.options.close?.(tx, context);
      return settled.map((outcome) => {
        if (!outcome.ok || !isLater(outcome.value)) return outcome;
        try {
          return { ok: true, value: outcome.value[FINISH]() };
        } catch (error) {
          return { ok: false, error };
        }
      });
    });
  }

  private async runEachAlone(key: string, batch: Pending<C>[]): Promise<Settled[]> {
    const settled: Settled[] = [];
    for (const unit of batch) {
      try {
        const [outcome] = await this.runBatch(key, [unit]);
        settled.push(outcome!);
      } catch (error) {
        settled.push({ ok: false, error });
      }
    }
    return settled;
  }
}
