// `npm start` (apps/server/bin/start.mjs) as a newcomer runs it, on this already-installed checkout:
// it skips the install (node_modules matches package-lock.json), builds, runs the server, prints the
// URL; the URL serves /healthz and the built web app; Ctrl-C (the terminal's SIGINT to the group,
// and npm's forwarded copy of it a moment later) reaches the server once, which finishes the request
// in flight, stops gracefully, and `npm start` exits 0.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, freePort } from "../support/server.js";

const START = join(REPO_ROOT, "apps", "server", "bin", "start.mjs");
/** Building on a cold turbo cache takes minutes on 2 busy cores; a warm one takes seconds. */
const START_TIMEOUT_MS = 15 * 60_000;
const STOP_TIMEOUT_MS = 60_000;

/**
 * Why start.mjs would install (the same checks as its installReason), or null. This test runs on
 * the checkout it lives in: it refuses to start rather than let `npm ci` replace node_modules under
 * everything else running from it.
 */
function installReason(): string | null {
  const modules = join(REPO_ROOT, "node_modules");
  const lockFile = join(REPO_ROOT, "package-lock.json");
  const installedLock = join(modules, ".package-lock.json");
  const stamp = join(modules, ".convivio-install-stamp");
  if (!existsSync(join(modules, ".bin", "turbo"))) return "no node_modules/.bin/turbo";
  if (!existsSync(lockFile)) return null;
  if (!existsSync(installedLock)) return "no node_modules/.package-lock.json";
  if (existsSync(stamp)) {
    const hash = createHash("sha256").update(readFileSync(lockFile)).digest("hex");
    return readFileSync(stamp, "utf8").trim() === hash ? null : "package-lock.json changed since the install";
  }
  return statSync(lockFile).mtimeMs > statSync(installedLock).mtimeMs
    ? "package-lock.json is newer than the install"
    : null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`, or a failure with `message` once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message())), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills a process group, and a process, if still there. */
function killQuietly(pid: number | undefined, signal: NodeJS.Signals = "SIGKILL"): void {
  if (!pid) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

describe("npm start", () => {
  it(
    "skips the install, builds, serves the API and the web app at the printed URL, and stops cleanly on Ctrl-C",
    { timeout: START_TIMEOUT_MS + STOP_TIMEOUT_MS + 30_000 },
    async () => {
      const reason = installReason();
      if (reason) {
        throw new Error(
          `node_modules does not match package-lock.json (${reason}): run \`npm ci\` first; this test does not let npm start reinstall the checkout it runs from`,
        );
      }
      const port = await freePort();
      const dataDir = mkdtempSync(join(tmpdir(), "convivio-start-"));
      // Embedded defaults: none of the cluster's services, whatever the environment of the test run.
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const name of ["DATABASE_URL", "REDIS_URL", "SMTP_URL", "PUBLIC_URL", "LIVEKIT_URL", "WEB_DIST"]) {
        delete env[name];
      }
      // Its own process group, as a terminal gives the command it runs: Ctrl-C goes to the group.
      const child = spawn(process.execPath, [START], {
        cwd: REPO_ROOT,
        env: {
          ...env,
          NODE_ENV: "development",
          HOST: "127.0.0.1",
          PORT: String(port),
          DATA_DIR: dataDir,
          LOG_LEVEL: "info",
        },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let output = "";
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal })),
      );
      /** The server's own pid, from its logs (it runs in a process group of its own). */
      const serverPid = () =>
        Number(/"service":"convivio-server","pid":(\d+)/.exec(output)?.[1]) || undefined;

      let socket: Socket | undefined;
      try {
        const deadline = Date.now() + START_TIMEOUT_MS;
        let url: string | undefined;
        while (!url) {
          url = /Convivio is running at (http:\/\/\S+)/.exec(output)?.[1];
          if (child.exitCode !== null)
            throw new Error(`npm start exited early (${child.exitCode}):\n${output}`);
          if (Date.now() > deadline) throw new Error(`npm start printed no URL in time:\n${output}`);
          await sleep(200);
        }
        expect(url).toBe(`http://localhost:${port}`);
        expect(output).not.toContain("Installing dependencies");
        expect(output.indexOf("Building...")).toBeGreaterThanOrEqual(0);
        expect(output.indexOf("Building...")).toBeLessThan(output.indexOf("Convivio is running at"));

        const health = await fetch(`${url}/healthz`);
        expect(health.status).toBe(200);
        // The web app as it was just built: index.html, with the entry script of this build.
        const built = readFileSync(join(REPO_ROOT, "apps", "web", "dist", "index.html"), "utf8");
        const entry = /<script type="module" crossorigin src="([^"]+)"/.exec(built)?.[1];
        expect(entry).toMatch(/^\/assets\/index-[\w-]+\.js$/);
        for (const path of ["/", "/dashboard"]) {
          const page = await fetch(`${url}${path}`);
          expect(page.status, path).toBe(200);
          expect(page.headers.get("content-type"), path).toContain("text/html");
          const html = await page.text();
          expect(html, path).toContain('<div id="root"></div>');
          expect(html, path).toContain(entry);
        }
        const script = await fetch(`${url}${entry}`);
        expect(script.status).toBe(200);
        expect(script.headers.get("content-type")).toContain("javascript");

        // A request in flight when Ctrl-C comes: its headers are in, its body is not finished.
        socket = connect(port, "127.0.0.1");
        await once(socket, "connect");
        let response = "";
        socket.on("data", (chunk: Buffer) => (response += chunk.toString()));
        const socketClosed = once(socket, "close");
        const body = JSON.stringify({ email: "nobody@example.it", password: "not the password at all" });
        socket.write(
          `POST /api/auth/sign-in HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`,
        );
        await sleep(300);

        // Ctrl-C: SIGINT to the terminal's group, then, under npm, npm's forwarded copy to start.mjs.
        process.kill(-child.pid!, "SIGINT");
        await sleep(100);
        killQuietly(child.pid, "SIGINT");
        await sleep(500);
        // The server got one signal: it waits for the request in flight (a second signal would have
        // made it exit at once, with 1).
        expect(child.exitCode, output).toBeNull();
        expect(output).toMatch(/"msg":"shutting down/);
        socket.write(body.slice(5));
        await within(socketClosed, STOP_TIMEOUT_MS, () => `the request in flight got no answer:\n${output}`);
        expect(response).toMatch(/^HTTP\/1\.1 401 /);
        expect(response).toContain('"code":"invalid_credentials"');

        const result = await within(
          exited,
          STOP_TIMEOUT_MS,
          () => `npm start did not stop in time:\n${output}`,
        );
        expect(result, output).toEqual({ code: 0, signal: null });
        expect(output).toMatch(/"msg":"stopped"/);
        expect(output).not.toMatch(/"level":(50|60)\b/);
        await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      } finally {
        socket?.destroy();
        if (child.exitCode === null && child.signalCode === null) killQuietly(-child.pid!);
        killQuietly(serverPid());
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
