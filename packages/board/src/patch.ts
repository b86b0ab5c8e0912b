// Patches (B27): the server sends each audience the difference between two of its views, with
// absolute values only, so applying a patch never depends on having seen the events behind it.
// Each viewer's own part travels separately as a self update to that viewer alone.
import type { BoardChange, BoardPatch, BoardSelfUpdate, BoardView, IdeaId } from "@convivio/protocol";
import { entriesOf, jsonEqual, lookup, withEntry, withoutEntry } from "./records.js";
import { personalize } from "./view.js";

function diffRecords<K extends string, V>(
  prev: Readonly<Record<K, V>>,
  next: Readonly<Record<K, V>>,
  upsert: (value: V) => BoardChange,
  remove: (key: K) => BoardChange,
): { upserts: BoardChange[]; removals: BoardChange[] } {
  const upserts: BoardChange[] = [];
  const removals: BoardChange[] = [];
  for (const [key, value] of entriesOf(next)) {
    const before = lookup(prev, key);
    if (before === undefined || !jsonEqual(before, value)) upserts.push(upsert(value));
  }
  for (const [key] of entriesOf(prev)) {
    if (lookup(next, key) === undefined) removals.push(remove(key));
  }
  return { upserts, removals };
}

function diffTallies(
  prev: BoardView["tallies"],
  next: BoardView["tallies"],
): Record<IdeaId, number> | null | undefined {
  if (next === null) return prev === null ? undefined : null;
  if (prev === null) return { ...next };
  const changed = new Map<IdeaId, number>();
  for (const [ideaId, count] of entriesOf(next))
    if (lookup(prev, ideaId) !== count) changed.set(ideaId, count);
  for (const [ideaId] of entriesOf(prev)) if (lookup(next, ideaId) === undefined) changed.set(ideaId, 0);
  return changed.size === 0 ? undefined : (Object.fromEntries(changed) as Record<IdeaId, number>);
}

/**
 * The patch that takes an audience from `prev` to `next` (two `audienceView`s of the same role),
 * or null when the board has not moved.
 */
export function diffViews(prev: BoardView, next: BoardView): BoardPatch | null {
  if (next.seq <= prev.seq) return null;
  const groups = diffRecords(
    prev.groups,
    next.groups,
    (group) => ({ type: "groupUpserted", group }),
    (groupId) => ({ type: "groupRemoved", groupId }),
  );
  const ideas = diffRecords(
    prev.ideas,
    next.ideas,
    (idea) => ({ type: "ideaUpserted", idea }),
    (ideaId) => ({ type: "ideaRemoved", ideaId }),
  );
  const comments = diffRecords(
    prev.comments,
    next.comments,
    (comment) => ({ type: "commentUpserted", comment }),
    (commentId) => ({ type: "commentRemoved", commentId }),
  );
  const changes: BoardChange[] = [
    ...(jsonEqual(prev.meta, next.meta) ? [] : [{ type: "meta", meta: next.meta } as const]),
    ...groups.upserts,
    ...ideas.upserts,
    ...comments.upserts,
    ...comments.removals,
    ...ideas.removals,
    ...groups.removals,
  ];
  const patch: BoardPatch = { boardId: next.boardId, fromSeq: prev.seq + 1, toSeq: next.seq, changes };
  const tallies = diffTallies(prev.tallies, next.tallies);
  return tallies === undefined ? patch : { ...patch, tallies };
}

function applyChange(view: BoardView, change: BoardChange): BoardView {
  switch (change.type) {
    case "meta":
      return { ...view, meta: change.meta };
    case "ideaUpserted":
      return { ...view, ideas: withEntry(view.ideas, change.idea.id, change.idea) };
    case "ideaRemoved":
      return { ...view, ideas: withoutEntry(view.ideas, change.ideaId) };
    case "commentUpserted":
      return { ...view, comments: withEntry(view.comments, change.comment.id, change.comment) };
    case "commentRemoved":
      return { ...view, comments: withoutEntry(view.comments, change.commentId) };
    case "groupUpserted":
      return { ...view, groups: withEntry(view.groups, change.group.id, change.group) };
    case "groupRemoved":
      return { ...view, groups: withoutEntry(view.groups, change.groupId) };
  }
}

function applyTallies(current: BoardView["tallies"], patch: BoardPatch): BoardView["tallies"] {
  if (patch.tallies === undefined) return current;
  if (patch.tallies === null) return null;
  let next: Record<IdeaId, number> = current ?? {};
  for (const [ideaId, count] of entriesOf(patch.tallies)) {
    next = count === 0 ? withoutEntry(next, ideaId) : withEntry(next, ideaId, count);
  }
  return next;
}

/** What happened to a patch: applied, already covered (`stale`), or a `gap` that needs a resync. */
export type PatchOutcome = { status: "applied"; view: BoardView } | { status: "stale" } | { status: "gap" };

/** B27: apply an audience patch to a client's view; only the patch right after `view.seq` applies. */
export function applyPatch(view: BoardView, patch: BoardPatch): PatchOutcome {
  if (patch.boardId !== view.boardId || patch.toSeq <= view.seq) return { status: "stale" };
  if (patch.fromSeq !== view.seq + 1) return { status: "gap" };
  const changed = patch.changes.reduce(applyChange, view);
  const next = { ...changed, seq: patch.toSeq, tallies: applyTallies(view.tallies, patch) };
  return { status: "applied", view: personalize(next, view.self) };
}

/** B27: replace the viewer's own part of a view with a newer self update. */
export function applySelf(view: BoardView, update: BoardSelfUpdate): BoardView {
  if (update.boardId !== view.boardId) return view;
  return personalize(view, update.self);
}
