// The boards' durable side: the event log, the snapshot row and the first answer to each command,
// all written in one transaction per command, and a per-process cache of the latest states that is
// always checked against the row's version (so several nodes stay correct).
import {
  and,
  asc,
  boardEvents,
  boardOps,
  boards,
  eq,
  gt,
  inArray,
  isUniqueViolation,
  lte,
  sql,
  type Db,
  type Tx,
} from "@convivio/db";
import {
  createBoard,
  createdIdOf,
  decide,
  replay,
  upgradeState,
  type BoardEvent,
  type BoardState,
  type Command,
  type DecideContext,
} from "@convivio/board";
import {
  BoardAck,
  ErrorCode,
  type BoardId,
  type BoardSettings,
  type ParticipantId,
} from "@convivio/protocol";

/** A board's state and how many events it took to get there. */
export interface LoadedBoard {
  readonly state: BoardState;
  readonly version: number;
}

/** A new snapshot is written after this many events; loads replay the events after the last one. */
export const SNAPSHOT_EVERY_EVENTS = 50;
/**
 * The snapshot is rewritten whole, and a board with thousands of voters is a megabyte or more of
 * JSON: such a board waits for more events between snapshots, about one per this many bytes of its
 * last snapshot (a 1 MB board: every ~500 events), so its write cost per vote stays bounded while
 * a load still replays at most a few hundred events. (Found by the load benchmark, tests/load.)
 */
export const SNAPSHOT_BYTES_PER_EVENT = 2_048;
const CACHE_MAX_BOARDS = 1_000;
/** Beyond this many new events, a cached state is dropped for the stored snapshot. */
const CACHE_CATCH_UP_MAX_EVENTS = 500;

export interface CommandOp {
  participantId: ParticipantId;
  clientOpId: string;
}

/** One command to decide: what, in which context, and its idempotency key (none for the system). */
export interface CommandItem {
  command: Command;
  ctx: DecideContext;
  op: CommandOp | null;
}

export interface BatchOutcome {
  /** One per command, in order. */
  acks: BoardAck[];
  /** Set when the batch changed the board (its events are committed, in order). */
  committed?: { before: BoardState; after: LoadedBoard; events: readonly BoardEvent[] };
}

const opKey = (op: { participantId: string; clientOpId: string }) => `${op.participantId} ${op.clientOpId}`;

/** An answer already stored for a clientOpId, as the optimistic read returns it. */
interface PriorAck {
  participantId: string;
  clientOpId: string;
  ack: unknown;
}

const clientOpIdsOf = (batch: readonly CommandItem[]) => [
  ...new Set(batch.flatMap(({ op }) => (op ? [op.clientOpId] : []))),
];

const opRowsJson = (ops: readonly (typeof boardOps.$inferInsert)[]) =>
  JSON.stringify(
    ops.map((op) => ({ participant_id: op.participantId, client_op_id: op.clientOpId, ack: op.ack })),
  );

/** An answer that says nothing about the command itself, so a retry should be decided afresh. */
const isEdgeFailure = (ack: BoardAck) => !ack.ok && ack.code === ErrorCode.internal;

export interface NewBoard {
  id: BoardId;
  eventId: string;
  sessionId: string | null;
  /** The breakout table the board belongs to, if any. */
  tableId?: string | null;
  title: string;
  settings: BoardSettings;
  createdBy: string | null;
  now: number;
}

type Executor = Db | Tx;

/** Newer of two loads (undefined-safe). */
export function newest(a: LoadedBoard | undefined, b: LoadedBoard | undefined): LoadedBoard | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.version > a.version ? b : a;
}

export class BoardStore {
  private readonly cache = new Map<string, LoadedBoard>();
  /** Size of the last snapshot this process wrote, per board (a hint for the next one). */
  private readonly snapshotBytes = new Map<string, number>();

  constructor(
    private readonly db: Db,
    /** Told about a command that broke an invariant of the rules (a bug, logged by the caller). */
    private readonly onError: (err: unknown, boardId: string) => void = () => undefined,
  ) {}

