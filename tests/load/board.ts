// The board benchmark: N clients on one board in the vote phase, votes at an aggregate rate, against
// the real server (coalescing tick, or BOARD_BROADCAST=per-op) or the bare relay reference.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io as connect } from "socket.io-client";
import { PROTOCOL_VERSION, type BoardAck, type BoardView } from "@convivio/protocol";
import { ForkedSwarm, LocalSwarm, canFork, type SwarmHandle } from "./handles.js";
import { freshTarget, seed, type Person } from "./seed.js";
import { startConvivio, startRelay, type Process } from "./servers.js";
import {
  ProcessSampler,
  decodeHistogram,
  histogram,
  log,
  recordMs,
  settledRss,
  summarize,
  wallMs,
  type LatencySummary,
  type ProcessStats,
} from "./stats.js";
import type { SettleResult, VoteResult } from "./swarm.js";

/** convivio: the real server; per-op: the real server with BOARD_BROADCAST=per-op; relay: bare socket.io. */
export type BoardVariant = "convivio" | "per-op" | "relay";

export interface BoardScenario {
  variant: BoardVariant;
  participants: number;
  /** Aggregate votes per second. */
  rate: number;
  durationMs: number;
  /** Load-generator worker processes (0 = in this process). */
  workers: number;
  ideas?: number;
  /** Extra node flags for the real server (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Unanswered votes allowed at once, over all clients (keeps a collapsing server bounded). */
  maxInFlight?: number;
  ackTimeoutMs?: number;
  settleTimeoutMs?: number;
  /** For the in-process relay of the tests: a relay already running. */
  relayUrl?: string;
}

export interface BoardResult {
  variant: BoardVariant;
  participants: number;
  rate: number;
  durationMs: number;
  workers: number;
  connect: {
    connected: number;
    failed: number;
    errors: Record<string, number>;
    elapsedMs: number;
    latency: LatencySummary;
  };
  memory: { baselineRssBytes: number; joinedRssBytes: number; perConnectionBytes: number } | null;
  votes: { planned: number; sent: number; ok: number; refused: Record<string, number>; timeouts: number };
  ack: LatencySummary;
  visible: LatencySummary;
  /** Accepted votes that some client never received. */
  notVisibleToAll: number;
  generatorLag: LatencySummary;
  integrity: Omit<SettleResult, "coverFrom" | "coverTimes" | "coverCounts"> & { finalSeq: number };
  server: ProcessStats | null;
  generator: { cpuPercent: number[]; eventLoopP99Ms: number[] };
}

const ORGANIZER_SETTINGS = { hideVotesUntilReveal: false, voteBudget: 100, maxVotesPerIdea: 100 };

/** Creates a board in the vote phase with `count` ideas, as the organizer; returns its id and ideas. */
async function prepareBoard(
  url: string,
  organizer: Person,
  seeded: { event: { slug: string }; sessionId: string },
  count: number,
): Promise<{ boardId: string; ideas: string[] }> {
  const created = await fetch(`${url}/api/events/${seeded.event.slug}/sessions/${seeded.sessionId}/boards`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: organizer.cookie },
    body: JSON.stringify({ title: "Load", settings: ORGANIZER_SETTINGS }),
  });
  if (created.status !== 201) throw new Error(`create board: ${created.status} ${await created.text()}`);
  const boardId = ((await created.json()) as { board: { id: string } }).board.id;
  const socket = connect(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    auth: { protocolVersion: PROTOCOL_VERSION },
    extraHeaders: { cookie: organizer.cookie },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("welcome", () => resolve());
      socket.once("connect_error", reject);
    });
    const send = async (command: Record<string, unknown>) => {
      const ack: BoardAck = await socket
        .timeout(30_000)
        .emitWithAck("board:command", { ...command, boardId, clientOpId: randomUUID() });
      if (!ack.ok) throw new Error(`${String(command.type)}: ${ack.code}`);
      return ack;
    };
    const join: BoardAck = await socket.timeout(30_000).emitWithAck("board:join", { boardId });
    if (!join.ok) throw new Error(`organizer join: ${join.code}`);
    const ideas: string[] = [];
    for (let i = 0; i < count; i++) {
      const ack = await send({ type: "proposeIdea", columnId: "ideas", text: `Idea ${i + 1}` });
      if (ack.ok && ack.createdId) ideas.push(ack.createdId);
    }
    await send({ type: "setPhase", phase: "vote" });
    return { boardId, ideas };
  } finally {
    socket.close();
  }
}

