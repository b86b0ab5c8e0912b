// The load generator's clients: real socket.io clients (WebSocket transport, session cookie) on one
// board. They vote on an open-loop schedule and record, per vote, the ack time and when each client
// first held it (a patch covering its seq), and per client every missed or duplicated update (patch
// seq ranges must be contiguous) and whether its tallies end equal to the server's.
// One Swarm lives in the coordinating process (small runs) or in each worker process (worker.ts).
import { randomUUID } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { io as connect, type Socket } from "socket.io-client";
import { PROTOCOL_VERSION } from "@convivio/protocol";
import { encodeHistogram, histogram, recordMs, sleep, wallMs } from "./stats.js";

export interface SwarmInit {
  url: string;
  boardId: string;
  /** One client per cookie (an empty cookie for the relay, which checks none). */
  cookies: string[];
  ideas: string[];
  connectConcurrency: number;
  ackTimeoutMs: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  errors: Record<string, number>;
  /** Connect + welcome + join ack + snapshot, per client (encoded HDR histogram, µs). */
  connectHist: string;
}

export interface VotePlan {
  /** Wall-clock ms when the first vote is due. */
  startAt: number;
  /** Votes per second from this swarm. */
  rate: number;
  durationMs: number;
  /** Unanswered votes allowed before the schedule waits (they then count as late). */
  maxInFlight: number;
  /** Spreads the ideas differently per swarm. */
  offset: number;
}

export interface VoteResult {
  sent: number;
  ok: number;
  refused: Record<string, number>;
  timeouts: number;
  /** Ack time from the emit (µs, encoded). */
  ackHist: string;
  /** How late each vote left against its schedule (generator lag, µs, encoded). */
  lagHist: string;
  /** [seq, emittedAt wall ms] of every accepted vote. */
  votes: [number, number][];
  okByIdea: Record<string, number>;
  /** This process during the vote phase: CPU % of one core and event-loop delay p99 (ms). */
  cpuPercent: number;
  eventLoopP99Ms: number;
}

export interface SettleRequest {
  finalSeq: number;
  tallies: Record<string, number>;
  timeoutMs: number;
}

export interface SettleResult {
  clients: number;
  /** Clients whose last applied seq is short of the final one after the wait. */
  behind: number;
  /** Patches that did not start right after the client's seq (updates skipped). */
  gaps: number;
  /** Seqs skipped by those gaps. */
  missed: number;
  /** Patches (or parts) covering seqs the client already had. */
  duplicates: number;
  /** Clients whose tallies differ from the server's at the end. */
  talliesMismatch: number;
  disconnects: number;
  patches: number;
  /** For seq s: latest first-arrival over this swarm's clients (wall ms), and how many clients got it. */
  coverFrom: number;
  coverTimes: number[];
  coverCounts: number[];
}

interface Client {
  socket: Socket;
  /** Last applied seq; -1 before the snapshot. */
  seq: number;
  tallies: Map<string, number>;
  gaps: number;
  missed: number;
  duplicates: number;
  patches: number;
  disconnected: boolean;
  snapshot: () => void;
}

interface Patch {
  fromSeq: number;
  toSeq: number;
  tallies?: Record<string, number> | null;
}

export class Swarm {
  private readonly clients: Client[] = [];
  private coverTimes = new Float64Array(1 << 12);
  private coverCounts = new Uint32Array(1 << 12);
  private disconnects = 0;

  constructor(private readonly init: SwarmInit) {}

  private cover(seq: number, at: number): void {
    if (seq >= this.coverTimes.length) {
      let size = this.coverTimes.length;
      while (size <= seq) size *= 2;
      const times = new Float64Array(size);
      times.set(this.coverTimes);
      const counts = new Uint32Array(size);
      counts.set(this.coverCounts);
      this.coverTimes = times;
      this.coverCounts = counts;
    }
    if (this.coverTimes[seq]! < at) this.coverTimes[seq] = at;
    this.coverCounts[seq]!++;
  }

