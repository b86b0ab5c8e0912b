// Projections (B23-B26): what one viewer, or a whole audience, may see of a board.
//   - Vote counts only when votes are visible; before reveal nobody, facilitators included,
//     sees any count but their own.
//   - Voters are never named: views carry totals and the viewer's own votes only.
//   - An anonymous idea's or comment's author reaches only that author.
//   - Hidden ideas (and their comments) reach facilitators only, with the reason.
// A viewer's view is the audience view of their role plus their own part (`self`), so a client
// can keep it up to date from audience patches and self updates (patch.ts).
import { BOARD_REACTIONS } from "@convivio/protocol";
import type {
  BoardMeta,
  BoardReaction,
  BoardRole,
  BoardSelf,
  BoardView,
  CommentId,
  CommentView,
  GroupId,
  GroupView,
  IdeaId,
  IdeaView,
  ParticipantId,
} from "@convivio/protocol";
import { lookup, mapValues, valuesOf } from "./records.js";
import type { BoardState, Idea, IdeaComment, Viewer } from "./state.js";
import { isVisibleTo } from "./state.js";
import { areVotesVisible, remainingBudget, tallies, votesOf } from "./votes.js";

/** The board-wide settings and clock, as every viewer sees them. */
export function metaOf(state: BoardState): BoardMeta {
  return {
    phase: state.phase,
    phaseStartedAt: state.phaseStartedAt,
    locked: state.locked,
    deadlineAt: state.deadlineAt,
    pausedRemainingMs: state.pausedRemainingMs,
    settings: state.settings,
    votesVisible: areVotesVisible(state),
  };
}

function ideaView(idea: Idea, role: BoardRole): IdeaView {
  const reactions = Object.fromEntries(
    BOARD_REACTIONS.map((key) => [key, idea.reactions[key]?.length ?? 0]),
  ) as Record<BoardReaction, number>;
  return {
    id: idea.id,
    columnId: idea.columnId,
    text: idea.text,
    details: idea.details,
    authorId: idea.anonymous ? null : idea.authorId,
    anonymous: idea.anonymous,
    createdAt: idea.createdAt,
    updatedAt: idea.updatedAt,
    groupId: idea.groupId,
    mergedCount: idea.mergedFrom.length,
    reactions,
    hidden: role === "facilitator" ? idea.hidden : null,
  };
}

function commentView(comment: IdeaComment): CommentView {
  return {
    id: comment.id,
    ideaId: comment.ideaId,
    authorId: comment.anonymous ? null : comment.authorId,
    anonymous: comment.anonymous,
    text: comment.text,
    createdAt: comment.createdAt,
  };
}

function visibleComments(state: BoardState, role: BoardRole): IdeaComment[] {
  return valuesOf(state.comments).filter((comment) => {
    const idea = lookup(state.ideas, comment.ideaId);
    return idea !== undefined && isVisibleTo(idea, role);
  });
}

/** What every viewer with this role may see, with nobody's personal part: what a broadcast carries. */
export function audienceView(state: BoardState, role: BoardRole): BoardView {
  const ideas = valuesOf(state.ideas).filter((idea) => isVisibleTo(idea, role));
  const visibleIds = new Set<string>(ideas.map((idea) => idea.id));
  let shownTallies: Record<IdeaId, number> | null = null;
  if (areVotesVisible(state)) {
    const totals = Object.entries(tallies(state)).filter(([ideaId]) => visibleIds.has(ideaId));
    shownTallies = Object.fromEntries(totals) as Record<IdeaId, number>;
  }
  return {
    boardId: state.id,
    seq: state.seq,
    meta: metaOf(state),
    ideas: Object.fromEntries(ideas.map((idea) => [idea.id, ideaView(idea, role)])) as Record<
      IdeaId,
      IdeaView
    >,
    comments: Object.fromEntries(
      visibleComments(state, role).map((comment) => [comment.id, commentView(comment)]),
    ) as Record<CommentId, CommentView>,
    groups: Object.fromEntries(
      valuesOf(state.groups).map((group): [GroupId, GroupView] => [
        group.id,
        { id: group.id, title: group.title, createdAt: group.createdAt },
      ]),
    ) as Record<GroupId, GroupView>,
    tallies: shownTallies,
    self: null,
  };
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** B23: the viewer's own votes, budget left, own ideas, comments and reactions. */
export function selfView(
  state: BoardState,
  viewer: { participantId: ParticipantId; role: BoardRole },
): BoardSelf {
  const me = viewer.participantId;
  const ideas = valuesOf(state.ideas).filter((idea) => isVisibleTo(idea, viewer.role));
  const reactions: [IdeaId, BoardReaction[]][] = [];
  for (const idea of ideas) {
    const mine = BOARD_REACTIONS.filter((key) => idea.reactions[key]?.includes(me) ?? false);
    if (mine.length > 0) reactions.push([idea.id, mine]);
  }
  return {
    participantId: me,
    votes: { ...votesOf(state, me) },
    remaining: remainingBudget(state, me),
    ownIdeaIds: ideas
      .filter((idea) => idea.authorId === me)
      .map((idea) => idea.id)
      .sort(byId),
    ownCommentIds: visibleComments(state, viewer.role)
      .filter((comment) => comment.authorId === me)
      .map((comment) => comment.id)
      .sort(byId),
    reactions: Object.fromEntries(reactions) as Record<IdeaId, BoardReaction[]>,
  };
}

/**
 * Put the viewer's own part into a view: `self`, and the author of the viewer's own anonymous
 * ideas and comments (B25: the author themself may know); every other anonymous author is null.
 */
export function personalize(view: BoardView, self: BoardSelf | null): BoardView {
  const me = self?.participantId ?? null;
  const ownIdeas = new Set<string>(self?.ownIdeaIds ?? []);
  const ownComments = new Set<string>(self?.ownCommentIds ?? []);
  const ideas = mapValues(view.ideas, (idea) =>
    idea.anonymous ? { ...idea, authorId: ownIdeas.has(idea.id) ? me : null } : idea,
  );
  const comments = mapValues(view.comments, (comment) =>
    comment.anonymous ? { ...comment, authorId: ownComments.has(comment.id) ? me : null } : comment,
  );
  return { ...view, ideas, comments, self };
}

/** The whole board as one viewer may see it (B23-B26): what a snapshot carries. */
export function viewFor(state: BoardState, viewer: Viewer): BoardView {
  const audience = audienceView(state, viewer.role);
  if (viewer.participantId === null) return audience;
  return personalize(audience, selfView(state, { participantId: viewer.participantId, role: viewer.role }));
}

/** The snapshot a joining viewer receives. */
export function snapshot(state: BoardState, viewer: Viewer): BoardView {
  return viewFor(state, viewer);
}
