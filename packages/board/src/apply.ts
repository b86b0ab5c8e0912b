// The reducer: the only code that changes board state. `decide` emits events and folds them
// through here, so a server that replays its stored events rebuilds exactly the same state (B29).
import type { BoardReaction, IdeaId, ParticipantId } from "@convivio/protocol";
import type { BoardEvent } from "./events.js";
import { mergeVoteLedger } from "./merge.js";
import { filterValues, lookup, mapValues, withEntry, withoutEntry } from "./records.js";
import type { BoardState, Idea } from "./state.js";
import { adjustVotes, areVotesVisible, dropVotesOn } from "./votes.js";

/** Thrown when an event does not fit the state: the event log and the state have diverged. */
export class BoardInvariantError extends Error {
  override name = "BoardInvariantError";
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new BoardInvariantError(`event refers to a missing ${what}`);
  return value;
}

function assertNever(value: never): never {
  throw new BoardInvariantError(`unknown event ${JSON.stringify(value)}`);
}

/** B29: whether an event advances the board revision; a vote nobody else may see does not. */
function advancesSeq(state: BoardState, event: BoardEvent): boolean {
  if (event.type === "voteCast" || event.type === "voteRetracted") return areVotesVisible(state);
  return true;
}

/** The state after one event. Never mutates `state`; throws BoardInvariantError on a foreign event. */
export function applyEvent(state: BoardState, event: BoardEvent): BoardState {
  const next = reduce(state, event);
  return advancesSeq(state, event) ? { ...next, seq: state.seq + 1 } : next;
}

/** The state after a sequence of events. */
export function replay(state: BoardState, events: readonly BoardEvent[]): BoardState {
  return events.reduce(applyEvent, state);
}

function updateIdea(state: BoardState, ideaId: IdeaId, change: (idea: Idea) => Idea): BoardState {
  const idea = must(lookup(state.ideas, ideaId), "idea");
  return { ...state, ideas: withEntry(state.ideas, ideaId, change(idea)) };
}

function toggleReaction(
  idea: Idea,
  reaction: BoardReaction,
  participantId: ParticipantId,
  on: boolean,
): Idea {
  const current = idea.reactions[reaction] ?? [];
  const without = current.filter((p) => p !== participantId);
  const list = on ? [...without, participantId] : without;
  return { ...idea, reactions: { ...idea.reactions, [reaction]: list } };
}

function unionReactions(target: Idea, source: Idea): Idea["reactions"] {
  const result: Partial<Record<BoardReaction, readonly ParticipantId[]>> = { ...target.reactions };
  for (const [reaction, people] of Object.entries(source.reactions) as [BoardReaction, ParticipantId[]][]) {
    const current = result[reaction] ?? [];
    result[reaction] = [...current, ...people.filter((p) => !current.includes(p))];
  }
  return result;
}

function removeIdeas(state: BoardState, ideaIds: readonly IdeaId[]): BoardState {
  const gone = new Set<string>(ideaIds);
  return {
    ...state,
    ideas: filterValues(state.ideas, (idea) => !gone.has(idea.id)),
    comments: filterValues(state.comments, (comment) => !gone.has(comment.ideaId)),
    votes: dropVotesOn(state.votes, ideaIds),
  };
}

