/**
 * Media room names carry what they belong to, so a webhook about a room can be traced back to
 * its session (and table) without a lookup table: `convivio.s.<sessionId>` for a plenary,
 * `convivio.s.<sessionId>.t.<tableId>` for a breakout table.
 */
const PREFIX = "convivio.s.";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TABLE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function plenaryRoom(sessionId: string): string {
  return `${PREFIX}${sessionId}`;
}

export function tableRoom(sessionId: string, tableId: string): string {
  if (!TABLE_ID.test(tableId)) throw new Error("bad table id");
  return `${PREFIX}${sessionId}.t.${tableId}`;
}

export function parseRoomName(name: string): { sessionId: string; tableId: string | null } | null {
  if (!name.startsWith(PREFIX)) return null;
  const [sessionId, marker, tableId, ...rest] = name.slice(PREFIX.length).split(".");
  if (!sessionId || !UUID.test(sessionId) || rest.length > 0) return null;
  if (marker === undefined) return { sessionId, tableId: null };
  if (marker !== "t" || !tableId || !TABLE_ID.test(tableId)) return null;
  return { sessionId, tableId };
}
