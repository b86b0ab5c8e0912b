// The board's state: plain, JSON-serialisable data that only `applyEvent` ever changes.
import type {
  BoardId,
  BoardPhase,
  BoardReaction,
  BoardRole,
  BoardSettings,
  ColumnId,
  CommentId,
  GroupId,
  IdeaId,
  Moderation,
  ParticipantId,
} from "@convivio/protocol";

export interface Idea {
  readonly id: IdeaId;
  readonly columnId: ColumnId;
  readonly text: string;
  readonly details: string | null;
  /** Always stored, even for anonymous ideas; projections decide who may see it (B25). */
  readonly authorId: ParticipantId;
  /** Fixed when the idea is proposed (B4). */
  readonly anonymous: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly groupId: GroupId | null;
  readonly hidden: Moderation | null;
  /** Set once the idea has been merged into another; it then no longer takes part in anything. */
  readonly mergedInto: IdeaId | null;
  /** Every idea merged into this one, directly or through a chain. */
  readonly mergedFrom: readonly IdeaId[];
  /** Who reacted with which key, in the order they reacted. */
  readonly reactions: Readonly<Partial<Record<BoardReaction, readonly ParticipantId[]>>>;
}

export interface IdeaComment {
  readonly id: CommentId;
  readonly ideaId: IdeaId;
  readonly authorId: ParticipantId;
  readonly anonymous: boolean;
  readonly text: string;
  readonly createdAt: number;
}

export interface Group {
  readonly id: GroupId;
  readonly title: string;
  readonly createdAt: number;
}

/** One participant's votes per idea; entries are never zero. */
export type ParticipantVotes = Readonly<Record<IdeaId, number>>;

/**
 * Votes per participant per idea, the participants spread over buckets by the last two characters
 * of their id (`voteBucketOf`): a vote copies one bucket and the bucket index, not every voter, so
 * its cost stays flat as a board grows to thousands of voters. Read and change it only through
 * votes.ts. Empty ledgers and empty buckets are dropped.
 */
export type VoteLedger = Readonly<Record<string, Readonly<Record<ParticipantId, ParticipantVotes>>>>;

export interface BoardState {
  readonly id: BoardId;
  /** Board revision: advances with every event an audience can see (B29), never with a hidden vote. */
  readonly seq: number;
  readonly createdAt: number;
  readonly settings: BoardSettings;
  readonly phase: BoardPhase;
  readonly phaseStartedAt: number;
  readonly locked: boolean;
  /** Epoch ms when the running phase timer ends; null when no timer runs. */
  readonly deadlineAt: number | null;
  /** Time left on a paused timer; null unless paused. At most one of the two is set. */
  readonly pausedRemainingMs: number | null;
  readonly ideas: Readonly<Record<IdeaId, Idea>>;
  readonly comments: Readonly<Record<CommentId, IdeaComment>>;
  readonly groups: Readonly<Record<GroupId, Group>>;
  readonly votes: VoteLedger;
}

/** Who issues a command: a person with a board role, or the server's own timer job. */
export type ActorRole = BoardRole | "system";

/** Everything a command needs from outside: who, when, and fresh ids. */
export interface DecideContext {
  /** The participant issuing the command; null only for the system. */
  readonly actor: ParticipantId | null;
  readonly role: ActorRole;
  /** Epoch milliseconds. */
  readonly now: number;
  /** A fresh UUID each call; called once per created idea, comment or group. */
  readonly newId: () => string;
}

/** Who a projection is for; `participantId: null` is a whole audience (a broadcast). */
export interface Viewer {
  readonly participantId: ParticipantId | null;
  readonly role: BoardRole;
}

/** Whether an idea still takes part in the board (not merged away). */
export function isAlive(idea: Idea): boolean {
  return idea.mergedInto === null;
}

/** Whether an audience with this role sees the idea at all (B26). */
export function isVisibleTo(idea: Idea, role: BoardRole): boolean {
  return isAlive(idea) && (idea.hidden === null || role === "facilitator");
}