function slices<T>(items: T[], parts: number): T[][] {
  const out: T[][] = Array.from({ length: parts }, () => []);
  items.forEach((item, i) => out[i % parts]!.push(item));
  return out;
}

export async function runBoard(scenario: BoardScenario): Promise<BoardResult> {
  const { variant, participants, rate, durationMs } = scenario;
  const label = `board ${variant} ${participants}@${rate}/s`;
  const dataDir = mkdtempSync(join(tmpdir(), "convivio-load-"));
  let server: Process | undefined;
  let drop: () => Promise<void> = async () => undefined;
  const handles: SwarmHandle[] = [];
  try {
    let url: string;
    let boardId: string;
    let ideas: string[];
    let cookies: string[];
    let finalState: () => Promise<{ seq: number; tallies: Record<string, number> }>;
    let pid: number | undefined;
    let databaseName: string | undefined;
    if (variant === "relay") {
      if (scenario.relayUrl) url = scenario.relayUrl;
      else {
        server = await startRelay("tick");
        url = server.url;
        pid = server.pid;
      }
      boardId = randomUUID();
      ideas = Array.from({ length: scenario.ideas ?? 12 }, () => randomUUID());
      cookies = Array.from({ length: participants }, () => "");
      finalState = async () =>
        (await fetch(`${url}/state`)).json() as Promise<{ seq: number; tallies: Record<string, number> }>;
    } else {
      log(`${label}: seeding ${participants} people`);
      const target = await freshTarget("postgres", dataDir);
      drop = target.drop;
      databaseName = target.databaseName;
      const seeded = await seed(target, { participants });
      server = await startConvivio({
        target,
        env: variant === "per-op" ? { BOARD_BROADCAST: "per-op" } : {},
        ...(scenario.nodeArgs ? { nodeArgs: scenario.nodeArgs } : {}),
      });
      url = server.url;
      pid = server.pid;
      ({ boardId, ideas } = await prepareBoard(url, seeded.organizer, seeded, scenario.ideas ?? 12));
      cookies = seeded.participants.map((p) => p.cookie);
      const organizerCookie = seeded.organizer.cookie;
      finalState = async () => {
        const res = await fetch(`${url}/api/boards/${boardId}`, { headers: { cookie: organizerCookie } });
        const { view } = (await res.json()) as { view: BoardView };
        return { seq: view.seq, tallies: view.tallies ?? {} };
      };
    }

    const baselineRss = pid ? await settledRss(pid, 1_500) : 0;
    const workers = scenario.workers > 0 && canFork() ? scenario.workers : 0;
    const parts = Math.max(1, workers);
    for (let i = 0; i < parts; i++) handles.push(workers > 0 ? new ForkedSwarm() : new LocalSwarm());
    const ackTimeoutMs = scenario.ackTimeoutMs ?? 30_000;
    log(`${label}: connecting ${participants} clients from ${parts} process(es)`);
    const connectStarted = wallMs();
    const connected = await Promise.all(
      slices(cookies, parts).map((part, i) =>
        handles[i]!.connect({
          url,
          boardId,
          cookies: part,
          ideas,
          connectConcurrency: Math.max(4, Math.ceil(64 / parts)),
          ackTimeoutMs,
        }),
      ),
    );
    const connectElapsed = wallMs() - connectStarted;
    const connectHist = histogram();
    for (const c of connected) connectHist.add(decodeHistogram(c.connectHist));
    const clients = connected.reduce((a, c) => a + c.connected, 0);
    const errors: Record<string, number> = {};
    for (const c of connected)
      for (const [k, v] of Object.entries(c.errors)) errors[k] = (errors[k] ?? 0) + v;
    const joinedRss = pid ? await settledRss(pid, 3_000) : 0;
    log(`${label}: ${clients} joined in ${Math.round(connectElapsed)} ms; voting for ${durationMs} ms`);

    const sampler = pid ? new ProcessSampler(pid, `${url}/metrics`, databaseName) : undefined;
    await sampler?.start();
    const startAt = wallMs() + 500;
    const maxInFlight = scenario.maxInFlight ?? Math.max(200, rate * 5);
    const voted: VoteResult[] = await Promise.all(
      handles.map((handle, i) =>
        handle.vote({
          startAt,
          rate: rate / parts,
          durationMs,
          maxInFlight: Math.ceil(maxInFlight / parts),
          offset: i,
        }),
      ),
    );
    const serverStats = (await sampler?.stop()) ?? null;

    const truth = await finalState();
    log(`${label}: settling at seq ${truth.seq}`);
    const settled = await Promise.all(
      handles.map((handle) =>
        handle.settle({
          finalSeq: truth.seq,
          tallies: truth.tallies,
          timeoutMs: scenario.settleTimeoutMs ?? 20_000,
        }),
      ),
    );

    // Visible to all: per accepted vote, the latest first arrival over every client.
    const latest = new Float64Array(truth.seq + 1);
    const counts = new Uint32Array(truth.seq + 1);
    for (const part of settled) {
      part.coverTimes.forEach((t, i) => {
        const s = part.coverFrom + i;
        if (s <= truth.seq) {
          if (t > latest[s]!) latest[s] = t;
          counts[s]! += part.coverCounts[i]!;
        }
      });
    }
    const ackHist = histogram();
    const lagHist = histogram();
    const visibleHist = histogram();
    let notVisibleToAll = 0;
    for (const v of voted) {
      ackHist.add(decodeHistogram(v.ackHist));
      lagHist.add(decodeHistogram(v.lagHist));
      for (const [seq, emittedAt] of v.votes) {
        if (seq <= truth.seq && counts[seq]! >= clients) recordMs(visibleHist, latest[seq]! - emittedAt);
        else notVisibleToAll++;
      }
    }
    const refused: Record<string, number> = {};
    for (const v of voted) for (const [k, n] of Object.entries(v.refused)) refused[k] = (refused[k] ?? 0) + n;
    const sumOf = (f: (s: SettleResult) => number) => settled.reduce((a, s) => a + f(s), 0);
    const result: BoardResult = {
      variant,
      participants,
      rate,
      durationMs,
      workers: parts,
      connect: {
        connected: clients,
        failed: connected.reduce((a, c) => a + c.failed, 0),
        errors,
        elapsedMs: Math.round(connectElapsed),
        latency: summarize(connectHist),
      },
      memory: pid
        ? {
            baselineRssBytes: Math.round(baselineRss),
            joinedRssBytes: Math.round(joinedRss),
            perConnectionBytes: clients > 0 ? Math.round((joinedRss - baselineRss) / clients) : 0,
          }
        : null,
      votes: {
        planned: Math.floor((rate / parts) * (durationMs / 1000)) * parts,
        sent: voted.reduce((a, v) => a + v.sent, 0),
        ok: voted.reduce((a, v) => a + v.ok, 0),
        refused,
        timeouts: voted.reduce((a, v) => a + v.timeouts, 0),
      },
      ack: summarize(ackHist),
      visible: summarize(visibleHist),
      notVisibleToAll,
      generatorLag: summarize(lagHist),
      integrity: {
        finalSeq: truth.seq,
        clients: sumOf((s) => s.clients),
        behind: sumOf((s) => s.behind),
        gaps: sumOf((s) => s.gaps),
        missed: sumOf((s) => s.missed),
        duplicates: sumOf((s) => s.duplicates),
        talliesMismatch: sumOf((s) => s.talliesMismatch),
        disconnects: sumOf((s) => s.disconnects),
        patches: sumOf((s) => s.patches),
      },
      server: serverStats,
      generator: {
        cpuPercent: voted.map((v) => v.cpuPercent),
        eventLoopP99Ms: voted.map((v) => v.eventLoopP99Ms),
      },
    };
    log(
      `${label}: ack p99 ${result.ack.p99} ms, visible p99 ${result.visible.p99} ms, ` +
        `ok ${result.votes.ok}/${result.votes.planned}, lost ${result.integrity.missed + notVisibleToAll}, ` +
        `dup ${result.integrity.duplicates}, server CPU ${serverStats?.cpuPercent ?? "?"}%, database CPU ${serverStats?.databaseCpuPercent ?? "–"}%, ` +
        `server loop p99 ${serverStats?.eventLoopP99MaxMs ?? "?"} ms, generator CPU ${result.generator.cpuPercent.join("/")}%, ` +
        `generator lag p99 ${result.generatorLag.p99} ms, load ${serverStats?.loadAverage[0] ?? "?"}`,
    );
    return result;
  } finally {
    await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
    await server?.stop();
    await drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