  /** The newest state this process has seen, without asking the database. */
  cached(boardId: string): LoadedBoard | undefined {
    return this.cache.get(boardId);
  }

  /** Keeps `loaded` if it is newer than what the cache holds (never goes back). */
  remember(boardId: string, loaded: LoadedBoard): LoadedBoard {
    const current = this.cache.get(boardId);
    if (current && current.version >= loaded.version) return current;
    this.cache.delete(boardId);
    this.cache.set(boardId, loaded);
    if (this.cache.size > CACHE_MAX_BOARDS) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return loaded;
  }

  /** Creates a board; inside a caller's transaction when `executor` is one (its row is new, so caching it early is safe). */
  async create(board: NewBoard, executor: Executor = this.db): Promise<typeof boards.$inferSelect> {
    const state = createBoard(board.settings, { id: board.id, now: board.now });
    const [row] = await executor
      .insert(boards)
      .values({
        id: board.id,
        eventId: board.eventId,
        sessionId: board.sessionId,
        tableId: board.tableId ?? null,
        title: board.title,
        settings: state.settings as unknown as Record<string, unknown>,
        state: state as unknown as Record<string, unknown>,
        phase: state.phase,
        createdBy: board.createdBy,
        createdAt: new Date(board.now),
        updatedAt: new Date(board.now),
      })
      .returning();
    this.remember(board.id, { state, version: 0 });
    return row!;
  }

  /** The latest committed state, or undefined when there is no such board. */
  async load(boardId: string, executor: Executor = this.db): Promise<LoadedBoard | undefined> {
    const [row] = await executor
      .select({ version: boards.version })
      .from(boards)
      .where(eq(boards.id, boardId));
    if (!row) return undefined;
    return this.loadAt(executor, boardId, row.version);
  }

  /** Versions of several boards in one query (the fan-out's poll). */
  async versions(boardIds: string[]): Promise<Map<string, number>> {
    if (boardIds.length === 0) return new Map();
    const rows = await this.db
      .select({ id: boards.id, version: boards.version })
      .from(boards)
      .where(inArray(boards.id, boardIds));
    return new Map(rows.map((r) => [r.id, r.version]));
  }

  private async loadAt(executor: Executor, boardId: string, version: number): Promise<LoadedBoard> {
    const hit = this.cache.get(boardId);
    if (hit?.version === version) return hit;
    // Another node committed since: replay only its events over the cached state (the log is
    // append-only, so events up to `version` are all there once the row says `version`).
    if (hit && hit.version < version && version - hit.version <= CACHE_CATCH_UP_MAX_EVENTS) {
      return this.remember(boardId, await this.replayOnto(executor, hit, version));
    }
    // One read of the row gives a consistent (snapshot, version) pair even while others commit.
    const [row] = await executor
      .select({ state: boards.state, stateVersion: boards.stateVersion, version: boards.version })
      .from(boards)
      .where(eq(boards.id, boardId));
    if (!row) throw new Error(`board ${boardId} vanished while loading`);
    // A snapshot written before the vote ledger was bucketed is read in the current shape.
    const base = { state: upgradeState(row.state as unknown as BoardState), version: row.stateVersion };
    return this.remember(boardId, await this.replayOnto(executor, base, row.version));
  }

  private async replayOnto(executor: Executor, base: LoadedBoard, version: number): Promise<LoadedBoard> {
    if (base.version === version) return base;
    const events = await executor
      .select({ event: boardEvents.event })
      .from(boardEvents)
      .where(
        and(
          eq(boardEvents.boardId, base.state.id),
          gt(boardEvents.ordinal, base.version),
          lte(boardEvents.ordinal, version),
        ),
      )
      .orderBy(asc(boardEvents.ordinal));
    if (events.length !== version - base.version) {
      throw new Error(
        `board ${base.state.id}: expected ${version - base.version} events, found ${events.length}`,
      );
    }
    const state = replay(
      base.state,
      events.map((e) => e.event as unknown as BoardEvent),
    );
    return { state, version };
  }

