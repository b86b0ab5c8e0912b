#!/usr/bin/env node
// `npm start`: install what is missing, build, then run the server (which migrates on start-up).
// Plain JavaScript so it runs on a fresh clone before anything is installed or compiled.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const args = process.argv.slice(2);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Convivio needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
  process.exit(1);
}

if (!existsSync(join(root, "node_modules", ".bin", "turbo"))) {
  console.log("Installing dependencies (first run only)...");
  run(npm, [existsSync(join(root, "package-lock.json")) ? "ci" : "install", "--no-audit", "--no-fund"]);
}

console.log("Building...");
run(npm, [
  "exec",
  "--",
  "turbo",
  "run",
  "build",
  "--filter=@convivio/server...",
  "--filter=@convivio/web...",
  "--output-logs=errors-only",
]);

const server = spawnSync(process.execPath, [join(root, "apps", "server", "dist", "main.js"), ...args], {
  cwd: root,
  stdio: "inherit",
  env: process.env,
});
process.exit(server.status ?? 0);
