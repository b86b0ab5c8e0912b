#!/usr/bin/env node
// `npm test`: lint, typecheck and every test of every workspace through turbo, streamed as usual.
// Turbo interleaves many workspaces' output, so a failure can scroll far out of a CI log's tail;
// at the end this repeats what failed (failed tasks, failing tests and their first error lines).
import { spawn } from "node:child_process";

const args = ["run", "lint", "typecheck", "test", "--concurrency=2", "--continue", ...process.argv.slice(2)];
const child = spawn("npx", ["turbo", ...args], { stdio: ["inherit", "pipe", "pipe"] });

const ANSI = /\u001b\[[0-9;]*m/g;
const FAILURE = /( FAIL | ×|✗|AssertionError|Error:|ERROR|failed with|error TS\d+|\d+:\d+\s+error\s)/;
const MAX_LINES = 120;
const failures = [];
let partial = "";

function scan(chunk) {
  const text = partial + chunk.toString();
  const lines = text.split("\n");
  partial = lines.pop() ?? "";
  for (const line of lines) {
    const plain = line.replace(ANSI, "");
    if (FAILURE.test(plain) && failures.length < MAX_LINES) failures.push(plain.slice(0, 400));
  }
}

child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  scan(chunk);
});
child.stderr.on("data", (chunk) => {
  process.stderr.write(chunk);
  scan(chunk);
});
child.on("close", (code) => {
  if (code !== 0 && failures.length > 0) {
    console.log("\n== what failed (repeated from above) ==");
    for (const line of failures) console.log(line);
  }
  process.exit(code ?? 1);
});