  /**
   * Decides a batch of commands for one board and commits it, in two round trips when no other node
   * writes the board meanwhile (the usual case): read the row's version and the answers already
   * given to the batch's clientOpIds in one statement, decide on the state at that version, then
   * write the events, the first answers and the row in one statement that moves the row only from
   * that version (and writes nothing otherwise). Should another node have moved the board in
   * between, or stored an answer to one of these clientOpIds, the write changes nothing and the
   * batch is decided again under the row lock (`executeLocked`). Either way one answer per
   * clientOpId is stored (the primary key of board_ops) and the answer returned is the stored one.
   * The cache learns the new state only once it is committed. Acks come back in the batch's order.
   * (Five round trips per batch under the lock were most of a vote's ack time while the tick's
   * fan-out held the event loop: the load benchmark, docs/performance.md.)
   */
  async execute(boardId: BoardId, batch: readonly CommandItem[]): Promise<BatchOutcome> {
    const outcome =
      (await this.executeUnlocked(boardId, batch)) ?? (await this.executeLocked(boardId, batch));
    if (outcome.committed) this.remember(boardId, outcome.committed.after);
    return outcome;
  }

  /** The optimistic path: undefined when another writer got in between (nothing was written). */
  private async executeUnlocked(
    boardId: BoardId,
    batch: readonly CommandItem[],
  ): Promise<BatchOutcome | undefined> {
    const ids = clientOpIdsOf(batch);
    const prior =
      ids.length === 0
        ? sql`'[]'::json`
        : sql`(select coalesce(json_agg(json_build_object('participantId', ${boardOps.participantId},
            'clientOpId', ${boardOps.clientOpId}, 'ack', ${boardOps.ack})), '[]'::json)
            from ${boardOps} where ${boardOps.boardId} = ${boards.id} and ${inArray(boardOps.clientOpId, ids)})`;
    const [row] = await this.db
      .select({
        version: boards.version,
        stateVersion: boards.stateVersion,
        prior: prior.mapWith(
          (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value) as PriorAck[],
        ),
      })
      .from(boards)
      .where(eq(boards.id, boardId));
    if (!row) return { acks: batch.map(() => ({ ok: false, code: ErrorCode.notFound })) };
    const answered = new Map(row.prior.map((found) => [opKey(found), BoardAck.parse(found.ack)]));
    const before = await this.loadAt(this.db, boardId, row.version);
    const decided = this.decideBatch(boardId, before, batch, answered);
    try {
      if (decided.events.length > 0) {
        const after = await this.append(this.db, before, row.stateVersion, decided, decided.newOps);
        if (!after) return undefined;
        return { acks: decided.acks, committed: { before: before.state, after, events: decided.events } };
      }
      if (
        decided.newOps.length > 0 &&
        !(await this.recordAnswers(this.db, boardId, before.version, decided.newOps))
      )
        return undefined;
      return { acks: decided.acks };
    } catch (err) {
      // Another node stored an answer to one of these clientOpIds first: its answer wins.
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
  }

  /** The same under the board row's lock, in one transaction: always decides (no other writer). */
  private async executeLocked(boardId: BoardId, batch: readonly CommandItem[]): Promise<BatchOutcome> {
    return this.db.transaction(async (tx): Promise<BatchOutcome> => {
      const locked = await this.lockWithPriorAcks(tx, boardId, batch);
      if (!locked) return { acks: batch.map(() => ({ ok: false, code: ErrorCode.notFound })) };
      const { row, answered } = locked;
      const before = await this.loadAt(tx, boardId, row.version);
      const decided = this.decideBatch(boardId, before, batch, answered);
      if (decided.events.length > 0) {
        const after = await this.append(tx, before, row.stateVersion, decided, decided.newOps);
        if (!after) throw new Error(`board ${boardId} moved while locked`);
        return { acks: decided.acks, committed: { before: before.state, after, events: decided.events } };
      }
      if (decided.newOps.length > 0) await tx.insert(boardOps).values(decided.newOps);
      return { acks: decided.acks };
    });
  }

  /** Every command of the batch on the running state: its acks, and the events and answers to store. */
  private decideBatch(
    boardId: BoardId,
    before: LoadedBoard,
    batch: readonly CommandItem[],
    answered: Map<string, BoardAck>,
  ) {
    let state = before.state;
    const events: BoardEvent[] = [];
    const seqs: number[] = [];
    const newOps: (typeof boardOps.$inferInsert)[] = [];
    const acks = batch.map(({ command, ctx, op }): BoardAck => {
      const key = op && opKey(op);
      const prior = key === null ? undefined : answered.get(key);
      if (prior) return prior;
      const ack = this.decideOne(state, command, ctx, (decided) => {
        state = decided.state;
        events.push(...decided.events);
        seqs.push(...decided.seqs);
      });
      if (op && key !== null && !isEdgeFailure(ack)) {
        answered.set(key, ack);
        newOps.push({
          boardId,
          participantId: op.participantId,
          clientOpId: op.clientOpId,
          ack: ack as unknown as Record<string, unknown>,
        });
      }
      return ack;
    });
    return { acks, state, events, seqs, newOps };
  }

  /**
   * Stores the answers of a batch that changed nothing, only while the row is still at `version`
   * (the state they were decided on); false when it had moved (nothing stored). Like every write of
   * answers it takes the board row's lock first (an update that changes nothing), so writers of one
   * board's answers queue on that lock and never wait on each other's answers in opposite orders.
   */
  private async recordAnswers(
    executor: Executor,
    boardId: string,
    version: number,
    ops: readonly (typeof boardOps.$inferInsert)[],
  ): Promise<boolean> {
    const { rows } = await executor.execute<{ id: number }>(sql`
      WITH still AS (
        UPDATE ${boards} SET version = version WHERE id = ${boardId} AND version = ${version} RETURNING id
      )
      INSERT INTO ${boardOps} (board_id, participant_id, client_op_id, ack)
      SELECT still.id, o.participant_id, o.client_op_id, o.ack
      FROM still, jsonb_to_recordset(${opRowsJson(ops)}::jsonb) AS o(participant_id uuid, client_op_id uuid, ack jsonb)
      RETURNING 1 AS id`);
    return rows.length === ops.length;
  }

  /**
   * Locks the board's row, then reads the answers already given to the batch's clientOpIds (by
   * `opKey`). Two statements, not one: a subquery beside FOR UPDATE would read with the snapshot
   * taken before waiting for the lock, and miss the answers of the transaction it waited for.
   */
  private async lockWithPriorAcks(
    tx: Tx,
    boardId: string,
    batch: readonly CommandItem[],
  ): Promise<
    { row: { version: number; stateVersion: number }; answered: Map<string, BoardAck> } | undefined
  > {
    const [row] = await tx
      .select({ version: boards.version, stateVersion: boards.stateVersion })
      .from(boards)
      .where(eq(boards.id, boardId))
      .for("update");
    if (!row) return undefined;
    const ids = clientOpIdsOf(batch);
    const answered = new Map<string, BoardAck>();
    if (ids.length === 0) return { row, answered };
    const rows = await tx
      .select({ participantId: boardOps.participantId, clientOpId: boardOps.clientOpId, ack: boardOps.ack })
      .from(boardOps)
      .where(and(eq(boardOps.boardId, boardId), inArray(boardOps.clientOpId, ids)));
    for (const found of rows) answered.set(opKey(found), BoardAck.parse(found.ack));
    return { row, answered };
  }

  /** One command on the batch's running state; a broken invariant fails that command only. */
  private decideOne(
    state: BoardState,
    command: Command,
    ctx: DecideContext,
    accept: (decided: { state: BoardState; events: readonly BoardEvent[]; seqs: readonly number[] }) => void,
  ): BoardAck {
    let decided: ReturnType<typeof decide>;
    try {
      decided = decide(state, command, ctx);
    } catch (err) {
      this.onError(err, state.id);
      return { ok: false, code: ErrorCode.internal };
    }
    if (!decided.ok) return { ok: false, code: decided.code };
    accept(decided);
    const createdId = createdIdOf(decided.events);
    return { ok: true, seq: decided.state.seq, ...(createdId ? { createdId } : {}) };
  }

  /**
   * Writes a batch's events and moves the row. `decided` is the state after them, as the batch
   * decided it, with the seq after each event: the events are not applied a second time (on a big
   * board every applied vote copies the whole vote ledger; found by the load benchmark).
   */
  private async append(
    executor: Executor,
    before: LoadedBoard,
    stateVersion: number,
    decided: { state: BoardState; events: readonly BoardEvent[]; seqs: readonly number[] },
    ops: readonly (typeof boardOps.$inferInsert)[],
  ): Promise<LoadedBoard | undefined> {
    const boardId = before.state.id;
    const { state, events, seqs } = decided;
    const eventRows = JSON.stringify(
      events.map((event, index) => ({ ordinal: before.version + index + 1, seq: seqs[index]!, event })),
    );
    const opRows = opRowsJson(ops);
    const version = before.version + events.length;
    const lastBytes = this.snapshotBytes.get(boardId) ?? 0;
    const snapshot =
      version - stateVersion >=
      Math.max(SNAPSHOT_EVERY_EVENTS, Math.ceil(lastBytes / SNAPSHOT_BYTES_PER_EVENT));
    // Serialized once here, so its size is known without a second pass.
    const stateJson = snapshot ? JSON.stringify(state) : undefined;
    // The row, the events and the first answers in one statement (one round trip), and only if the
    // row is still at the version the batch was decided on: otherwise nothing at all is written.
    const { rows } = await executor.execute<{ moved: number }>(sql`
      WITH moved AS (
        UPDATE ${boards} SET
          seq = ${state.seq},
          version = ${version},
          phase = ${state.phase},
          deadline_at = ${state.deadlineAt === null ? null : new Date(state.deadlineAt).toISOString()}::timestamptz,
          updated_at = now()
          ${stateJson === undefined ? sql`` : sql`, state = ${stateJson}::jsonb, state_version = ${version}`}
        WHERE id = ${boardId} AND version = ${before.version}
        RETURNING id
      ), appended AS (
        INSERT INTO ${boardEvents} (board_id, ordinal, seq, event)
        SELECT moved.id, e.ordinal, e.seq, e.event
        FROM moved, jsonb_to_recordset(${eventRows}::jsonb) AS e(ordinal integer, seq integer, event jsonb)
        RETURNING 1
      ), answered AS (
        INSERT INTO ${boardOps} (board_id, participant_id, client_op_id, ack)
        SELECT moved.id, o.participant_id, o.client_op_id, o.ack
        FROM moved, jsonb_to_recordset(${opRows}::jsonb) AS o(participant_id uuid, client_op_id uuid, ack jsonb)
        RETURNING 1
      )
      SELECT count(*)::int AS moved FROM moved`);
    if (Number(rows[0]?.moved ?? 0) === 0) return undefined;
    if (stateJson !== undefined) {
      if (this.snapshotBytes.size >= CACHE_MAX_BOARDS) this.snapshotBytes.clear();
      this.snapshotBytes.set(boardId, stateJson.length);
    }
    return { state, version };
  }

  /**
   * The board as it was when its `seq` was `seq`, rebuilt by replaying its log from creation, or
   * undefined when that would take more than `maxEvents` events (the caller sends a snapshot).
   */
  async stateAtSeq(boardId: string, seq: number, maxEvents: number): Promise<BoardState | undefined> {
    const [row] = await this.db
      .select({ settings: boards.settings, createdAt: boards.createdAt })
      .from(boards)
      .where(eq(boards.id, boardId));
    if (!row) return undefined;
    const events = await this.db
      .select({ event: boardEvents.event })
      .from(boardEvents)
      .where(and(eq(boardEvents.boardId, boardId), lte(boardEvents.seq, seq)))
      .orderBy(asc(boardEvents.ordinal))
      .limit(maxEvents + 1);
    if (events.length > maxEvents) return undefined;
    const initial = createBoard(row.settings as BoardSettings, {
      id: boardId as BoardId,
      now: row.createdAt.getTime(),
    });
    const state = replay(
      initial,
      events.map((e) => e.event as unknown as BoardEvent),
    );
    return state.seq === seq ? state : undefined;
  }
}
