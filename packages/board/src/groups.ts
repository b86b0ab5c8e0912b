// Grouping (B16): during the group phase facilitators gather ideas under titled groups.
import { BOARD_LIMITS, BoardErrorCode } from "@convivio/protocol";
import type { GroupId } from "@convivio/protocol";
import type { CommandOf } from "./commands.js";
import { lookup } from "./records.js";
import type { BoardState } from "./state.js";
import { emit, findIdea, fitsLength, refuse } from "./verdict.js";
import type { Env, Verdict } from "./verdict.js";

type GroupCommand = CommandOf<"createGroup" | "renameGroup" | "deleteGroup" | "setIdeaGroup">;

/** B16: create, rename or delete a group, or put an idea in a group (or out of every group). */
export function decideGroup(state: BoardState, command: GroupCommand, env: Env): Verdict {
  if (!env.actor.facilitator) return refuse(BoardErrorCode.forbidden);
  if (state.phase !== "group") return refuse(BoardErrorCode.wrongPhase);
  switch (command.type) {
    case "createGroup": {
      const title = command.title.trim();
      if (!fitsLength(title, BOARD_LIMITS.groupTitleMaxLength)) return refuse(BoardErrorCode.invalidInput);
      if (Object.keys(state.groups).length >= BOARD_LIMITS.maxGroups)
        return refuse(BoardErrorCode.limitReached);
      return emit({ type: "groupCreated", groupId: env.newId() as GroupId, title, at: env.now });
    }
    case "renameGroup": {
      const group = lookup(state.groups, command.groupId);
      if (group === undefined) return refuse(BoardErrorCode.notFound);
      const title = command.title.trim();
      if (!fitsLength(title, BOARD_LIMITS.groupTitleMaxLength)) return refuse(BoardErrorCode.invalidInput);
      return title === group.title ? emit() : emit({ type: "groupRenamed", groupId: group.id, title });
    }
    case "deleteGroup": {
      const group = lookup(state.groups, command.groupId);
      if (group === undefined) return refuse(BoardErrorCode.notFound);
      return emit({ type: "groupDeleted", groupId: group.id });
    }
    case "setIdeaGroup": {
      const idea = findIdea(state, command.ideaId, env.actor);
      if (typeof idea === "string") return refuse(idea);
      if (command.groupId !== null && lookup(state.groups, command.groupId) === undefined) {
        return refuse(BoardErrorCode.notFound);
      }
      if (idea.groupId === command.groupId) return emit();
      return emit({ type: "ideaGrouped", ideaId: idea.id, groupId: command.groupId });
    }
  }
}
