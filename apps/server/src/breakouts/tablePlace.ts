// Who sits at a breakout table: the one rule behind a table's chat and media tokens (seats.ts,
// `tableAccess`) and its board (boards/access.ts). It reads only the seating tables, so the boards'
// access check can ask it without depending on the rest of the breakouts.
import { and, breakoutAssignments, breakoutTables, eq, isNull, or, type Db, type Tx } from "@convivio/db";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A person's place at a table: `seated` while the table is open and they sit there now (in the
 * table's run: World-Café rotation moves people, the table and its board stay), `sat` once the table
 * has closed if they sat there at some point of its run, otherwise null (a planned table, someone
 * who never sat there, or someone who sat there earlier in a run that is still going).
 */
export type TablePlace = "seated" | "sat" | null;

/**
 * One statement, as a table board asks it on every command (boards/access.ts): the person's seats
 * at the table (by `breakout_assignments_table_idx`) that count, joined to the table by its primary
 * key: while the table is open only the open seat, once it has closed any seat of its run.
 */
export async function placeAt(db: Db | Tx, tableId: string, userId: string): Promise<TablePlace> {
  if (!UUID.test(tableId) || !UUID.test(userId)) return null;
  const [seat] = await db
    .select({ status: breakoutTables.status })
    .from(breakoutAssignments)
    .innerJoin(
      breakoutTables,
      and(
        eq(breakoutTables.id, breakoutAssignments.tableId),
        eq(breakoutTables.runId, breakoutAssignments.runId),
      ),
    )
    .where(
      and(
        eq(breakoutAssignments.tableId, tableId),
        eq(breakoutAssignments.userId, userId),
        or(
          eq(breakoutTables.status, "closed"),
          and(eq(breakoutTables.status, "open"), isNull(breakoutAssignments.untilAt)),
        ),
      ),
    )
    .limit(1);
  if (!seat) return null;
  return seat.status === "open" ? "seated" : "sat";
}
