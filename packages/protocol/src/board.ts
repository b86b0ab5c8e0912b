// The live idea board on the wire: ids, settings, the commands a client sends, the acks, and the
// views, patches and results the server sends back. The rules live in @convivio/board (SPEC.md);
// the protocol is described in PROTOCOL.md.
import { z } from "zod";
import { ErrorCode } from "./errors.js";

const uuidBrand = <B extends string>(_brand: B) => z.uuid().brand<B>();

export const BoardId = uuidBrand("BoardId");
export type BoardId = z.infer<typeof BoardId>;
export const IdeaId = uuidBrand("IdeaId");
export type IdeaId = z.infer<typeof IdeaId>;
export const GroupId = uuidBrand("GroupId");
export type GroupId = z.infer<typeof GroupId>;
export const CommentId = uuidBrand("CommentId");
export type CommentId = z.infer<typeof CommentId>;
/** A person on a board (the server maps its user or guest to one). */
export const ParticipantId = uuidBrand("ParticipantId");
export type ParticipantId = z.infer<typeof ParticipantId>;
/** A column key chosen by the facilitator, stable across renames. */
export const ColumnId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "1-32 lowercase letters, digits, - or _")
  .brand<"ColumnId">();
export type ColumnId = z.infer<typeof ColumnId>;

/** Length and count limits, shared by the schemas and the board rules. */
export const BOARD_LIMITS = {
  ideaTextMaxLength: 500,
  ideaDetailsMaxLength: 2000,
  commentMaxLength: 1000,
  groupTitleMaxLength: 120,
  reasonMaxLength: 300,
  columnTitleMaxLength: 80,
  columnPromptMaxLength: 300,
  maxColumns: 12,
  voteBudgetMax: 100,
  timerMinMs: 1_000,
  timerMaxMs: 86_400_000,
  maxIdeas: 1_000,
  maxCommentsPerIdea: 200,
  maxGroups: 200,
} as const;

export const BOARD_PHASES = ["collect", "group", "vote", "reveal", "closed"] as const;
export const BoardPhase = z.enum(BOARD_PHASES);
export type BoardPhase = z.infer<typeof BoardPhase>;

/** The fixed set of reactions; the client maps each key to an emoji. */
export const BOARD_REACTIONS = ["thumbsUp", "heart", "lightbulb", "question", "celebrate"] as const;
export const BoardReaction = z.enum(BOARD_REACTIONS);
export type BoardReaction = z.infer<typeof BoardReaction>;

/** Role on one board; the server derives it from the event role (organizers act as facilitators). */
export const BoardRole = z.enum(["facilitator", "participant"]);
export type BoardRole = z.infer<typeof BoardRole>;

export const ProposerPolicy = z.enum(["everyone", "facilitators"]);
export type ProposerPolicy = z.infer<typeof ProposerPolicy>;

const requiredText = (max: number) => z.string().trim().min(1).max(max);
export const IdeaText = requiredText(BOARD_LIMITS.ideaTextMaxLength);
export const IdeaDetails = z.string().trim().max(BOARD_LIMITS.ideaDetailsMaxLength);
export const CommentText = requiredText(BOARD_LIMITS.commentMaxLength);
export const GroupTitle = requiredText(BOARD_LIMITS.groupTitleMaxLength);
export const ModerationReason = requiredText(BOARD_LIMITS.reasonMaxLength);

export const BoardColumn = z.strictObject({
  id: ColumnId,
  title: requiredText(BOARD_LIMITS.columnTitleMaxLength),
  prompt: z.string().trim().max(BOARD_LIMITS.columnPromptMaxLength).default(""),
});
export type BoardColumn = z.infer<typeof BoardColumn>;

const BoardColumns = z
  .array(BoardColumn)
  .min(1)
  .max(BOARD_LIMITS.maxColumns)
  .refine(
    (columns) => new Set(columns.map((c) => c.id)).size === columns.length,
    "column ids must be unique",
  );

const VoteBudget = z.number().int().min(1).max(BOARD_LIMITS.voteBudgetMax);

/** Board settings with their defaults (5 votes, at most 3 on one idea, votes hidden until reveal). */
export const BoardSettings = z
  .strictObject({
    columns: BoardColumns.default([{ id: "ideas" as ColumnId, title: "Ideas", prompt: "" }]),
    anonymousIdeas: z.boolean().default(false),
    voteBudget: VoteBudget.default(5),
    maxVotesPerIdea: VoteBudget.default(3),
    allowRetract: z.boolean().default(true),
    hideVotesUntilReveal: z.boolean().default(true),
    whoMayPropose: ProposerPolicy.default("everyone"),
  })
  .refine((s) => s.maxVotesPerIdea <= s.voteBudget, {
    message: "maxVotesPerIdea must not exceed voteBudget",
    path: ["maxVotesPerIdea"],
  });
