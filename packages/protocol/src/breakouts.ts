// Breakout tables (issue 5): facilitators open tables in a live session, seat people by a strategy,
// run timed rounds (World-Café rotation included), broadcast, visit tables, close them all and roll
// every table's top ideas up to the plenary board. Commands travel over socket.io
// (`breakout:command`) or REST (`POST /api/sessions/{sessionId}/breakouts/commands`), the same
// schema on both; the server tells each person their table over the live connection. See PROTOCOL.md.
import { z } from "zod";
import { ErrorCode } from "./errors.js";
import { MediaTokenResponse } from "./media.js";

export const BREAKOUT_LIMITS = {
  maxTables: 200,
  maxSeats: 500,
  topicMaxLength: 120,
  messageMaxLength: 500,
  maxRounds: 8,
  roundMinMs: 1_000,
  roundMaxMs: 4 * 3_600_000,
  /** The warning goes out this long before a round ends (or halfway through a shorter round). */
  warningLeadMs: 60_000,
  closeCountdownMinMs: 0,
  closeCountdownMaxMs: 300_000,
  /** Close all: everyone is back in the plenary after this countdown unless told otherwise. */
  closeCountdownDefaultMs: 30_000,
  rollUpMax: 20,
  rollUpDefault: 3,
} as const;

export const BREAKOUT_STRATEGIES = ["random", "balanced", "manual", "topic", "registrations"] as const;
/**
 * random; balanced (spread people who came together: same invite code, email domain or group);
 * manual (nobody seated until moved); topic (people pick a table with a topic and seats);
 * registrations (who signed up for a table before the session sits there).
 */
export const BreakoutStrategy = z.enum(BREAKOUT_STRATEGIES);
export type BreakoutStrategy = z.infer<typeof BreakoutStrategy>;

export const BreakoutRunState = z.enum(["open", "running", "closing", "closed"]);
export type BreakoutRunState = z.infer<typeof BreakoutRunState>;

export const TableTopic = z.string().trim().max(BREAKOUT_LIMITS.topicMaxLength);
export const TableSeats = z.number().int().min(1).max(BREAKOUT_LIMITS.maxSeats);
export const BreakoutMessage = z.string().trim().min(1).max(BREAKOUT_LIMITS.messageMaxLength);
const RoundMs = z.number().int().min(BREAKOUT_LIMITS.roundMinMs).max(BREAKOUT_LIMITS.roundMaxMs);

/**
 * A table planned before it opens: its topic, seats (null = no limit) and host (who stays at it every
 * World-Café round; must be someone who may be in the session, else `table_host_invalid`).
 */
export const TablePlan = z.strictObject({
  topic: TableTopic.default(""),
  seats: TableSeats.nullable().default(null),
  hostId: z.uuid().nullable().default(null),
});
export type TablePlan = z.input<typeof TablePlan>;

// ---- commands ----

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), sessionId: z.uuid(), ...shape });

/**
 * Opens tables and seats the people present. `by`: a number of tables or a table size; `tables`
 * (topics, seats, hosts) overrides the count when given. `rounds` > 1 makes it a World-Café:
 * hosts stay, the others rotate each round to meet new people; `roundMs` starts the timer at once.
 */
