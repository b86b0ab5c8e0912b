// What the board page derives from a view: what this person may do now (the same rules the server
// applies, so the page offers only what will be accepted), the ideas of each column in order,
// the ranking, and the phase timer. The server still decides every command.
import { rankIdeas } from "@convivio/board";
import {
  BOARD_PHASES,
  type BoardMeta,
  type BoardPhase,
  type BoardRole,
  type BoardView,
  type ColumnId,
  type GroupView,
  type IdeaId,
  type IdeaView,
  type ParticipantId,
} from "@convivio/protocol";

export interface Abilities {
  propose: boolean;
  vote: boolean;
  retract: boolean;
  comment: boolean;
  react: boolean;
  /** Create, rename and delete groups, and put ideas into them. */
  group: boolean;
  merge: boolean;
  moderate: boolean;
  settings: boolean;
  timer: boolean;
  phase: boolean;
  lock: boolean;
}

const isFacilitator = (role: BoardRole) => role === "facilitator";

/** What the viewer may do on the board as it is now (SPEC B3-B20). */
export function abilitiesOf(view: BoardView, role: BoardRole): Abilities {
  const { phase, locked, settings } = view.meta;
  const facilitator = isFacilitator(role);
  const open = !locked;
  return {
    propose: open && phase === "collect" && (facilitator || settings.whoMayPropose === "everyone"),
    vote: open && phase === "vote",
    retract: open && phase === "vote" && settings.allowRetract,
    comment: open && phase !== "closed",
    react: open && phase !== "closed",
    group: facilitator && open && phase === "group",
    merge: facilitator && open && (phase === "group" || phase === "vote"),
    moderate: facilitator && open,
    settings: facilitator && open && (phase === "collect" || phase === "group"),
    timer: facilitator && open && phase !== "closed",
    phase: facilitator && open && phase !== "closed",
    lock: facilitator,
  };
}

export function isOwnIdea(view: BoardView, ideaId: IdeaId): boolean {
  return view.self?.ownIdeaIds.includes(ideaId) ?? false;
}

/** B11/B12: authors during collect, facilitators during collect and group. */
export function canEditIdea(view: BoardView, role: BoardRole, idea: IdeaView): boolean {
  const { phase, locked } = view.meta;
  if (locked || idea.hidden) return false;
  if (isFacilitator(role)) return phase === "collect" || phase === "group";
  return phase === "collect" && isOwnIdea(view, idea.id);
}

export function canDeleteIdea(view: BoardView, role: BoardRole, idea: IdeaView): boolean {
  if (idea.hidden) return isFacilitator(role) && !view.meta.locked;
  return canEditIdea(view, role, idea);
}

export function canDeleteComment(view: BoardView, role: BoardRole, commentId: string): boolean {
  if (view.meta.locked) return false;
  return isFacilitator(role) || (view.self?.ownCommentIds.includes(commentId as never) ?? false);
}

/** Total votes of an idea, when counts are visible. */
export function votesOf(view: BoardView, ideaId: IdeaId): number | null {
  if (view.tallies === null) return null;
  return view.tallies[ideaId] ?? 0;
}

export function myVotesOn(view: BoardView, ideaId: IdeaId): number {
  return view.self?.votes[ideaId] ?? 0;
}