function reduce(state: BoardState, event: BoardEvent): BoardState {
  switch (event.type) {
    case "settingsUpdated":
      return { ...state, settings: event.settings };
    case "phaseChanged":
      // B7: a phase change always clears the timer of the phase it leaves.
      return {
        ...state,
        phase: event.to,
        phaseStartedAt: event.at,
        deadlineAt: null,
        pausedRemainingMs: null,
      };
    case "timerChanged":
      return { ...state, deadlineAt: event.deadlineAt, pausedRemainingMs: event.pausedRemainingMs };
    case "boardLocked":
      return { ...state, locked: true };
    case "boardUnlocked":
      return { ...state, locked: false };
    case "ideaProposed": {
      if (lookup(state.ideas, event.ideaId) !== undefined) throw new BoardInvariantError("duplicate idea id");
      const idea: Idea = {
        id: event.ideaId,
        columnId: event.columnId,
        text: event.text,
        details: event.details,
        authorId: event.authorId,
        anonymous: event.anonymous,
        createdAt: event.at,
        updatedAt: event.at,
        groupId: null,
        hidden: null,
        mergedInto: null,
        mergedFrom: [],
        reactions: {},
      };
      return { ...state, ideas: withEntry(state.ideas, idea.id, idea) };
    }
    case "ideaEdited":
      return updateIdea(state, event.ideaId, (idea) => ({
        ...idea,
        text: event.text,
        details: event.details,
        columnId: event.columnId,
        updatedAt: event.at,
      }));
    case "ideaDeleted": {
      // B12: ideas merged into the deleted one go with it, as do all their comments.
      const idea = must(lookup(state.ideas, event.ideaId), "idea");
      return removeIdeas(state, [idea.id, ...idea.mergedFrom]);
    }
    case "commentAdded": {
      must(lookup(state.ideas, event.ideaId), "idea");
      if (lookup(state.comments, event.commentId) !== undefined)
        throw new BoardInvariantError("duplicate comment id");
      const comment = {
        id: event.commentId,
        ideaId: event.ideaId,
        authorId: event.authorId,
        anonymous: event.anonymous,
        text: event.text,
        createdAt: event.at,
      };
      return { ...state, comments: withEntry(state.comments, comment.id, comment) };
    }
    case "commentDeleted":
      must(lookup(state.comments, event.commentId), "comment");
      return { ...state, comments: withoutEntry(state.comments, event.commentId) };
    case "reactionSet":
      return updateIdea(state, event.ideaId, (idea) =>
        toggleReaction(idea, event.reaction, event.participantId, event.on),
      );
    case "ideaHidden": {
      // B15: hiding gives the idea's votes back to their voters.
      const hidden = updateIdea(state, event.ideaId, (idea) => ({
        ...idea,
        hidden: { reason: event.reason, by: event.by, at: event.at },
      }));
      return { ...hidden, votes: dropVotesOn(hidden.votes, [event.ideaId]) };
    }
    case "ideaRestored":
      return updateIdea(state, event.ideaId, (idea) => ({ ...idea, hidden: null }));
    case "groupCreated": {
      if (lookup(state.groups, event.groupId) !== undefined)
        throw new BoardInvariantError("duplicate group id");
      const group = { id: event.groupId, title: event.title, createdAt: event.at };
      return { ...state, groups: withEntry(state.groups, group.id, group) };
    }
    case "groupRenamed": {
      const group = must(lookup(state.groups, event.groupId), "group");
      return { ...state, groups: withEntry(state.groups, group.id, { ...group, title: event.title }) };
    }
    case "groupDeleted": {
      must(lookup(state.groups, event.groupId), "group");
      const ideas = mapValues(state.ideas, (idea) =>
        idea.groupId === event.groupId ? { ...idea, groupId: null } : idea,
      );
      return { ...state, ideas, groups: withoutEntry(state.groups, event.groupId) };
    }
    case "ideaGrouped":
      if (event.groupId !== null) must(lookup(state.groups, event.groupId), "group");
      return updateIdea(state, event.ideaId, (idea) => ({ ...idea, groupId: event.groupId }));
    case "ideasMerged":
      return mergeIdeas(state, event.sourceId, event.targetId, event.at);
    case "voteCast":
      must(lookup(state.ideas, event.ideaId), "idea");
      return { ...state, votes: adjustVotes(state.votes, event.participantId, event.ideaId, 1) };
    case "voteRetracted":
      return { ...state, votes: adjustVotes(state.votes, event.participantId, event.ideaId, -1) };
    default:
      return assertNever(event);
  }
}

function mergeIdeas(state: BoardState, sourceId: IdeaId, targetId: IdeaId, at: number): BoardState {
  const source = must(lookup(state.ideas, sourceId), "idea");
  const target = must(lookup(state.ideas, targetId), "idea");
  const mergedTarget: Idea = {
    ...target,
    mergedFrom: [...target.mergedFrom, source.id, ...source.mergedFrom],
    reactions: unionReactions(target, source),
    updatedAt: at,
  };
  const mergedSource: Idea = { ...source, mergedInto: target.id, groupId: null, reactions: {} };
  const ideas = withEntry(withEntry(state.ideas, source.id, mergedSource), target.id, mergedTarget);
  const comments = mapValues(state.comments, (comment) =>
    comment.ideaId === source.id ? { ...comment, ideaId: target.id } : comment,
  );
  const { votes } = mergeVoteLedger(state.votes, source.id, target.id, state.settings.maxVotesPerIdea);
  return { ...state, ideas, comments, votes };
}
