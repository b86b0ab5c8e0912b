// `npm run bench`: the whole load suite at full scale (or scaled), then docs/performance.md, the
// charts and docs/performance.json. Options (all optional):
//   --scale=0.1            multiply every count and rate (quick look: 0.1)
//   --only=board,registration,join
//   --duration=20          seconds of voting per board run
//   --workers=N            load-generator processes per board run (default: one per 2,500 clients)
//   --per-op-large         also run the per-vote-broadcast reference at the large scale
//   --variants=convivio,relay,per-op   which board servers to run (default: all three)
//   --sizes=small,large    which board scales (small 2,000@400/s, large 5,000@1,000/s)
//   --cpu-prof=DIR         run the real server under `node --cpu-prof`, profiles into DIR
//   --out=docs/performance.md  --json=docs/performance.json  --no-doc (print the JSON only)
//   --from-json=FILE       run nothing: render the report again from a saved JSON
//   --merge                keep the saved JSON's results of the parts not run this time
import { mkdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { sql } from "@convivio/db";
import { REPO_ROOT } from "./servers.js";
import { runBoard, type BoardResult, type BoardVariant } from "./board.js";
import { runJoin, type JoinResult } from "./join.js";
import { runRegistration, type RegistrationResult } from "./registration.js";
import { machineInfo, versions, writeReport, type BenchRun } from "./report.js";
import { freshTarget, openTarget } from "./seed.js";
import { killChildren } from "./servers.js";
import { loadAverage, log } from "./stats.js";

const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const flag = (name: string) => args.includes(`--${name}`);

const scale = Number(option("scale") ?? 1);
const only = new Set((option("only") ?? "board,registration,join").split(","));
const chosenVariants = new Set((option("variants") ?? "convivio,relay,per-op").split(","));
const sizes = new Set((option("sizes") ?? "small,large").split(","));
const durationMs = Number(option("duration") ?? 20) * 1000;
const profileDir = option("cpu-prof");
const nodeArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${resolve(profileDir)}`] : undefined;
if (profileDir) mkdirSync(resolve(profileDir), { recursive: true });
const scaled = (value: number) => Math.max(1, Math.round(value * scale));

async function postgresVersion(): Promise<string> {
  const target = await freshTarget("postgres", "/tmp");
  const database = await openTarget(target, 1);
  try {
    const rows = (await database.db.execute(sql`show server_version`)) as unknown as
      { rows: { server_version: string }[] } | { server_version: string }[];
    const list = Array.isArray(rows) ? rows : rows.rows;
    return list[0]?.server_version ?? "?";
  } finally {
    await database.close();
    await target.drop();
  }
}

async function main(): Promise<void> {
  const saved = option("from-json");
  if (saved) {
    const run = JSON.parse(readFileSync(resolve(saved), "utf8")) as BenchRun;
    writeReport(
      run,
      resolve(REPO_ROOT, option("out") ?? "docs/performance.md"),
      resolve(REPO_ROOT, option("json") ?? "docs/performance.json"),
    );
    return;
  }
  const started = new Date();
  const loadStart = loadAverage();
  const out = resolve(REPO_ROOT, option("out") ?? "docs/performance.md");
  const json = resolve(REPO_ROOT, option("json") ?? "docs/performance.json");
  const previous: Partial<BenchRun> = flag("merge")
    ? (JSON.parse(readFileSync(json, "utf8")) as BenchRun)
    : {};
  const kept = <T>(part: "board" | "registration" | "join", results: T[] | undefined): T[] =>
    only.has(part) ? [] : [...(results ?? [])];
  const board: BoardResult[] = kept("board", previous.board);
  const registration: RegistrationResult[] = kept("registration", previous.registration);
  const join: JoinResult[] = kept("join", previous.join);
  const failures: string[] = [];
  const pgVersion = await postgresVersion();
  const snapshot = async (): Promise<BenchRun> => ({
    startedAt: started.toISOString().slice(0, 16).replace("T", " "),
    finishedAt: new Date().toISOString().slice(0, 16).replace("T", " "),
    command: `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}`,
    machine: machineInfo(),
    versions: await versions(pgVersion),
    loadAverage: { start: loadStart, end: loadAverage() },
    board,
    registration,
    join,
    failures,
  });
  /** Runs one scenario; a failure is recorded and the suite goes on. The report is rewritten after each. */
  const step = async <T>(name: string, results: T[], run: () => Promise<T>) => {
    try {
      results.push(await run());
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
      log(`${name} failed: ${err instanceof Error ? err.stack : String(err)}`);
    }
    if (!flag("no-doc")) writeReport(await snapshot(), out, json);
  };

  if (only.has("board")) {
    const scales = [
      { participants: 2000, rate: 400 },
      { participants: 5000, rate: 1000 },
    ];
    for (const [index, s] of scales.entries()) {
      const participants = scaled(s.participants);
      const rate = scaled(s.rate);
      const workers = Number(option("workers") ?? Math.ceil(participants / 2500));
      if (!sizes.has(index === 0 ? "small" : "large")) continue;
      const variants = (
        index === 0 || flag("per-op-large") ? ["convivio", "relay", "per-op"] : ["convivio", "relay"]
      ).filter((v) => chosenVariants.has(v)) as BoardVariant[];
      for (const variant of variants) {
        await step(`board ${variant} ${participants}@${rate}/s`, board, () =>
          runBoard({
            variant,
            participants,
            rate,
            // The naive design collapses at these rates; a few seconds of it show how far.
            durationMs: variant === "per-op" ? Math.min(durationMs, 5_000) : durationMs,
            workers,
            ...(variant !== "relay" && nodeArgs ? { nodeArgs } : {}),
            ...(variant === "per-op" ? { settleTimeoutMs: 60_000, ackTimeoutMs: 60_000 } : {}),
          }),
        );
      }
    }
  }
  if (only.has("registration")) {
    for (const driver of ["postgres", "pglite"] as const) {
      await step(`registration ${driver}`, registration, () =>
        runRegistration({
          driver,
          people: scaled(2000),
          seats: scaled(500),
          ...(nodeArgs ? { nodeArgs } : {}),
        }),
      );
    }
  }
  if (only.has("join")) {
    for (const windowMs of [20_000, 0]) {
      await step(`join storm over ${windowMs / 1000} s`, join, () =>
        runJoin({ driver: "postgres", people: scaled(2000), windowMs, ...(nodeArgs ? { nodeArgs } : {}) }),
      );
    }
  }

  const run = await snapshot();
  if (flag("no-doc")) {
    process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    return;
  }
  writeReport(run, out, json);
  log(`wrote ${out} and ${json}${failures.length ? `; ${failures.length} scenario(s) failed` : ""}`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
