// The join storm: N participants arrive within a window (0 = all at once) and each signs in with
// its emailed link, fetches the board snapshot and a media token, and connects the live socket to
// the board. Each participant's whole path is timed, and each step.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io as connect, type Socket } from "socket.io-client";
import { PROTOCOL_VERSION, type BoardAck } from "@convivio/protocol";
import { freshTarget, seed, type Driver, type Person } from "./seed.js";
import { startConvivio, startLiveKitStandIn, type LiveKitStandIn, type Process } from "./servers.js";
import {
  ProcessSampler,
  histogram,
  log,
  recordMs,
  sleep,
  summarize,
  wallMs,
  type Histogram,
  type LatencySummary,
  type ProcessStats,
} from "./stats.js";

export interface JoinScenario {
  driver: Driver;
  people: number;
  /** Arrivals spread evenly over this many ms (0: everyone at once). */
  windowMs: number;
  nodeArgs?: string[];
}

const STEPS = ["signIn", "snapshot", "mediaToken", "socket"] as const;

/**
 * Participants who join, a few at a time, before the storm and are not measured: the first
 * requests after a start pay for compiling the code paths on both sides (server and generator) and
 * opening connections, up to a second each, which is not what a storm into a running server costs.
 */
export const JOIN_WARM_UP = 20;
type Step = (typeof STEPS)[number];

export interface JoinResult {
  driver: Driver;
  people: number;
  windowMs: number;
  succeeded: number;
  failed: number;
  errors: Record<string, number>;
  /** From arrival until the socket is on the board with its snapshot. */
  total: LatencySummary;
  steps: Record<Step, LatencySummary>;
  /** First arrival to last participant on the board. */
  elapsedMs: number;
  mediaRoomCalls: number;
  server: ProcessStats | null;
}

class StepError extends Error {}

async function createBoard(url: string, organizer: Person, slug: string, sessionId: string): Promise<string> {
  const res = await fetch(`${url}/api/events/${slug}/sessions/${sessionId}/boards`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: organizer.cookie },
    body: JSON.stringify({ title: "Join storm" }),
  });
  if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { board: { id: string } }).board.id;
}

async function arrive(
  url: string,
  person: Person,
  boardId: string,
  sessionId: string,
  hists: Record<Step, Histogram>,
  sockets: Socket[],
): Promise<void> {
  const step = async <T>(name: Step, work: () => Promise<T>): Promise<T> => {
    const started = wallMs();
    try {
      return await work();
    } catch (err) {
      throw new StepError(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      recordMs(hists[name], wallMs() - started);
    }
  };
  const cookie = await step("signIn", async () => {
    const res = await fetch(`${url}/api/auth/magic-link/consume`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: person.magicToken }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(String(res.status));
    const session = res.headers.getSetCookie().find((c) => c.startsWith("convivio_session="));
    if (!session) throw new Error("no session cookie");
    return session.split(";")[0]!;
  });
  await step("snapshot", async () => {
    const res = await fetch(`${url}/api/boards/${boardId}`, { headers: { cookie } });
    const body = (await res.json()) as { view?: { seq: number } };
    if (res.status !== 200 || !body.view) throw new Error(String(res.status));
  });
  await step("mediaToken", async () => {
    const res = await fetch(`${url}/api/sessions/${sessionId}/media-token`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: "{}",
    });
    const body = (await res.json()) as { token?: string };
    if (res.status !== 200 || !body.token) throw new Error(String(res.status));
  });
  await step("socket", async () => {
    const socket = connect(url, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      auth: { protocolVersion: PROTOCOL_VERSION },
      extraHeaders: { cookie },
    });
    sockets.push(socket);
    const snapshot = new Promise<void>((resolve) => socket.once("board:snapshot", () => resolve()));
    await new Promise<void>((resolve, reject) => {
      socket.once("welcome", () => resolve());
      socket.once("connect_error", reject);
    });
    const ack: BoardAck = await socket.timeout(60_000).emitWithAck("board:join", { boardId });
    if (!ack.ok) throw new Error(ack.code);
    await snapshot;
  });
}