function byCreation(a: IdeaView, b: IdeaView): number {
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Ideas the results count: not hidden (merged ones are never in a view). */
export function rankableIdeas(view: BoardView): IdeaView[] {
  return Object.values(view.ideas).filter((idea) => idea.hidden === null);
}

export interface RankedIdea {
  idea: IdeaView;
  votes: number;
  rank: number;
}

/** B21: most votes first, then the earliest; null while votes are hidden. */
export function rankedIdeas(view: BoardView, columnId?: ColumnId): RankedIdea[] | null {
  if (view.tallies === null) return null;
  const tallies = view.tallies;
  const entries = rankableIdeas(view)
    .filter((idea) => columnId === undefined || idea.columnId === columnId)
    .map((idea) => ({ idea, id: idea.id, createdAt: idea.createdAt, votes: tallies[idea.id] ?? 0 }));
  return rankIdeas(entries).map(({ idea, votes }, index) => ({ idea, votes, rank: index + 1 }));
}

export interface IdeaSection {
  group: GroupView | null;
  ideas: IdeaView[];
}

/** All groups in the order they were created. */
export function groupsInOrder(view: BoardView): GroupView[] {
  return Object.values(view.groups).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

/**
 * The ideas of one column, in sections by group (groups in creation order, ungrouped last).
 * Once counts are visible and the board is past voting, ideas are ranked; before, they keep the
 * order they were proposed in, so nothing jumps around while people read.
 */
export function columnSections(view: BoardView, columnId: ColumnId): IdeaSection[] {
  const ideas = Object.values(view.ideas).filter((idea) => idea.columnId === columnId);
  const ranked = view.tallies !== null && (view.meta.phase === "reveal" || view.meta.phase === "closed");
  let ordered: IdeaView[];
  if (ranked) {
    const tallies = view.tallies ?? {};
    ordered = rankIdeas(
      ideas.map((idea) => ({ idea, id: idea.id, createdAt: idea.createdAt, votes: tallies[idea.id] ?? 0 })),
    ).map((entry) => entry.idea);
  } else {
    ordered = [...ideas].sort(byCreation);
  }
  const sections: IdeaSection[] = [];
  for (const group of groupsInOrder(view)) {
    const inGroup = ordered.filter((idea) => idea.groupId === group.id);
    if (inGroup.length > 0) sections.push({ group, ideas: inGroup });
  }
  const loose = ordered.filter((idea) => idea.groupId === null || view.groups[idea.groupId] === undefined);
  if (loose.length > 0 || sections.length === 0) sections.push({ group: null, ideas: loose });
  return sections;
}

export function countIdeasInColumn(view: BoardView, columnId: ColumnId): number {
  return Object.values(view.ideas).filter((idea) => idea.columnId === columnId).length;
}

/** The phase after this one, or null after closed. */
export function nextPhaseOf(phase: BoardPhase): BoardPhase | null {
  return BOARD_PHASES[BOARD_PHASES.indexOf(phase) + 1] ?? null;
}

export function phasesAfter(phase: BoardPhase): BoardPhase[] {
  return BOARD_PHASES.slice(BOARD_PHASES.indexOf(phase) + 1);
}

export type TimerState =
  { kind: "none" } | { kind: "running"; leftMs: number } | { kind: "paused"; leftMs: number };

/** The phase timer at `nowMs` (server time). */
export function timerState(meta: BoardMeta, nowMs: number): TimerState {
  if (meta.deadlineAt !== null) return { kind: "running", leftMs: Math.max(0, meta.deadlineAt - nowMs) };
  if (meta.pausedRemainingMs !== null) return { kind: "paused", leftMs: meta.pausedRemainingMs };
  return { kind: "none" };
}

/** "4:05", or "1:02:03" past an hour; whole seconds, rounded up so 0:00 means time is up. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${ss}` : `${minutes}:${ss}`;
}

const COLUMN_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** A column id for a new column: from its title, else a numbered one, never one already used. */
export function newColumnId(title: string, taken: readonly string[]): ColumnId {
  const base =
    title
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 24) || "column";
  const start = COLUMN_ID.test(base) ? base : "column";
  let candidate = start;
  for (let n = 2; taken.includes(candidate); n++) candidate = `${start}-${n}`;
  return candidate as ColumnId;
}

/** The authors the view names (anonymous ones are already null in it, but for the viewer's own). */
export function authorIdsOf(view: BoardView): ParticipantId[] {
  const ids = new Set<ParticipantId>();
  for (const idea of Object.values(view.ideas)) if (idea.authorId) ids.add(idea.authorId);
  for (const comment of Object.values(view.comments)) if (comment.authorId) ids.add(comment.authorId);
  return [...ids];
}

/**
 * Whether the names should be fetched again: the view shows an author without a name who was not
 * in the view when the names were last asked for (the server names everyone in the view it sees, so
 * asking again for an id it already left out would only repeat the answer).
 */
export function needsPeople(
  view: BoardView,
  names: ReadonlyMap<ParticipantId, string>,
  asked: ReadonlySet<ParticipantId>,
): boolean {
  return authorIdsOf(view).some((id) => !names.has(id) && !asked.has(id));
}
