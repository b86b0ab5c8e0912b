// Roll-up: one action copies each table's top ideas (the board's own ranking, B21) into the plenary
// board, in table order, each marked with its table ("Tavolo 3 · Mobilità" leads its details) and
// recorded with its origin in breakout_rollups. Each copy is an ordinary idea proposed by the
// facilitator through the board's command path, with a client op id derived from the run and the
// source idea: running the roll-up again (or retrying after a crash) adds nothing twice.
import { createHash, randomUUID } from "node:crypto";
import { and, asc, boards, breakoutRollups, eq, isNull, type Db } from "@convivio/db";
import { rankedIdeas } from "@convivio/board";
import {
  BOARD_LIMITS,
  DEFAULT_BOARD_SETTINGS,
  ErrorCode,
  type BoardId,
  type ParticipantId,
  type User,
} from "@convivio/protocol";
import type { Clock } from "../auth/clock.js";
import { HttpError } from "../http/problem.js";
import type { BoardCommands } from "../boards/commands.js";
import type { BoardStore } from "../boards/store.js";
import { latestRun, tablesOf } from "./store.js";
import { eventLabels } from "./labels.js";

export interface RollUpDeps {
  db: Db;
  clock: Clock;
  store: BoardStore;
  commands: BoardCommands;
}

/** A UUID (version 5 layout) derived from a name, so a retried copy reuses its client op id. */
export function derivedUuid(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The session's plenary board: its first board that belongs to no table (created when there is none). */
export async function plenaryBoard(
  deps: RollUpDeps,
  session: { sessionId: string; eventId: string },
  userId: string,
) {
  const [existing] = await deps.db
    .select({ id: boards.id })
    .from(boards)
    .where(and(eq(boards.sessionId, session.sessionId), isNull(boards.tableId)))
    .orderBy(asc(boards.createdAt), asc(boards.id))
    .limit(1);
  if (existing) return existing.id as BoardId;
  const labels = await eventLabels(deps.db, session.eventId);
  const row = await deps.store.create({
    id: randomUUID() as BoardId,
    eventId: session.eventId,
    sessionId: session.sessionId,
    title: labels.plenary,
    settings: DEFAULT_BOARD_SETTINGS,
    createdBy: userId,
    now: deps.clock.now().getTime(),
  });
  return row.id as BoardId;
}

export async function rollUp(
  deps: RollUpDeps,
  user: User,
  session: { sessionId: string; eventId: string },
  top: number,
): Promise<{ boardId: BoardId; ideas: number }> {
  const run = await latestRun(deps.db, session.sessionId);
  if (!run) throw new HttpError(ErrorCode.conflict, "No breakout tables to roll up");
  const plenaryId = await plenaryBoard(deps, session, user.id);
  const plenary = await deps.store.load(plenaryId);
  if (!plenary) throw new HttpError(ErrorCode.notFound);
  const columnId = plenary.state.settings.columns[0]!.id;
  const done = new Set(
    (
      await deps.db
        .select({ id: breakoutRollups.sourceIdeaId })
        .from(breakoutRollups)
        .where(eq(breakoutRollups.runId, run.id))
    ).map((r) => r.id),
  );
  const labels = await eventLabels(deps.db, session.eventId);
  let added = 0;
  for (const table of await tablesOf(deps.db, run.id)) {
    if (!table.boardId) continue;
    const loaded = await deps.store.load(table.boardId);
    if (!loaded) continue;
    const label = labels.table(table.number, table.topic);
    for (const { idea, votes } of rankedIdeas(loaded.state).slice(0, top)) {
      if (done.has(idea.id)) continue;
      const details = (idea.details ? `${label}\n\n${idea.details}` : label).slice(
        0,
        BOARD_LIMITS.ideaDetailsMaxLength,
      );
      const ack = await deps.commands.run(
        {
          type: "proposeIdea",
          clientOpId: derivedUuid(`rollup:${run.id}:${idea.id}`),
          boardId: plenaryId,
          columnId,
          text: idea.text,
          details,
        },
        { participantId: user.id as string as ParticipantId, role: "facilitator" },
      );
      if (!ack.ok) {
        if (ack.code === "wrong_phase" || ack.code === "board_locked")
          throw new HttpError(ErrorCode.conflict, "The plenary board must be open for ideas (collect phase)");
        throw new HttpError(
          ack.code === ErrorCode.internal ? ErrorCode.internal : ErrorCode.conflict,
          ack.code,
        );
      }
      await deps.db
        .insert(breakoutRollups)
        .values({
          runId: run.id,
          sourceIdeaId: idea.id,
          tableId: table.id,
          plenaryBoardId: plenaryId,
          plenaryIdeaId: ack.createdId ?? idea.id,
          votes,
          createdAt: deps.clock.now(),
        })
        .onConflictDoNothing();
      added++;
    }
  }
  return { boardId: plenaryId, ideas: added };
}
