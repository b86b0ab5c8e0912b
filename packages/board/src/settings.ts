// Changing settings (B3): facilitators only, before voting starts, and never into an invalid board.
import { BoardErrorCode, BoardSettings } from "@convivio/protocol";
import type { CommandOf } from "./commands.js";
import { jsonEqual, valuesOf } from "./records.js";
import type { BoardState } from "./state.js";
import { emit, inPhase, refuse } from "./verdict.js";
import type { Env, Verdict } from "./verdict.js";

/** B3: merge a settings change into the current settings and check the result as a whole. */
export function decideUpdateSettings(
  state: BoardState,
  command: CommandOf<"updateSettings">,
  env: Env,
): Verdict {
  if (!env.actor.facilitator) return refuse(BoardErrorCode.forbidden);
  if (!inPhase(state, "collect", "group")) return refuse(BoardErrorCode.wrongPhase);
  const defined = Object.fromEntries(
    Object.entries(command.settings).filter(([, value]) => value !== undefined),
  );
  const parsed = BoardSettings.safeParse({ ...state.settings, ...defined });
  if (!parsed.success) return refuse(BoardErrorCode.invalidInput);
  const settings = parsed.data;
  const columnIds = new Set<string>(settings.columns.map((column) => column.id));
  if (valuesOf(state.ideas).some((idea) => !columnIds.has(idea.columnId)))
    return refuse(BoardErrorCode.columnInUse);
  if (jsonEqual(settings, state.settings)) return emit();
  return emit({ type: "settingsUpdated", settings });
}