export type BoardSettings = z.infer<typeof BoardSettings>;
export type BoardSettingsInput = z.input<typeof BoardSettings>;
export const DEFAULT_BOARD_SETTINGS: BoardSettings = BoardSettings.parse({});

/** A change to some settings; the merged result must still satisfy `BoardSettings`. */
export const BoardSettingsPatch = z.strictObject({
  columns: BoardColumns.optional(),
  anonymousIdeas: z.boolean().optional(),
  voteBudget: VoteBudget.optional(),
  maxVotesPerIdea: VoteBudget.optional(),
  allowRetract: z.boolean().optional(),
  hideVotesUntilReveal: z.boolean().optional(),
  whoMayPropose: ProposerPolicy.optional(),
});
export type BoardSettingsPatch = z.infer<typeof BoardSettingsPatch>;

// ---- commands (client -> server) ----

/** Client-chosen id of one command; a retry reuses it, and the server answers it once. */
export const ClientOpId = z.uuid();

const TimerMs = z.number().int().min(BOARD_LIMITS.timerMinMs).max(BOARD_LIMITS.timerMaxMs);

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), clientOpId: ClientOpId, boardId: BoardId, ...shape });

export const UpdateSettingsCommand = command("updateSettings", { settings: BoardSettingsPatch });
export const SetPhaseCommand = command("setPhase", { phase: BoardPhase });
export const SetTimerCommand = command("setTimer", { durationMs: TimerMs });
export const ExtendTimerCommand = command("extendTimer", { byMs: TimerMs });
export const PauseTimerCommand = command("pauseTimer", {});
export const ResumeTimerCommand = command("resumeTimer", {});
export const ClearTimerCommand = command("clearTimer", {});
export const LockBoardCommand = command("lockBoard", {});
export const UnlockBoardCommand = command("unlockBoard", {});
export const ProposeIdeaCommand = command("proposeIdea", {
  columnId: ColumnId,
  text: IdeaText,
  details: IdeaDetails.optional(),
});
export const EditIdeaCommand = command("editIdea", {
  ideaId: IdeaId,
  text: IdeaText.optional(),
  /** `null` or an empty string clears the details. */
  details: IdeaDetails.nullable().optional(),
  columnId: ColumnId.optional(),
});
export const DeleteIdeaCommand = command("deleteIdea", { ideaId: IdeaId });
export const AddCommentCommand = command("addComment", { ideaId: IdeaId, text: CommentText });
export const DeleteCommentCommand = command("deleteComment", { commentId: CommentId });
export const SetReactionCommand = command("setReaction", {
  ideaId: IdeaId,
  reaction: BoardReaction,
  on: z.boolean(),
});
export const HideIdeaCommand = command("hideIdea", { ideaId: IdeaId, reason: ModerationReason });
export const RestoreIdeaCommand = command("restoreIdea", {
  ideaId: IdeaId,
  reason: ModerationReason.optional(),
});
export const CreateGroupCommand = command("createGroup", { title: GroupTitle });
export const RenameGroupCommand = command("renameGroup", { groupId: GroupId, title: GroupTitle });
export const DeleteGroupCommand = command("deleteGroup", { groupId: GroupId });
export const SetIdeaGroupCommand = command("setIdeaGroup", { ideaId: IdeaId, groupId: GroupId.nullable() });
export const MergeIdeasCommand = command("mergeIdeas", { sourceId: IdeaId, targetId: IdeaId });
export const CastVoteCommand = command("castVote", { ideaId: IdeaId });
export const RetractVoteCommand = command("retractVote", { ideaId: IdeaId });

/** Every command a client may send on a board, keyed on `type`. */
export const BoardCommand = z.discriminatedUnion("type", [
  UpdateSettingsCommand,
  SetPhaseCommand,
  SetTimerCommand,
  ExtendTimerCommand,
  PauseTimerCommand,
  ResumeTimerCommand,
  ClearTimerCommand,
  LockBoardCommand,
  UnlockBoardCommand,
  ProposeIdeaCommand,
  EditIdeaCommand,
  DeleteIdeaCommand,
  AddCommentCommand,
  DeleteCommentCommand,
  SetReactionCommand,
  HideIdeaCommand,
  RestoreIdeaCommand,
  CreateGroupCommand,
  RenameGroupCommand,
  DeleteGroupCommand,
  SetIdeaGroupCommand,
  MergeIdeasCommand,
  CastVoteCommand,
  RetractVoteCommand,
]);
export type BoardCommand = z.infer<typeof BoardCommand>;
export type BoardCommandType = BoardCommand["type"];

