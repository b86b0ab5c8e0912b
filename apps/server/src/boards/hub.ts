// Fan-out of the live boards, per node. Design (several nodes on one Redis and one PostgreSQL):
//
// - A node sends patches, self updates and presence to ITS OWN sockets only (`io.local`), each
//   patch being `diffViews(what this node last sent that audience, current view)`. No node ever
//   broadcasts a board message through the adapter, so a socket gets each change exactly once,
//   and the patches it gets are contiguous by construction, whichever node committed what.
// - So every node needs the latest state of the boards its sockets are on. A commit on this node
//   puts the new state in the store's cache at once. A commit on another node reaches this one as
//   a nudge, `board:changed (boardId, version)`, sent through the socket.io adapter (Redis pub/sub:
//   `serverSideEmit`) at most once per tick per board; the node then loads the board from
//   PostgreSQL (its version, and only if newer the snapshot and the events after it). Pub/sub is
//   at-most-once, so each node also polls the versions of its boards every second: a lost nudge
//   delays a patch by up to a second, it never loses one. Nudges carry no state.
// - A tick every 100 ms (wider above ~5,000 viewers on the node) flushes every local board whose
//   newest known state is past what was sent: one patch per audience, one self update per
//   participant whose own part changed. Commands never broadcast. Writing a patch to thousands of
//   sockets is a write per socket, so a large audience gets it in slices (`FAN_OUT_SLICE` sockets a
//   turn of the event loop) and command acks are not held for the whole fan-out; the sends of a
//   node go out in the order they were made, a tick finds the previous one still sending and
//   skips its flush (the next patch covers both), and a join sends what is queued before its
//   snapshot.
// - Presence: a node gossips the participant ids it has on a board (on change, plus a heartbeat
//   every 5 s that expires after 15 s, so the people of a dead node fade out) and counts the
//   union; clients get `board:presence` at most twice a second, when the count changed.
// - `BOARD_BROADCAST=per-op` swaps the tick for the naive design, one patch per committed op sent
//   the moment it commits (one node only). It exists as the reference the load benchmark
//   (tests/load) measures the tick against; never use it in production.
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Socket } from "socket.io";
import {
  applyEvent,
  audienceView,
  diffViews,
  jsonEqual,
  personalize,
  selfView,
  type BoardEvent,
  type BoardState,
} from "@convivio/board";
import {
  ErrorCode,
  type BoardAck,
  type BoardClientToServer,
  type BoardId,
  type BoardPatch,
  type BoardRole,
  type BoardSelf,
  type BoardServerToClient,
  type BoardView,
  type LiveClientToServer,
  type LiveServerToClient,
  type ParticipantId,
} from "@convivio/protocol";
import type { LiveServer, NodeToNode, SocketData } from "../live/socket.js";
import type { CatchUp } from "./catchUp.js";
import { newest, type BoardStore, type LoadedBoard } from "./store.js";

export type LiveSocket = Socket<
  LiveClientToServer & BoardClientToServer,
  LiveServerToClient & BoardServerToClient,
  NodeToNode,
  SocketData
>;

export const TICK_MS = 100;
/** Above this many viewers on one node, ticks space out (one more tick interval per step). */
export const VIEWERS_PER_TICK_STEP = 5_000;
export const POLL_MS = 1_000;
/**
 * A tick's patch to a large audience goes out in slices of this many sockets, one slice per turn of
 * the event loop, so acks and other work wait for one slice, not for the whole fan-out.
 */
export const FAN_OUT_SLICE = 250;
export const PRESENCE_MIN_INTERVAL_MS = 500;
export const PRESENCE_HEARTBEAT_MS = 5_000;
const PRESENCE_TTL_MS = 3 * PRESENCE_HEARTBEAT_MS;
const ROLES: readonly BoardRole[] = ["facilitator", "participant"];

/** Coalesced on the tick (the design), or one patch per committed op (the benchmark's naive reference). */
export type BroadcastMode = "tick" | "per-op";

interface Member {
  participantId: ParticipantId;
  role: BoardRole;
}