  private onPatch(client: Client, patch: Patch): void {
    const at = wallMs();
    client.patches++;
    if (client.seq < 0) return; // Not joined yet: the snapshot will cover it.
    if (patch.toSeq <= client.seq) {
      client.duplicates++;
      return;
    }
    if (patch.fromSeq > client.seq + 1) {
      client.gaps++;
      client.missed += patch.fromSeq - client.seq - 1;
    } else if (patch.fromSeq < client.seq + 1) {
      client.duplicates++;
    }
    for (let s = Math.max(patch.fromSeq, client.seq + 1); s <= patch.toSeq; s++) this.cover(s, at);
    client.seq = patch.toSeq;
    if (patch.tallies === null) client.tallies.clear();
    else if (patch.tallies)
      for (const [idea, count] of Object.entries(patch.tallies)) {
        if (count === 0) client.tallies.delete(idea);
        else client.tallies.set(idea, count);
      }
  }

  private open(cookie: string): Promise<Client> {
    const { url, boardId } = this.init;
    return new Promise<Client>((resolve, reject) => {
      const socket = connect(url, {
        transports: ["websocket"],
        reconnection: false,
        forceNew: true,
        timeout: 60_000,
        auth: { protocolVersion: PROTOCOL_VERSION },
        ...(cookie ? { extraHeaders: { cookie } } : {}),
      });
      let snapshotSeen: () => void = () => undefined;
      const snapshotted = new Promise<void>((done) => (snapshotSeen = done));
      const client: Client = {
        socket,
        seq: -1,
        tallies: new Map(),
        gaps: 0,
        missed: 0,
        duplicates: 0,
        patches: 0,
        disconnected: false,
        snapshot: () => snapshotSeen(),
      };
      const fail = (reason: string) => {
        socket.close();
        reject(new Error(reason));
      };
      const timer = setTimeout(() => fail("timeout"), 90_000);
      socket.on("board:snapshot", (view: { seq: number; tallies: Record<string, number> | null }) => {
        client.seq = view.seq;
        client.tallies = new Map(Object.entries(view.tallies ?? {}));
        client.snapshot();
      });
      socket.on("board:patch", (patch: Patch) => this.onPatch(client, patch));
      socket.on("disconnect", () => {
        if (!client.disconnected) this.disconnects++;
        client.disconnected = true;
      });
      socket.once("connect_error", (err: Error & { data?: { code?: string } }) =>
        fail(err.data?.code ?? err.message),
      );
      socket.once("welcome", () => {
        socket
          .timeout(60_000)
          .emitWithAck("board:join", { boardId })
          .then(async (ack: { ok: boolean; code?: string }) => {
            if (!ack.ok) return fail(`join ${ack.code}`);
            await snapshotted;
            clearTimeout(timer);
            resolve(client);
          })
          .catch(() => fail("join timeout"));
      });
    });
  }

  async connect(): Promise<ConnectResult> {
    const hist = histogram();
    const errors: Record<string, number> = {};
    let next = 0;
    let failed = 0;
    const { cookies } = this.init;
    const lane = async () => {
      while (next < cookies.length) {
        const cookie = cookies[next++]!;
        const started = wallMs();
        try {
          this.clients.push(await this.open(cookie));
          recordMs(hist, wallMs() - started);
        } catch (err) {
          failed++;
          const reason = err instanceof Error ? err.message : String(err);
          errors[reason] = (errors[reason] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.init.connectConcurrency) }, lane));
    return { connected: this.clients.length, failed, errors, connectHist: encodeHistogram(hist) };
  }

