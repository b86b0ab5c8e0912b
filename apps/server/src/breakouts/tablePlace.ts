// Who sits at a breakout table: the one rule behind a table's chat and media tokens (seats.ts,
// `tableAccess`) and its board (boards/access.ts). It reads only the seating tables, so the boards'
// access check can ask it without depending on the rest of the breakouts.
import { and, breakoutAssignments, breakoutTables, eq, isNull, type Db, type Tx } from "@convivio/db";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A person's place at a table: `seated` while the table is open and they sit there now (in the
 * table's run: World-Café rotation moves people, the table and its board stay), `sat` once the table
 * has closed if they sat there at some point of its run, otherwise null (a planned table, someone
 * who never sat there, or someone who sat there earlier in a run that is still going).
 */
export type TablePlace = "seated" | "sat" | null;

export async function placeAt(db: Db | Tx, tableId: string, userId: string): Promise<TablePlace> {
  if (!UUID.test(tableId) || !UUID.test(userId)) return null;
  const [table] = await db
    .select({ status: breakoutTables.status, runId: breakoutTables.runId })
    .from(breakoutTables)
    .where(eq(breakoutTables.id, tableId));
  if (!table?.runId || table.status === "planned") return null;
  const open = table.status === "open";
  const [seat] = await db
    .select({ id: breakoutAssignments.id })
    .from(breakoutAssignments)
    .where(
      and(
        eq(breakoutAssignments.runId, table.runId),
        eq(breakoutAssignments.tableId, tableId),
        eq(breakoutAssignments.userId, userId),
        ...(open ? [isNull(breakoutAssignments.untilAt)] : []),
      ),
    )
    .limit(1);
  if (!seat) return null;
  return open ? "seated" : "sat";
}