interface LocalBoard {
  id: BoardId;
  /** This node's sockets on the board, by socket id. */
  members: Map<string, Member>;
  /**
   * How many of those sockets each person, each (role, person) pair and each role has: kept
   * beside `members` so a join, a leave and a presence count cost the same at 5,000 viewers as
   * at 5 (scanning every member on each of them made a join storm quadratic).
   */
  tabs: { people: Map<string, number>; selves: Map<string, number>; roles: Map<BoardRole, number> };
  latest: LoadedBoard | undefined;
  /** Newest version known to exist: from local commits, nudges and polls. */
  knownVersion: number;
  /** Version of the state the sent views below come from. */
  sentVersion: number;
  sentAudience: Partial<Record<BoardRole, BoardView>>;
  /** Last self sent, by `selfKey`. */
  sentSelf: Map<string, BoardSelf>;
  /**
   * Whose own part may have changed since the last flush: the participants of the events committed
   * here up to `eventsThrough`, or "all" (an event that touches everyone's part, or a state this
   * node did not see committed). A flush recomputes only their selves.
   */
  selfDirty: Set<string> | "all";
  eventsThrough: number;
  /** The count may have changed (people here or elsewhere came or went). */
  presenceChanged: boolean;
  /** The people here changed since the last gossip. */
  gossipPending: boolean;
  presenceSent: number | null;
  presenceSentAt: number;
  gossipedAt: number;
}

/**
 * The one participant whose own part (`selfView`) an event can change, or undefined when it may
 * change anyone's (budgets, visible ideas, own ideas and comments...).
 */
function ownPartOf(event: BoardEvent): string | undefined {
  switch (event.type) {
    case "voteCast":
    case "voteRetracted":
    case "reactionSet":
      return event.participantId;
    default:
      return undefined;
  }
}

export const audienceRoom = (boardId: string, role: BoardRole) => `board:${boardId}:${role}`;
export const selfRoom = (boardId: string, role: BoardRole, participantId: string) =>
  `board:${boardId}:self:${role}:${participantId}`;
const selfKey = (member: Member) => `${member.role}:${member.participantId}`;

/** Counts a socket of `member` in (+1) or out (-1) of the board's tab counters; zeros are removed. */
function countTab(local: LocalBoard, member: Member, delta: 1 | -1): void {
  const bump = <K>(counts: Map<K, number>, key: K) => {
    const next = (counts.get(key) ?? 0) + delta;
    if (next > 0) counts.set(key, next);
    else counts.delete(key);
  };
  bump(local.tabs.people, member.participantId);
  bump(local.tabs.selves, selfKey(member));
  bump(local.tabs.roles, member.role);
}

export interface JoinRequest {
  boardId: BoardId;
  role: BoardRole;
  participantId: ParticipantId;
  lastSeq: number | undefined;
}

export interface BoardHubDeps {
  io: LiveServer;
  store: BoardStore;
  catchUp: CatchUp;
  logger: Logger;
  /** Whether other nodes share the adapter (Redis): only then are nudges and gossip sent. */
  clustered: boolean;
  tickMs?: number;
  now?: () => number;
  /** Sockets per slice of a large audience's patch (default `FAN_OUT_SLICE`; tests make it small). */
  fanOutSlice?: number;
  /** Default "tick"; "per-op" only for the load benchmark's reference (see the header). */
  broadcast?: BroadcastMode;
}

export class BoardHub {
  readonly nodeId = randomUUID();
  private readonly locals = new Map<string, LocalBoard>();
  /** Boards committed here since the last nudge, with their version. */
  private readonly nudges = new Map<string, number>();
  /** Participants on other nodes: board -> node -> ids. */
  private readonly remote = new Map<string, Map<string, { ids: readonly string[]; expiresAt: number }>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private tickCount = 0;
  private nextPollAt = 0;
  private readonly now: () => number;
  /** Sends waiting for their turn, in order; each returns how many sockets it wrote to. */
  private readonly outbox: (() => number)[] = [];
  private draining = false;
  private readonly slice: number;

  constructor(private readonly deps: BoardHubDeps) {
    this.now = deps.now ?? Date.now;
    this.slice = deps.fanOutSlice ?? FAN_OUT_SLICE;
  }

  start(): void {
    const { io } = this.deps;
    io.on("board:changed", (boardId, version) => {
      const local = this.locals.get(String(boardId));
      if (local && Number.isInteger(version)) local.knownVersion = Math.max(local.knownVersion, version);
    });
    io.on("board:presence", (nodeId, boardId, participantIds) => {
      if (typeof nodeId !== "string" || typeof boardId !== "string" || !Array.isArray(participantIds)) return;
      if (nodeId === this.nodeId) return;
      const nodes = this.remote.get(boardId) ?? new Map();
      if (participantIds.length === 0) nodes.delete(nodeId);
      else nodes.set(nodeId, { ids: participantIds, expiresAt: this.now() + PRESENCE_TTL_MS });
      if (nodes.size === 0) this.remote.delete(boardId);
      else this.remote.set(boardId, nodes);
      const local = this.locals.get(boardId);
      if (local) local.presenceChanged = true;
    });
    this.timer = setInterval(() => void this.tick(), this.deps.tickMs ?? TICK_MS);
    this.timer.unref();
  }

