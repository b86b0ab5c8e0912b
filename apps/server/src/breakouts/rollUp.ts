// Roll-up: one action copies each table's top ideas (the board's own ranking, B21) into the plenary
// board, in table order, each marked with its table ("Tavolo 3 · Mobilità" leads its details) and
// recorded with its origin in breakout_rollups. Each copy is an ordinary idea proposed by the
// facilitator through the board's command path, with a client op id derived from the run and the
// source idea: running the roll-up again (or retrying after a crash) adds nothing twice.
//
// The ranking is made of the tables' votes, and while a board's votes are hidden nobody may see a
// count that includes anyone else's, facilitators included (invariant 7, SPEC B23): picking a
// table's "top" ideas from hidden votes, storing their counts and showing the order on the plenary
// board would publish them. Rolling up is the facilitator publishing the tables' results, so it
// reveals them first: every table board whose votes are still hidden is moved to `reveal` through
// the ordinary board command path (committed, broadcast to whoever is on that board, idempotent by a
// derived client op id, exactly as a facilitator pressing "Reveal" there), and only then is ranked.
// A locked table board cannot move: the roll-up then refuses with `votes_hidden` before revealing
// or copying anything, and the facilitator unlocks (or reveals) that board first.
import { createHash, randomUUID } from "node:crypto";
import { and, asc, boards, breakoutRollups, eq, isNull, type Db } from "@convivio/db";
import { areVotesVisible, rankedIdeas } from "@convivio/board";
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
import { latestRun, tablesOf, type TableRow } from "./store.js";
import { eventLabels, type Labels } from "./labels.js";

export interface RollUpDeps {
  db: Db;
  clock: Clock;
  store: BoardStore;
  commands: BoardCommands;
}

const PLENARY_CLOSED = "The plenary board must be open for ideas (collect phase)";

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
  const tables = await tablesOf(deps.db, run.id);
  const plenaryOpen = plenary.state.phase === "collect" && !plenary.state.locked;
  await revealTables(deps, user, run.id, tables, labels, plenaryOpen);
  let added = 0;
  for (const table of tables) {
    if (!table.boardId) continue;
    const loaded = await deps.store.load(table.boardId);
    if (!loaded) continue;
    // Revealed above, or showing its votes openly then; asked again because a facilitator may have
    // turned hiding on meanwhile (allowed in collect and group): never rank hidden votes.
    if (!areVotesVisible(loaded.state))
      throw new HttpError(ErrorCode.votesHidden, "A table's votes are still hidden");
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
          throw new HttpError(ErrorCode.conflict, PLENARY_CLOSED);
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

/**
 * Moves every table board whose votes are still hidden to `reveal`, as the facilitator, through the
 * board command path. Checks every board (and the plenary board) before moving any, so a locked
 * one refuses the whole roll-up with nothing revealed.
 */
async function revealTables(
  deps: RollUpDeps,
  user: User,
  runId: string,
  tables: readonly TableRow[],
  labels: Labels,
  plenaryOpen: boolean,
): Promise<void> {
  const hidden: { boardId: BoardId; name: string }[] = [];
  for (const table of tables) {
    if (!table.boardId) continue;
    const loaded = await deps.store.load(table.boardId);
    if (!loaded || areVotesVisible(loaded.state)) continue;
    const name = labels.table(table.number, table.topic);
    if (loaded.state.locked)
      throw new HttpError(
        ErrorCode.votesHidden,
        `The board of ${name} is locked with its votes hidden: unlock it before rolling up (the roll-up reveals each table's votes)`,
      );
    hidden.push({ boardId: table.boardId as BoardId, name });
  }
  // Nothing is revealed for a roll-up that could not copy anything.
  if (hidden.length > 0 && !plenaryOpen) throw new HttpError(ErrorCode.conflict, PLENARY_CLOSED);
  for (const { boardId, name } of hidden) {
    const ack = await deps.commands.run(
      {
        type: "setPhase",
        clientOpId: derivedUuid(`rollup-reveal:${runId}:${boardId}`),
        boardId,
        phase: "reveal",
      },
      { participantId: user.id as string as ParticipantId, role: "facilitator" },
    );
    // `invalid_transition`: someone revealed (or closed) it meanwhile, which is what we wanted.
    if (ack.ok || ack.code === "invalid_transition") continue;
    if (ack.code === "board_locked")
      throw new HttpError(ErrorCode.votesHidden, `The board of ${name} was locked while rolling up`);
    throw new HttpError(ack.code === ErrorCode.internal ? ErrorCode.internal : ErrorCode.conflict, ack.code);
  }
}