export const OpenTablesCommand = command("open", {
  by: z.union([
    z.strictObject({ count: z.number().int().min(1).max(BREAKOUT_LIMITS.maxTables) }),
    z.strictObject({ size: z.number().int().min(2).max(BREAKOUT_LIMITS.maxSeats) }),
  ]),
  strategy: BreakoutStrategy,
  tables: z.array(TablePlan).max(BREAKOUT_LIMITS.maxTables).optional(),
  rounds: z.number().int().min(1).max(BREAKOUT_LIMITS.maxRounds).default(1),
  roundMs: RoundMs.optional(),
  /** Seed of the seating's random choices (tests and reproducible plans); random otherwise. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});
/** A facilitator moves someone to a table, or back to the plenary (`tableId` null); not while tables close. */
export const MoveCommand = command("move", { userId: z.uuid(), tableId: z.uuid().nullable() });
/** A participant picks a table (strategy `topic`), while it has a free seat (not while tables close). */
export const ChooseTableCommand = command("choose", { tableId: z.uuid() });
/** Starts (or restarts) the round timer. */
export const StartRoundCommand = command("start", { durationMs: RoundMs });
export const ExtendRoundCommand = command("extend", { byMs: RoundMs });
/** World-Café: the next round now (the timer does it by itself at the end of a round). */
export const NextRoundCommand = command("nextRound", {});
export const BroadcastCommand = command("broadcast", { message: BreakoutMessage });
/** A participant asks for a facilitator at their table. */
export const CallFacilitatorCommand = command("call", { message: BreakoutMessage.optional() });
export const ResolveCallCommand = command("resolveCall", { callId: z.uuid() });
/** A facilitator joins a table's room (hidden: listening in without appearing in the list). */
export const VisitTableCommand = command("visit", { tableId: z.uuid(), hidden: z.boolean().default(false) });
/** Everyone back to the plenary after a countdown (0 = at once); tables close, rooms are deleted. */
export const CloseAllCommand = command("closeAll", {
  countdownMs: z
    .number()
    .int()
    .min(BREAKOUT_LIMITS.closeCountdownMinMs)
    .max(BREAKOUT_LIMITS.closeCountdownMaxMs)
    .default(BREAKOUT_LIMITS.closeCountdownDefaultMs),
});
/**
 * Copies each table's top ideas (by the board's ranking) to the plenary board, marked with their
 * table. It publishes the tables' results: a table board whose votes are still hidden is first
 * moved to `reveal` (a locked one refuses the roll-up with `votes_hidden`).
 */
export const RollUpCommand = command("rollUp", {
  top: z.number().int().min(1).max(BREAKOUT_LIMITS.rollUpMax).default(BREAKOUT_LIMITS.rollUpDefault),
});

export const BreakoutCommand = z.discriminatedUnion("type", [
  OpenTablesCommand,
  MoveCommand,
  ChooseTableCommand,
  StartRoundCommand,
  ExtendRoundCommand,
  NextRoundCommand,
  BroadcastCommand,
  CallFacilitatorCommand,
  ResolveCallCommand,
  VisitTableCommand,
  CloseAllCommand,
  RollUpCommand,
]);
export type BreakoutCommand = z.infer<typeof BreakoutCommand>;
export type BreakoutCommandInput = z.input<typeof BreakoutCommand>;
export type BreakoutCommandType = BreakoutCommand["type"];

/** Subscribes a socket to a session's breakouts (and seats a latecomer while tables are open). */
export const BreakoutJoin = z.strictObject({ sessionId: z.uuid() });
export type BreakoutJoin = z.infer<typeof BreakoutJoin>;

// ---- views ----

/** Where a person sits: the table, its board and a media token for its room (null when video is off). */
export const TableRef = z.object({
  id: z.uuid(),
  number: z.number().int().positive(),
  topic: z.string(),
  boardId: z.uuid().nullable(),
  room: z.string(),
});
export type TableRef = z.infer<typeof TableRef>;

export const BreakoutAssignment = z.object({
  sessionId: z.uuid(),
  runId: z.uuid().nullable(),
  /** Null: in the plenary. */
  table: TableRef.nullable(),
  round: z.number().int().nonnegative(),
  media: MediaTokenResponse.nullable(),
  /** Why it changed: seated when tables opened, moved by a facilitator, a new round, back at the end. */
  reason: z.enum(["opened", "moved", "chosen", "latecomer", "rotated", "returned", "current"]),
});
export type BreakoutAssignment = z.infer<typeof BreakoutAssignment>;

export const TableSummary = z.object({
  id: z.uuid(),
  number: z.number().int().positive(),
  topic: z.string(),
  seats: z.number().int().nullable(),
  hostId: z.uuid().nullable(),
  boardId: z.uuid().nullable(),
  status: z.enum(["planned", "open", "closed"]),
  count: z.number().int().nonnegative(),
});
export type TableSummary = z.infer<typeof TableSummary>;

/** What everyone in the session may know about its breakouts. */
export const BreakoutPublicState = z.object({
  sessionId: z.uuid(),
  runId: z.uuid().nullable(),
  state: BreakoutRunState.nullable(),
  strategy: BreakoutStrategy.nullable(),
  round: z.number().int().nonnegative(),
  rounds: z.number().int().positive(),
  /** When the running round ends (ISO), or null. */
  endsAt: z.string().nullable(),
  /** When close-all brings everyone back (ISO), or null. */
  closingAt: z.string().nullable(),
  tables: z.array(TableSummary),
});
export type BreakoutPublicState = z.infer<typeof BreakoutPublicState>;

/** A participant's own view: the public state and their seat. */
export const MyBreakout = z.object({ state: BreakoutPublicState, assignment: BreakoutAssignment });
export type MyBreakout = z.infer<typeof MyBreakout>;

export const OverviewPerson = z.object({
  userId: z.uuid(),
  name: z.string(),
  /** When they sat down at this table (ISO). */
  since: z.string(),
  host: z.boolean(),
  /** Following the session's breakouts now, on any node (a closed tab is not). */
  connected: z.boolean(),
});

/** For facilitators: every table with who is there since when and its board activity. */
export const TableOverview = TableSummary.extend({
  people: z.array(OverviewPerson),
  ideas: z.number().int().nonnegative(),
  /**
   * Votes on the table's board; null while its votes are hidden (SPEC B23: before reveal nobody,
   * facilitators included, gets a count that includes anyone else's votes).
   */
  votes: z.number().int().nonnegative().nullable(),
  /** The board's last change; while its votes are hidden, a vote is not counted as a change. */
  lastActivityAt: z.string().nullable(),
});
export type TableOverview = z.infer<typeof TableOverview>;

export const FacilitatorCall = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  name: z.string(),
  tableId: z.uuid().nullable(),
  tableNumber: z.number().int().nullable(),
  message: z.string().nullable(),
  at: z.string(),
});
export type FacilitatorCall = z.infer<typeof FacilitatorCall>;