  /** Stops ticking; tells the other nodes this one has nobody left on its boards. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.sendQueued();
    if (!this.deps.clustered) return;
    for (const local of this.locals.values()) this.gossip(local, []);
  }

  /** A change committed on this node (the store's cache already holds it). */
  committed(
    boardId: BoardId,
    after: LoadedBoard,
    before?: BoardState,
    events: readonly BoardEvent[] = [],
  ): void {
    if (this.deps.clustered) this.nudges.set(boardId, Math.max(this.nudges.get(boardId) ?? 0, after.version));
    const local = this.locals.get(boardId);
    if (!local) return;
    local.knownVersion = Math.max(local.knownVersion, after.version);
    if (after.version > local.eventsThrough) {
      const contiguous = after.version - events.length === local.eventsThrough;
      for (const event of contiguous ? events : []) {
        if (local.selfDirty === "all") break;
        const only = ownPartOf(event);
        if (only === undefined) local.selfDirty = "all";
        else local.selfDirty.add(only);
      }
      if (!contiguous) local.selfDirty = "all";
      local.eventsThrough = after.version;
    }
    if (this.perOp && before && events.length > 0) this.flushEach(local, after, before, events);
  }

  private get perOp(): boolean {
    return this.deps.broadcast === "per-op";
  }

  /** The naive design: every committed event goes out at once, as its own patch and self updates. */
  private flushEach(
    local: LocalBoard,
    after: LoadedBoard,
    before: BoardState,
    events: readonly BoardEvent[],
  ): void {
    let state = before;
    let version = after.version - events.length;
    events.forEach((event, index) => {
      state = applyEvent(state, event);
      version++;
      this.flush(local, index === events.length - 1 ? after : { state, version });
    });
  }

  isOn(socket: LiveSocket, boardId: string): boolean {
    return this.locals.get(boardId)?.members.has(socket.id) ?? false;
  }

  boardsOf(socket: LiveSocket): number {
    let count = 0;
    for (const local of this.locals.values()) if (local.members.has(socket.id)) count++;
    return count;
  }

  /**
   * Puts a socket on a board: ack, then a snapshot or a catch-up patch, then its self update and
   * the presence count. The sending happens in one synchronous step after the loads, so no tick
   * can slip a patch in between.
   */
  async join(socket: LiveSocket, request: JoinRequest, reply: (ack: BoardAck) => void): Promise<void> {
    const { boardId, role, participantId, lastSeq } = request;
    const loaded = await this.deps.store.load(boardId);
    if (!loaded) return reply({ ok: false, code: ErrorCode.notFound });
    const past =
      lastSeq !== undefined && lastSeq < loaded.state.seq
        ? await this.deps.catchUp.viewAt(boardId, lastSeq, role)
        : undefined;
    if (socket.disconnected) return;

    // What is queued for this socket as a member of before goes out before what is sent below.
    this.sendQueued();
    this.leave(socket, boardId);
    const local = this.localBoard(boardId);
    local.latest = newest(local.latest, loaded);
    local.knownVersion = Math.max(local.knownVersion, local.latest!.version);
    // Sockets already here get what changed first, so the views below are what they were sent.
    this.flush(local);
    const state = local.latest!.state;
    const member: Member = { participantId, role };
    local.members.set(socket.id, member);
    countTab(local, member, 1);
    local.presenceChanged = true;
    local.gossipPending = true;
    void socket.join([audienceRoom(boardId, role), selfRoom(boardId, role, participantId)]);
    const view = (local.sentAudience[role] ??= audienceView(state, role));
    const self = selfView(state, { participantId, role });
    local.sentSelf.set(selfKey(member), self);

    reply({ ok: true, seq: view.seq });
    if (lastSeq !== undefined && lastSeq === view.seq) {
      // Up to date: nothing to send but its own part.
    } else if (lastSeq !== undefined && lastSeq < view.seq && past?.seq === lastSeq) {
      const patch = diffViews(past, view);
      if (patch) socket.emit("board:patch", patch);
    } else {
      socket.emit("board:snapshot", personalize(view, self));
    }
    socket.emit("board:self", { boardId, seq: view.seq, self });
    socket.emit("board:presence", { boardId, count: this.presenceCount(local) });
  }

