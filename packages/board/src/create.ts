import { BoardSettings } from "@convivio/protocol";
import type { BoardId, BoardSettingsInput } from "@convivio/protocol";
import type { BoardState } from "./state.js";

/**
 * A new board in the collect phase (B1). Settings get their defaults (B2); invalid settings throw,
 * because the edge has already parsed them with the same schema.
 */
export function createBoard(settings: BoardSettingsInput, init: { id: BoardId; now: number }): BoardState {
  return {
    id: init.id,
    seq: 0,
    createdAt: init.now,
    settings: BoardSettings.parse(settings),
    phase: "collect",
    phaseStartedAt: init.now,
    locked: false,
    deadlineAt: null,
    pausedRemainingMs: null,
    ideas: {},
    comments: {},
    groups: {},
    votes: {},
  };
}