// ---- failures and acks ----

/** The closed set of reasons the board rules refuse a command (see SPEC.md). */
export const BoardErrorCode = {
  boardMismatch: "board_mismatch",
  forbidden: "forbidden",
  locked: "board_locked",
  wrongPhase: "wrong_phase",
  invalidTransition: "invalid_transition",
  notFound: "not_found",
  invalidInput: "invalid_input",
  unknownColumn: "unknown_column",
  columnInUse: "column_in_use",
  ideaHidden: "idea_hidden",
  sameIdea: "same_idea",
  limitReached: "limit_reached",
  budgetExhausted: "budget_exhausted",
  ideaCapReached: "idea_cap_reached",
  retractDisabled: "retract_disabled",
  noVoteToRetract: "no_vote_to_retract",
  noTimer: "no_timer",
  timerNotRunning: "timer_not_running",
  timerNotPaused: "timer_not_paused",
  votesHidden: "votes_hidden",
} as const;
export type BoardErrorCode = (typeof BoardErrorCode)[keyof typeof BoardErrorCode];

/** Any code a board ack may carry: a board rule's, or the edge's (validation, rate limit, auth). */
export const BoardAckCode = z.enum([
  ...new Set<string>([...Object.values(ErrorCode), ...Object.values(BoardErrorCode)]),
] as [ErrorCode | BoardErrorCode, ...(ErrorCode | BoardErrorCode)[]]);
export type BoardAckCode = z.infer<typeof BoardAckCode>;

/** Reply to `board:command` and `board:join`; `createdId` names the idea, group or comment a command created. */
export const BoardAck = z.discriminatedUnion("ok", [
  z.strictObject({
    ok: z.literal(true),
    seq: z.number().int().nonnegative(),
    createdId: z.uuid().optional(),
  }),
  z.strictObject({ ok: z.literal(false), code: BoardAckCode }),
]);
export type BoardAck = z.infer<typeof BoardAck>;

export const BoardJoin = z.strictObject({
  boardId: BoardId,
  /** The last `seq` this client has applied; omitted on a first join. */
  lastSeq: z.number().int().nonnegative().optional(),
});
export type BoardJoin = z.infer<typeof BoardJoin>;
export const BoardLeave = z.strictObject({ boardId: BoardId });
export type BoardLeave = z.infer<typeof BoardLeave>;

// ---- views (server -> client) ----

const Millis = z.number().int();

export const BoardMeta = z.object({
  phase: BoardPhase,
  phaseStartedAt: Millis,
  locked: z.boolean(),
  /** When the running phase timer ends (epoch ms), or null. */
  deadlineAt: Millis.nullable(),
  /** Time left on a paused phase timer, or null. */
  pausedRemainingMs: Millis.nullable(),
  settings: BoardSettings,
  votesVisible: z.boolean(),
});
export type BoardMeta = z.infer<typeof BoardMeta>;

export const Moderation = z.object({ reason: z.string(), by: ParticipantId, at: Millis });
export type Moderation = z.infer<typeof Moderation>;

export const IdeaView = z.object({
  id: IdeaId,
  columnId: ColumnId,
  text: z.string(),
  details: z.string().nullable(),
  /** Null when the idea is anonymous, unless the viewer is its author. */
  authorId: ParticipantId.nullable(),
  anonymous: z.boolean(),
  createdAt: Millis,
  updatedAt: Millis,
  groupId: GroupId.nullable(),
  /** How many ideas were merged into this one. */
  mergedCount: z.number().int().nonnegative(),
  reactions: z.record(BoardReaction, z.number().int().nonnegative()),
  /** Set only in facilitators' views: other viewers never receive a hidden idea. */
  hidden: Moderation.nullable(),
});
export type IdeaView = z.infer<typeof IdeaView>;

export const CommentView = z.object({
  id: CommentId,
  ideaId: IdeaId,
  authorId: ParticipantId.nullable(),
  anonymous: z.boolean(),
  text: z.string(),
  createdAt: Millis,
});
export type CommentView = z.infer<typeof CommentView>;

export const GroupView = z.object({ id: GroupId, title: z.string(), createdAt: Millis });
export type GroupView = z.infer<typeof GroupView>;