  leave(socket: LiveSocket, boardId: string): void {
    const local = this.locals.get(boardId);
    const member = local?.members.get(socket.id);
    if (!local || !member) return;
    local.members.delete(socket.id);
    countTab(local, member, -1);
    local.presenceChanged = true;
    local.gossipPending = true;
    void socket.leave(audienceRoom(boardId, member.role));
    void socket.leave(selfRoom(boardId, member.role, member.participantId));
    if (!local.tabs.selves.has(selfKey(member))) local.sentSelf.delete(selfKey(member));
    if (!local.tabs.roles.has(member.role)) delete local.sentAudience[member.role];
  }

  leaveAll(socket: LiveSocket): void {
    for (const boardId of [...this.locals.keys()]) this.leave(socket, boardId);
  }

  /** Runs one tick now (tests, and the interval). */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      this.tickCount++;
      const step = Math.max(1, Math.ceil(this.viewers() / VIEWERS_PER_TICK_STEP));
      if (this.tickCount % step !== 0) return;
      this.sendNudges();
      const now = this.now();
      if (now >= this.nextPollAt) {
        this.nextPollAt = now + POLL_MS;
        // A failed poll must not hold back what this node itself committed.
        await this.poll().catch((err: unknown) =>
          this.deps.logger.warn({ err }, "board version poll failed"),
        );
      }
      await this.loadStale();
      // Per-op sends on commit; a tick flush could merge ops committed since (one node only). While
      // the last tick's fan-out is still going out, this one waits: the next patch covers both.
      if (!this.perOp && this.outbox.length === 0)
        for (const local of this.locals.values()) this.flush(local);
      this.presence(now);
    } catch (err) {
      this.deps.logger.warn({ err }, "board tick failed");
    } finally {
      this.ticking = false;
    }
  }

  private localBoard(boardId: BoardId): LocalBoard {
    let local = this.locals.get(boardId);
    if (!local) {
      local = {
        id: boardId,
        members: new Map(),
        tabs: { people: new Map(), selves: new Map(), roles: new Map() },
        latest: undefined,
        knownVersion: 0,
        sentVersion: -1,
        sentAudience: {},
        sentSelf: new Map(),
        selfDirty: "all",
        eventsThrough: -1,
        presenceChanged: true,
        gossipPending: true,
        presenceSent: null,
        presenceSentAt: 0,
        gossipedAt: 0,
      };
      this.locals.set(boardId, local);
    }
    return local;
  }

  private viewers(): number {
    let count = 0;
    for (const local of this.locals.values()) count += local.members.size;
    return count;
  }

  private sendNudges(): void {
    for (const [boardId, version] of this.nudges)
      this.deps.io.serverSideEmit("board:changed", boardId, version);
    this.nudges.clear();
  }

  private async poll(): Promise<void> {
    const ids = [...this.locals.keys()];
    if (ids.length === 0) return;
    const versions = await this.deps.store.versions(ids);
    for (const [id, version] of versions) {
      const local = this.locals.get(id);
      if (local) local.knownVersion = Math.max(local.knownVersion, version);
    }
  }

  private async loadStale(): Promise<void> {
    const stale = [...this.locals.values()].filter((local) => {
      const have = newest(local.latest, this.deps.store.cached(local.id));
      return local.members.size > 0 && (have?.version ?? -1) < local.knownVersion;
    });
    const results = await Promise.allSettled(stale.map((local) => this.deps.store.load(local.id)));
    results.forEach((result, index) => {
      const local = stale[index]!;
      if (result.status === "fulfilled") local.latest = newest(local.latest, result.value);
      else this.deps.logger.warn({ err: result.reason, boardId: local.id }, "board load failed");
    });
  }

  /**
   * Sends this node's sockets what changed since it last sent them anything (up to `at`, default
   * the newest state known). Synchronous.
   */
  private flush(local: LocalBoard, at?: LoadedBoard): void {
    const latest = at ?? newest(local.latest, this.deps.store.cached(local.id));
    if (!latest || latest.version <= local.sentVersion) return;
    local.latest = latest;
    const { state } = latest;
    const { io } = this.deps;
    for (const role of ROLES) {
      const previous = local.sentAudience[role];
      if (!previous || state.seq <= previous.seq) continue;
      const next = audienceView(state, role);
      const patch = diffViews(previous, next);
      if (patch) this.sendToAudience(audienceRoom(local.id, role), patch);
      local.sentAudience[role] = next;
    }
    // Selves only of those whose part may have changed, unless this state holds changes not seen
    // committed here (or per op, where flushes go event by event).
    const dirty =
      this.perOp || local.selfDirty === "all" || latest.version > local.eventsThrough
        ? undefined
        : local.selfDirty;
    const done = new Set<string>();
    for (const member of local.members.values()) {
      if (dirty && !dirty.has(member.participantId)) continue;
      const key = selfKey(member);
      if (done.has(key)) continue;
      done.add(key);
      const self = selfView(state, member);
      if (jsonEqual(local.sentSelf.get(key), self)) continue;
      local.sentSelf.set(key, self);
      const room = selfRoom(local.id, member.role, member.participantId);
      this.send(() => {
        io.local.to(room).emit("board:self", { boardId: local.id, seq: state.seq, self });
        return 1;
      });
    }
    local.sentVersion = latest.version;
    local.selfDirty = new Set();
    local.eventsThrough = Math.max(local.eventsThrough, latest.version);
  }

  /**
   * A patch to everyone in `room` on this node: at once to a small audience, in slices of
   * `FAN_OUT_SLICE` sockets to a large one (the sockets are those in the room now).
   */
  private sendToAudience(room: string, patch: BoardPatch): void {
    const { io } = this.deps;
    const ids = io.sockets.adapter.rooms.get(room);
    if (!ids || ids.size <= this.slice || this.perOp) {
      this.send(() => {
        io.local.to(room).emit("board:patch", patch);
        return ids?.size ?? 0;
      });
      return;
    }
    const all = [...ids];
    for (let start = 0; start < all.length; start += this.slice) {
      // Each socket is in the room named by its id, so this reaches exactly these sockets.
      const slice = all.slice(start, start + this.slice);
      this.send(() => {
        io.local.to(slice).emit("board:patch", patch);
        return slice.length;
      });
    }
  }

  /** Sends now if nothing is queued (the per-op reference always sends now), else after the queue. */
  private send(write: () => number): void {
    if (this.perOp || (this.outbox.length === 0 && !this.draining)) {
      const written = write();
      if (written < this.slice || this.perOp) return;
      // A full slice was just written: what follows waits for the next turn.
      this.draining = true;
      setImmediate(() => this.drainSome());
      return;
    }
    this.outbox.push(write);
  }

  /** One turn's worth of the queue (about a slice of sockets), then yields the event loop. */
  private drainSome(): void {
    let budget = this.slice;
    while (budget > 0) {
      const write = this.outbox.shift();
      if (!write) break;
      budget -= write();
    }
    if (this.outbox.length > 0) setImmediate(() => this.drainSome());
    else this.draining = false;
  }

  /** Everything queued, now (before a join's snapshot, and at stop). */
  private sendQueued(): void {
    for (let write = this.outbox.shift(); write; write = this.outbox.shift()) write();
  }

  private participantsHere(local: LocalBoard): string[] {
    return [...local.tabs.people.keys()];
  }

  private presenceCount(local: LocalBoard): number {
    const remote = this.remote.get(local.id);
    if (!remote || remote.size === 0) return local.tabs.people.size;
    const ids = new Set<string>(local.tabs.people.keys());
    const now = this.now();
    for (const entry of remote.values()) {
      if (entry.expiresAt > now) for (const id of entry.ids) ids.add(id);
    }
    return ids.size;
  }

  private gossip(local: LocalBoard, ids: string[]): void {
    this.deps.io.serverSideEmit("board:presence", this.nodeId, local.id, ids);
    local.gossipedAt = this.now();
    local.gossipPending = false;
  }

  private presence(now: number): void {
    for (const local of [...this.locals.values()]) {
      const heartbeatDue = now - local.gossipedAt >= PRESENCE_HEARTBEAT_MS;
      if (this.deps.clustered && (local.gossipPending || (heartbeatDue && local.members.size > 0))) {
        this.gossip(local, this.participantsHere(local));
      }
      if (local.members.size === 0) {
        // Nobody left here: forget the board (the empty list went out just above).
        this.locals.delete(local.id);
        continue;
      }
      const expiring = [...(this.remote.get(local.id)?.values() ?? [])].some((e) => e.expiresAt <= now);
      if (!local.presenceChanged && !expiring && !heartbeatDue) continue;
      if (now - local.presenceSentAt < PRESENCE_MIN_INTERVAL_MS) continue;
      local.presenceChanged = false;
      const count = this.presenceCount(local);
      if (count === local.presenceSent) continue;
      local.presenceSent = count;
      local.presenceSentAt = now;
      this.deps.io.local
        .to(ROLES.map((role) => audienceRoom(local.id, role)))
        .emit("board:presence", { boardId: local.id, count });
    }
    for (const [boardId, nodes] of this.remote) {
      for (const [nodeId, entry] of nodes) if (entry.expiresAt <= now) nodes.delete(nodeId);
      if (nodes.size === 0) this.remote.delete(boardId);
    }
  }
}