/**
 * Reply to `breakout:join`: the caller's view, the run's open calls (for facilitators; empty for
 * anyone else) and the caller's own open call; or why not (`session_not_live` for a participant
 * before the start or after the end).
 */
export type BreakoutJoinAck =
  | { ok: true; breakout: MyBreakout; calls: FacilitatorCall[]; myCall: FacilitatorCall | null }
  | { ok: false; code: ErrorCode };

/** To the caller (all their tabs): their open call, or null once it was answered or the round moved on. */
export const MyCall = z.object({ sessionId: z.uuid(), call: FacilitatorCall.nullable() });
export type MyCall = z.infer<typeof MyCall>;

export const BreakoutOverview = z.object({
  state: BreakoutPublicState,
  tables: z.array(TableOverview),
  /** Present in the session but at no table. */
  unseated: z.array(z.object({ userId: z.uuid(), name: z.string() })),
  calls: z.array(FacilitatorCall),
});
export type BreakoutOverview = z.infer<typeof BreakoutOverview>;

/** Broadcasts, the one-minute warning, the close-all countdown: shown as toasts. */
export const BreakoutNotice = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("broadcast"), sessionId: z.uuid(), message: z.string(), from: z.string() }),
  z.object({
    kind: z.literal("warning"),
    sessionId: z.uuid(),
    endsAt: z.string(),
    /** Time left when the warning went out: a minute, or half of a round shorter than two. */
    leftMs: z.number().int().nonnegative(),
  }),
  z.object({ kind: z.literal("closing"), sessionId: z.uuid(), closingAt: z.string() }),
  z.object({ kind: z.literal("extended"), sessionId: z.uuid(), endsAt: z.string() }),
  z.object({ kind: z.literal("rolledUp"), sessionId: z.uuid(), boardId: z.uuid(), ideas: z.number().int() }),
]);
export type BreakoutNotice = z.infer<typeof BreakoutNotice>;