export async function runJoin(scenario: JoinScenario): Promise<JoinResult> {
  const { driver, people, windowMs } = scenario;
  const label = `join ${driver} ${people} in ${windowMs / 1000} s`;
  const dataDir = mkdtempSync(join(tmpdir(), "convivio-load-"));
  const target = await freshTarget(driver, dataDir);
  let server: Process | undefined;
  let liveKit: LiveKitStandIn | undefined;
  const sockets: Socket[] = [];
  try {
    log(`${label}: seeding`);
    const seeded = await seed(target, { participants: people + JOIN_WARM_UP, signedOut: true });
    liveKit = await startLiveKitStandIn();
    server = await startConvivio({
      target,
      env: {
        LIVEKIT_URL: liveKit.url,
        LIVEKIT_API_KEY: liveKit.apiKey,
        LIVEKIT_API_SECRET: liveKit.apiSecret,
      },
      ...(scenario.nodeArgs ? { nodeArgs: scenario.nodeArgs } : {}),
    });
    const { url } = server;
    const boardId = await createBoard(url, seeded.organizer, seeded.event.slug, seeded.sessionId);
    // Attendees may join a session's media room only while it is live.
    const started = await fetch(`${url}/api/sessions/${seeded.sessionId}/start`, {
      method: "POST",
      headers: { cookie: seeded.organizer.cookie },
    });
    if (started.status !== 200) throw new Error(`start session: ${started.status} ${await started.text()}`);

    const warm = Object.fromEntries(STEPS.map((s) => [s, histogram()])) as Record<Step, Histogram>;
    const warming = seeded.participants.slice(0, JOIN_WARM_UP);
    for (let i = 0; i < warming.length; i += 5) {
      await Promise.all(
        warming
          .slice(i, i + 5)
          .map((person) => arrive(url, person, boardId, seeded.sessionId, warm, sockets)),
      );
    }
    const storm = seeded.participants.slice(JOIN_WARM_UP);

    const hists = Object.fromEntries(STEPS.map((s) => [s, histogram()])) as Record<Step, Histogram>;
    const total = histogram();
    const errors: Record<string, number> = {};
    let succeeded = 0;
    const sampler = new ProcessSampler(server.pid, `${url}/metrics`, target.databaseName);
    await sampler.start();
    log(`${label}: storm`);
    const first = wallMs();
    const gap = people > 1 ? windowMs / people : 0;
    await Promise.all(
      storm.map(async (person, i) => {
        const due = first + i * gap;
        const wait = due - wallMs();
        if (wait > 0) await sleep(wait);
        const arrived = wallMs();
        try {
          await arrive(url, person, boardId, seeded.sessionId, hists, sockets);
          recordMs(total, wallMs() - arrived);
          succeeded++;
        } catch (err) {
          const reason = err instanceof StepError ? err.message : `other: ${String(err)}`;
          errors[reason] = (errors[reason] ?? 0) + 1;
        }
      }),
    );
    const elapsedMs = wallMs() - first;
    const serverStats = await sampler.stop();
    const result: JoinResult = {
      driver,
      people,
      windowMs,
      succeeded,
      failed: people - succeeded,
      errors,
      total: summarize(total),
      steps: Object.fromEntries(STEPS.map((s) => [s, summarize(hists[s])])) as Record<Step, LatencySummary>,
      elapsedMs: Math.round(elapsedMs),
      mediaRoomCalls: liveKit.calls(),
      server: serverStats,
    };
    log(
      `${label}: ${succeeded}/${people} in ${result.elapsedMs} ms, p50 ${result.total.p50} ms, p99 ${result.total.p99} ms`,
    );
    return result;
  } finally {
    for (const socket of sockets) socket.close();
    await server?.stop();
    await liveKit?.close();
    await target.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
