// Runs the built server (apps/server/dist/main.js) as a real child process, the way `npm start`
// does, on a free port with its own data folder.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SERVER_MAIN = join(REPO_ROOT, "apps", "server", "dist", "main.js");

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  dataDir: string;
  /** SIGTERM and wait for the exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, like a crashed machine. */
  kill(): Promise<void>;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Puts the server's errors (pino level 50 and up) into the test output, where CI shows them. */
function reportProblems(output: string): void {
  const problems = output.split("\n").filter((line) => /"level":(50|60)\b/.test(line));
  if (problems.length)
    console.warn(`server logged ${problems.length} error(s):\n${problems.slice(0, 20).join("\n")}`);
}

export async function startServerProcess(
  options: {
    env?: Record<string, string>;
    args?: string[];
    port?: number;
    dataDir?: string;
    timeoutMs?: number;
  } = {},
): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "convivio-e2e-"));
  const ownsData = !options.dataDir;
  const child = spawn(process.execPath, [SERVER_MAIN, ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  // Generous: on a loaded 2-core CI machine, start-up (PGlite, migrations) has taken over a minute.
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  while (!output.includes("Convivio is running at")) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not start in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `http://localhost:${port}`;
  const cleanup = () => {
    if (ownsData) rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    url,
    port,
    child,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const code = await exited;
      reportProblems(output);
      cleanup();
      return code;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