// ---- acks ----

export const BreakoutAck = z.discriminatedUnion("ok", [
  z.strictObject({
    ok: z.literal(true),
    /** `visit`: where the facilitator goes; `rollUp`: the plenary board and how many ideas went up. */
    table: TableRef.optional(),
    media: MediaTokenResponse.nullable().optional(),
    boardId: z.uuid().optional(),
    ideas: z.number().int().optional(),
    runId: z.uuid().optional(),
  }),
  z.strictObject({
    ok: z.literal(false),
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  }),
]);
export type BreakoutAck = z.infer<typeof BreakoutAck>;

// ---- REST ----

export const BreakoutTableParams = z.strictObject({ sessionId: z.uuid(), tableId: z.uuid() });
/** Facilitators plan a session's tables ahead (topics and seats), so attendees can sign up for one. */
export const PlanTablesBody = z.strictObject({
  tables: z.array(TablePlan).min(1).max(BREAKOUT_LIMITS.maxTables),
});
export type PlanTablesBody = z.input<typeof PlanTablesBody>;
export const PlannedTablesResponse = z.object({
  tables: z.array(TableSummary),
  /** The caller's own sign-up, if any. */
  mine: z.uuid().nullable(),
});
export type PlannedTablesResponse = z.infer<typeof PlannedTablesResponse>;

/** Every session of an event with tables planned ahead, and the caller's sign-up in each (the agenda). */
export const EventPlannedTablesResponse = z.object({
  sessions: z.array(PlannedTablesResponse.extend({ sessionId: z.uuid() })),
});
export type EventPlannedTablesResponse = z.infer<typeof EventPlannedTablesResponse>;

/** Someone who may host a table: anyone who may be in the session (registered, a member of the team). */
export const HostCandidate = z.object({
  userId: z.uuid(),
  name: z.string(),
  /** Following the session's breakouts now. */
  present: z.boolean(),
});
export type HostCandidate = z.infer<typeof HostCandidate>;
export const HostCandidatesResponse = z.object({
  people: z.array(HostCandidate),
  /** More people may host than are listed (the list is capped, present people first). */
  truncated: z.boolean(),
});
export type HostCandidatesResponse = z.infer<typeof HostCandidatesResponse>;

// ---- jobs ----

/**
 * A breakout timer fired: `warn` (a minute left, or half of a short round), `end` (the round is over: rotate or return) or
 * `close` (the close-all countdown is over). `at` is the deadline it was armed for: a run whose
 * deadline has moved since (extended, restarted) ignores it.
 */
export const BreakoutTimerJob = z.strictObject({
  runId: z.uuid(),
  kind: z.enum(["warn", "end", "close"]),
  at: z.number().int(),
});
export type BreakoutTimerJob = z.infer<typeof BreakoutTimerJob>;

/** The deterministic id of a breakout timer job: one per run, kind and deadline. */
export function breakoutTimerJobId(job: BreakoutTimerJob): string {
  return `breakout-timer:${job.runId}:${job.kind}:${job.at}`;
}

// ---- socket event maps ----

export interface BreakoutClientToServer {
  "breakout:join": (payload: BreakoutJoin, ack: (reply: BreakoutJoinAck) => void) => void;
  "breakout:leave": (payload: BreakoutJoin) => void;
  "breakout:command": (payload: BreakoutCommandInput, ack: (reply: BreakoutAck) => void) => void;
}

export interface BreakoutServerToClient {
  /** To one person (all their tabs): where they sit now. */
  "breakout:assigned": (payload: BreakoutAssignment) => void;
  /** To everyone in the session's breakouts: the public state after any change. */
  "breakout:state": (payload: BreakoutPublicState) => void;
  "breakout:notice": (payload: BreakoutNotice) => void;
  /** To facilitators: someone called, or a call was answered (the open calls). */
  "breakout:calls": (payload: { sessionId: string; calls: FacilitatorCall[] }) => void;
  /** To the caller: their call was made, or was answered (or lapsed with the round). */
  "breakout:myCall": (payload: MyCall) => void;
}
