// @convivio/board: the pure rules of the live idea board (see SPEC.md). No I/O: clocks and ids
// are passed in, so the same code runs on the server, in the browser and in tests.
export type {
  BoardState,
  Idea,
  IdeaComment,
  Group,
  VoteLedger,
  ParticipantVotes,
  DecideContext,
  ActorRole,
  Viewer,
} from "./state.js";
export { isAlive, isVisibleTo } from "./state.js";
export type { BoardEvent, BoardEventType } from "./events.js";
export type { Command, CommandType, CommandOf, TimerExpiredCommand } from "./commands.js";
export { createBoard } from "./create.js";
export { createdIdOf, decide } from "./decide.js";
export type { DecideResult } from "./decide.js";
export { applyEvent, replay, BoardInvariantError } from "./apply.js";
export { phaseIndex, nextPhase, isTimerRunning, timeLeftMs, isStaleExpiry } from "./phases.js";
export {
  areVotesVisible,
  votesOf,
  ledgerVotesOf,
  voters,
  ledgerFrom,
  voteBucketOf,
  upgradeState,
  spentBy,
  remainingBudget,
  tallies,
} from "./votes.js";
export { mergeVoteLedger } from "./merge.js";
export type { VoteMerge } from "./merge.js";
export { compareForRanking, rankIdeas, rankedIdeas } from "./ranking.js";
export type { Rankable } from "./ranking.js";
export { metaOf, audienceView, selfView, personalize, viewFor, snapshot } from "./view.js";
export { diffViews, applyPatch, applySelf } from "./patch.js";
export type { PatchOutcome } from "./patch.js";
export { resultsFor } from "./results.js";
export { csvCell, markdownCell, toCsv, toJson, toMarkdown } from "./export.js";
export type { ExportOptions } from "./export.js";
export { jsonEqual } from "./records.js";
