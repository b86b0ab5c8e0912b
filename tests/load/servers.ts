// The processes a load run talks to: the real server (apps/server/dist/main.js, optionally under
// `node --cpu-prof`), the bare socket.io relay reference (relay.ts), and a LiveKit room-API
// stand-in for the media tokens of the join storm.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TokenVerifier } from "livekit-server-sdk";
import type { DataTarget } from "./seed.js";

/** The repository root, found upwards from this file (it runs from source and from dist). */
function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "apps", "server", "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("repository root not found");
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot();
export const SERVER_MAIN = join(REPO_ROOT, "apps", "server", "dist", "main.js");

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createTcpServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address() as AddressInfo;
      probe.close(() => resolve(address.port));
    });
  });
}

/** Every process a run started, so an interrupted bench can end them (by their own handles). */
export const children = new Set<ChildProcess>();

export function killChildren(): void {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
}

export interface Process {
  url: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

async function spawnUntil(
  args: string[],
  env: Record<string, string>,
  ready: (output: string) => boolean,
  url: string,
  timeoutMs = 120_000,
): Promise<Process> {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + timeoutMs;
  while (!ready(output)) {
    if (child.exitCode !== null) throw new Error(`process exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`process did not start in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

export interface ServerOptions {
  target: DataTarget;
  env?: Record<string, string>;
  /** Node flags, e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"]. */
  nodeArgs?: string[];
}

/** The real server, the way `npm start` runs it, in production mode on loopback. */
export async function startConvivio(options: ServerOptions): Promise<Process> {
  const port = await freePort();
  const { target } = options;
  return spawnUntil(
    [...(options.nodeArgs ?? []), SERVER_MAIN],
    {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: target.dataDir,
      ...(target.url ? { DATABASE_URL: target.url } : {}),
      LOG_LEVEL: "warn",
      AUTH_RATE_LIMIT: "10000",
      REGISTRATION_RATE_LIMIT: "100000",
      ...options.env,
    },
    (output) => output.includes("Convivio is running at"),
    `http://127.0.0.1:${port}`,
  );
}

export const RELAY_SCRIPT = fileURLToPath(new URL("./relay.js", import.meta.url));

/** The bare socket.io relay (compiled relay.js next to this file), coalescing or per op. */
export async function startRelay(mode: "tick" | "per-op"): Promise<Process> {
  const port = await freePort();
  return spawnUntil(
    [RELAY_SCRIPT, `--port=${port}`, `--mode=${mode}`],
    {},
    (output) => output.includes("relay listening"),
    `http://127.0.0.1:${port}`,
    30_000,
  );
}

/** Built with the harness (`tests/dist`), so the load test, run from the sources, finds it too. */
export const FORM_FLOOR_SCRIPT = join(REPO_ROOT, "tests", "dist", "load", "formFloor.js");

/** The registration storm's bare reference (formFloor.ts), in its own process like the server. */
export async function startFormFloorProcess(): Promise<Process> {
  const port = await freePort();
  return spawnUntil(
    [FORM_FLOOR_SCRIPT, `--port=${port}`],
    {},
    (output) => output.includes("form floor listening"),
    `http://127.0.0.1:${port}`,
    30_000,
  );
}

export interface LiveKitStandIn {
  url: string;
  apiKey: string;
  apiSecret: string;
  calls: () => number;
  close(): Promise<void>;
}

/**
 * A STAND-IN for LiveKit's room API (no LiveKit server here): CreateRoom over Twirp JSON with the
 * caller's JWT verified. The server ensures a room on its first media token and then remembers it
 * for a minute, so a crowd joining one room makes one call.
 */
export async function startLiveKitStandIn(): Promise<LiveKitStandIn> {
  const apiKey = "load-key";
  const apiSecret = "load-secret-that-is-long-enough-for-hs256";
  const verifier = new TokenVerifier(apiKey, apiSecret);
  let calls = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(body));
        };
        calls++;
        if (req.method !== "POST" || req.url !== "/twirp/livekit.RoomService/CreateRoom")
          return send(501, { code: "unimplemented", msg: "only CreateRoom in this stand-in" });
        try {
          const grants = await verifier.verify(
            /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "",
          );
          if (grants.video?.roomCreate !== true)
            return send(401, { code: "unauthenticated", msg: "no grant" });
        } catch {
          return send(401, { code: "unauthenticated", msg: "invalid token" });
        }
        const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as Record<string, unknown>;
        send(200, { name: body.name, empty_timeout: body.emptyTimeout ?? 0 });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    apiKey,
    apiSecret,
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
