// Spaces (areas or tracks) of an event: names unique per event, at most EVENT_LIMITS.maxSpaces.
import { and, eq, isUniqueViolation, spaces, type Db } from "@convivio/db";
import { ErrorCode, EVENT_LIMITS } from "@convivio/protocol";
import { HttpError } from "../http/problem.js";

export async function createSpace(
  db: Db,
  eventId: string,
  input: { name: string; position?: number | undefined },
) {
  const existing = await db.select({ id: spaces.id }).from(spaces).where(eq(spaces.eventId, eventId));
  if (existing.length >= EVENT_LIMITS.maxSpaces) {
    throw new HttpError(ErrorCode.conflict, `An event has at most ${EVENT_LIMITS.maxSpaces} spaces`);
  }
  try {
    const [row] = await db
      .insert(spaces)
      .values({ eventId, name: input.name, position: input.position ?? existing.length })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err, "spaces_event_name_key"))
      throw new HttpError(ErrorCode.conflict, "A space has this name");
    throw err;
  }
}

export async function updateSpace(
  db: Db,
  eventId: string,
  spaceId: string,
  input: { name?: string | undefined; position?: number | undefined },
) {
  try {
    const [row] = await db
      .update(spaces)
      .set({
        ...(input.name ? { name: input.name } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
      })
      .where(and(eq(spaces.id, spaceId), eq(spaces.eventId, eventId)))
      .returning();
    if (!row) throw new HttpError(ErrorCode.notFound);
    return row;
  } catch (err) {
    if (isUniqueViolation(err, "spaces_event_name_key"))
      throw new HttpError(ErrorCode.conflict, "A space has this name");
    throw err;
  }
}

export async function deleteSpace(db: Db, eventId: string, spaceId: string): Promise<void> {
  const [row] = await db
    .delete(spaces)
    .where(and(eq(spaces.id, spaceId), eq(spaces.eventId, eventId)))
    .returning({ id: spaces.id });
  if (!row) throw new HttpError(ErrorCode.notFound);
}
