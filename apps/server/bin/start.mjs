#!/usr/bin/env node
// `npm start`: install what is missing or out of date, build, then run the server (which migrates
// on start-up). Plain JavaScript so it runs on a fresh clone before anything is installed or compiled.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const args = process.argv.slice(2);
const windows = process.platform === "win32";
const npm = windows ? "npm.cmd" : "npm";
const lockFile = join(root, "package-lock.json");
// npm's own record of what node_modules holds; written by every install.
const installedLock = join(root, "node_modules", ".package-lock.json");
// Ours: the hash of the package-lock.json the last install used.
const installStamp = join(root, "node_modules", ".convivio-install-stamp");

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Convivio needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}

// ---- signals ----
//
// Each step runs in a process group of its own, and this process forwards SIGINT and SIGTERM to
// it (SIGHUP, a closed terminal, as SIGTERM), so the server gets exactly one signal and shuts down
// gracefully. Sharing our group would not do: Ctrl-C reaches every process of the terminal's group
// and npm forwards it to us as well, so the server would see two signals, and its second-signal
// rule (exit at once) would skip the graceful stop. The same Ctrl-C reaches us twice for that
// reason too, so copies within DUPLICATE_SIGNAL_MS count once; a second Ctrl-C later still forces.
const DUPLICATE_SIGNAL_MS = 500;
let child = null;
let stopSignal = null;
let lastForwardAt = 0;

function forward(received) {
  const signal = received === "SIGHUP" ? "SIGTERM" : received;
  stopSignal ??= signal;
  const now = Date.now();
  if (now - lastForwardAt < DUPLICATE_SIGNAL_MS) return;
  lastForwardAt = now;
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    // Between steps: nothing to stop, so stop here.
    process.exit(128 + constants.signals[signal]);
  }
  try {
    if (windows) child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // The group is already gone; its exit handler finishes for us.
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, forward);

/** Runs a command to its end; resolves with its exit code (128 + signal number if a signal ended it). */
function run(command, commandArgs) {
  return new Promise((resolve, reject) => {
    child = spawn(command, commandArgs, {
      cwd: root,
      // Nothing here reads the terminal, and a background process group that did would be
      // stopped by it (SIGTTIN).
      stdio: ["ignore", "inherit", "inherit"],
      env: process.env,
      detached: !windows,
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      child = null;
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

async function step(command, commandArgs) {
  const code = await run(command, commandArgs);
  if (stopSignal) process.exit(code || 128 + constants.signals[stopSignal]);
  if (code !== 0) process.exit(code);
}

// ---- install ----

const lockHash = () => createHash("sha256").update(readFileSync(lockFile)).digest("hex");

/** Why node_modules needs an install, or null when it matches package-lock.json. */
function installReason() {
  if (!existsSync(join(root, "node_modules", ".bin", "turbo"))) return "first run, or an install cut short";
  if (!existsSync(lockFile)) return null;
  if (!existsSync(installedLock)) return "node_modules has no record of its install";
  // The stamp compares contents, so a checkout that only touched the file's time installs nothing.
  if (existsSync(installStamp)) {
    return readFileSync(installStamp, "utf8").trim() === lockHash() ? null : "package-lock.json changed";
  }
  return statSync(lockFile).mtimeMs > statSync(installedLock).mtimeMs ? "package-lock.json is newer" : null;
}

const reason = installReason();
if (reason) {
  console.log(`Installing dependencies (${reason})...`);
  const hasLock = existsSync(lockFile);
  await step(npm, [hasLock ? "ci" : "install", "--no-audit", "--no-fund"]);
  if (hasLock) writeFileSync(installStamp, `${lockHash()}\n`);
}

// ---- build ----

console.log("Building...");
await step(npm, [
  "exec",
  "--",
  "turbo",
  "run",
  "build",
  "--filter=@convivio/server...",
  "--filter=@convivio/web...",
  "--output-logs=errors-only",
]);

// ---- serve ----

const code = await run(process.execPath, [join(root, "apps", "server", "dist", "main.js"), ...args]);
process.exit(code);