const Tallies = z.record(IdeaId, z.number().int().nonnegative());

/** What only the viewer may know about themself: own votes, budget left, own ideas and reactions. */
export const BoardSelf = z.object({
  participantId: ParticipantId,
  votes: Tallies,
  remaining: z.number().int().nonnegative(),
  ownIdeaIds: z.array(IdeaId),
  ownCommentIds: z.array(CommentId),
  reactions: z.record(IdeaId, z.array(BoardReaction)),
});
export type BoardSelf = z.infer<typeof BoardSelf>;

/** A whole board as one viewer may see it; `tallies` is null while votes are hidden. */
export const BoardView = z.object({
  boardId: BoardId,
  seq: z.number().int().nonnegative(),
  meta: BoardMeta,
  ideas: z.record(IdeaId, IdeaView),
  comments: z.record(CommentId, CommentView),
  groups: z.record(GroupId, GroupView),
  tallies: Tallies.nullable(),
  self: BoardSelf.nullable(),
});
export type BoardView = z.infer<typeof BoardView>;

/** One change between two views of the same audience; every value is absolute. */
export const BoardChange = z.discriminatedUnion("type", [
  z.object({ type: z.literal("meta"), meta: BoardMeta }),
  z.object({ type: z.literal("ideaUpserted"), idea: IdeaView }),
  z.object({ type: z.literal("ideaRemoved"), ideaId: IdeaId }),
  z.object({ type: z.literal("commentUpserted"), comment: CommentView }),
  z.object({ type: z.literal("commentRemoved"), commentId: CommentId }),
  z.object({ type: z.literal("groupUpserted"), group: GroupView }),
  z.object({ type: z.literal("groupRemoved"), groupId: GroupId }),
]);
export type BoardChange = z.infer<typeof BoardChange>;

/**
 * Everything that changed for one audience in `fromSeq..toSeq`. `tallies`: absent when unchanged,
 * null while votes are hidden, else absolute counts of the ideas whose count changed (0 = none).
 */
export const BoardPatch = z.object({
  boardId: BoardId,
  fromSeq: z.number().int().positive(),
  toSeq: z.number().int().positive(),
  changes: z.array(BoardChange),
  tallies: Tallies.nullable().optional(),
});
export type BoardPatch = z.infer<typeof BoardPatch>;

/** The viewer's own part of the board, sent only to that participant's sockets. */
export const BoardSelfUpdate = z.object({
  boardId: BoardId,
  seq: z.number().int().nonnegative(),
  self: BoardSelf,
});
export type BoardSelfUpdate = z.infer<typeof BoardSelfUpdate>;

export const BoardPresence = z.object({ boardId: BoardId, count: z.number().int().nonnegative() });
export type BoardPresence = z.infer<typeof BoardPresence>;

// ---- results ----

export const BoardResultRow = z.object({
  rank: z.number().int().positive(),
  columnRank: z.number().int().positive(),
  ideaId: IdeaId,
  columnId: ColumnId,
  columnTitle: z.string(),
  text: z.string(),
  details: z.string().nullable(),
  groupId: GroupId.nullable(),
  groupTitle: z.string().nullable(),
  votes: z.number().int().nonnegative(),
  /** Null for an anonymous idea, unless the results were built for its author. */
  authorId: ParticipantId.nullable(),
  mergedCount: z.number().int().nonnegative(),
});
export type BoardResultRow = z.infer<typeof BoardResultRow>;

/** The ranked outcome of a board, overall and per column; exists only once votes are visible. */
export const BoardResults = z.object({
  boardId: BoardId,
  phase: BoardPhase,
  seq: z.number().int().nonnegative(),
  overall: z.array(BoardResultRow),
  columns: z.array(z.object({ columnId: ColumnId, title: z.string(), rows: z.array(BoardResultRow) })),
});
export type BoardResults = z.infer<typeof BoardResults>;

// ---- socket event maps ----

/** Board events a client emits (on top of `LiveClientToServer`). */
export interface BoardClientToServer {
  "board:join": (payload: BoardJoin, ack: (reply: BoardAck) => void) => void;
  "board:leave": (payload: BoardLeave) => void;
  "board:command": (payload: BoardCommand, ack: (reply: BoardAck) => void) => void;
}

/** Board events the server emits (on top of `LiveServerToClient`). */
export interface BoardServerToClient {
  "board:snapshot": (payload: BoardView) => void;
  "board:patch": (payload: BoardPatch) => void;
  "board:self": (payload: BoardSelfUpdate) => void;
  "board:presence": (payload: BoardPresence) => void;
}