  async vote(plan: VotePlan): Promise<VoteResult> {
    const ackHist = histogram();
    const lagHist = histogram();
    const refused: Record<string, number> = {};
    const okByIdea: Record<string, number> = {};
    const votes: [number, number][] = [];
    const { ideas, ackTimeoutMs, boardId } = this.init;
    const clients = this.clients.filter((c) => !c.disconnected);
    const total = clients.length === 0 ? 0 : Math.floor((plan.rate * plan.durationMs) / 1000);
    const intervalMs = 1000 / plan.rate;
    let sent = 0;
    let ok = 0;
    let timeouts = 0;
    let inFlight = 0;
    let settled: () => void = () => undefined;
    const allAnswered = new Promise<void>((resolve) => (settled = resolve));
    const answered = () => {
      inFlight--;
      if (sent === total && inFlight === 0) settled();
    };
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpuBefore = process.cpuUsage();
    const cpuFrom = performance.now();

    const send = (k: number) => {
      const client = clients[k % clients.length]!;
      const round = Math.floor(k / clients.length);
      const ideaId = ideas[(round + k + plan.offset) % ideas.length]!;
      const emittedAt = wallMs();
      recordMs(lagHist, emittedAt - (plan.startAt + k * intervalMs));
      inFlight++;
      client.socket
        .timeout(ackTimeoutMs)
        .emit(
          "board:command",
          { type: "castVote", boardId, ideaId, clientOpId: randomUUID() },
          (err: Error | null, ack: { ok: boolean; seq?: number; code?: string }) => {
            if (err) timeouts++;
            else {
              recordMs(ackHist, wallMs() - emittedAt);
              if (ack.ok) {
                ok++;
                votes.push([ack.seq!, emittedAt]);
                okByIdea[ideaId] = (okByIdea[ideaId] ?? 0) + 1;
              } else {
                const code = ack.code ?? "unknown";
                refused[code] = (refused[code] ?? 0) + 1;
              }
            }
            answered();
          },
        );
    };

    if (total > 0) {
      const wait = plan.startAt - wallMs();
      if (wait > 0) await sleep(wait);
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor((wallMs() - plan.startAt) / intervalMs) + 1);
          while (sent < due && inFlight < plan.maxInFlight) send(sent++);
          if (sent === total) {
            clearInterval(timer);
            resolve();
          }
        }, 2);
      });
      if (inFlight > 0) await allAnswered;
    }
    const cpu = process.cpuUsage(cpuBefore);
    const elapsed = performance.now() - cpuFrom;
    loop.disable();
    return {
      sent,
      ok,
      refused,
      timeouts,
      ackHist: encodeHistogram(ackHist),
      lagHist: encodeHistogram(lagHist),
      votes,
      okByIdea,
      cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, elapsed)) * 1000) / 10,
      eventLoopP99Ms: Math.round(loop.percentile(99) / 1e5) / 10,
    };
  }

  async settle(request: SettleRequest): Promise<SettleResult> {
    const deadline = Date.now() + request.timeoutMs;
    const live = () => this.clients.filter((c) => !c.disconnected);
    while (Date.now() < deadline && live().some((c) => c.seq < request.finalSeq)) await sleep(50);
    const expected = Object.entries(request.tallies).filter(([, n]) => n > 0);
    const sameTallies = (c: Client) =>
      c.tallies.size === expected.length && expected.every(([idea, n]) => c.tallies.get(idea) === n);
    const sum = (f: (c: Client) => number) => this.clients.reduce((a, c) => a + f(c), 0);
    const coverFrom = 1;
    const coverTimes: number[] = [];
    const coverCounts: number[] = [];
    for (let s = coverFrom; s <= request.finalSeq; s++) {
      coverTimes.push(s < this.coverTimes.length ? this.coverTimes[s]! : 0);
      coverCounts.push(s < this.coverCounts.length ? this.coverCounts[s]! : 0);
    }
    return {
      clients: this.clients.length,
      behind: this.clients.filter((c) => c.seq < request.finalSeq).length,
      gaps: sum((c) => c.gaps),
      missed: sum((c) => c.missed),
      duplicates: sum((c) => c.duplicates),
      talliesMismatch: this.clients.filter((c) => !sameTallies(c)).length,
      disconnects: this.disconnects,
      patches: sum((c) => c.patches),
      coverFrom,
      coverTimes,
      coverCounts,
    };
  }

  /** Forgets what was measured so far (between a warm-up and the measured phase). */
  resetCover(): void {
    this.coverTimes.fill(0);
    this.coverCounts.fill(0);
  }

  close(): void {
    for (const client of this.clients) client.socket.close();
  }
}
