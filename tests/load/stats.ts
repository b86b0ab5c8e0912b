// Measuring for the load harness: HDR histograms (microseconds in, milliseconds out), the CPU and
// memory of a process read from /proc, and the event-loop delay a server reports on /metrics.
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import * as hdr from "hdr-histogram-js";
import type { Histogram } from "hdr-histogram-js";

export type { Histogram };

/** 1 µs .. 10 min at 3 significant digits. Values are recorded in microseconds. */
export function histogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.max(1, Math.round(ms * 1000)));
}

export const encodeHistogram = (h: Histogram): string => hdr.encodeIntoCompressedBase64(h);

export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded);
  // The decoded one may have another internal layout; copy into the standard one so `add` works.
  const h = histogram();
  h.add(decoded);
  return h;
}

/** Percentiles in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

const ms = (us: number) => Math.round(us) / 1000;

export function summarize(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}

/** Wall clock in milliseconds with sub-millisecond precision, comparable across processes. */
export const wallMs = (): number => performance.timeOrigin + performance.now();

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU seconds (user + system) and resident memory of a process, from /proc (Linux). */
export function readProc(pid: number): { cpuSeconds: number; rssBytes: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces; fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    return { cpuSeconds: (utime + stime) / ticksPerSecond(), rssBytes: rssKb * 1024 };
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of the PostgreSQL backends serving one database (their process titles name it), so
 * the database's share of the work shows beside the server's; other databases' backends are left out.
 */
export function databaseCpuSeconds(databaseName: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmdline.startsWith("postgres:") || !cmdline.includes(` ${databaseName} `)) continue;
      const cpu = readProc(Number(entry))?.cpuSeconds;
      if (cpu !== undefined) byPid.set(Number(entry), cpu);
    } catch {
      // Gone meanwhile.
    }
  }
  return byPid;
}

export function loadAverage(): [number, number, number] {
  try {
    const [a, b, c] = readFileSync("/proc/loadavg", "utf8").split(" ").map(Number);
    return [a ?? 0, b ?? 0, c ?? 0];
  } catch {
    return [0, 0, 0];
  }
}

/** Parses one gauge from a Prometheus text exposition (any metric-name prefix). */
export function metricValue(text: string, suffix: string): number | undefined {
  const match = new RegExp(`^(?:\\w+_)?${suffix}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, "m").exec(text);
  return match ? Number(match[1]) : undefined;
}

export interface ProcessStats {
  /** Average CPU over the window, in percent of one core. */
  cpuPercent: number;
  /** CPU seconds used in the window, and the window's length. */
  cpuSeconds: number;
  windowSeconds: number;
  /** The PostgreSQL backends of the run's database over the same window (null: none or PGlite). */
  databaseCpuPercent: number | null;
  rssStartBytes: number;
  rssPeakBytes: number;
  rssEndBytes: number;
  /** Event-loop delay reported by the process, per scrape (each scrape covers the time since the last). */
  eventLoopP99MaxMs: number | null;
  eventLoopP99MeanMs: number | null;
  eventLoopMaxMs: number | null;
  /** Load average of the machine at the end of the window. */
  loadAverage: [number, number, number];
}

/**
 * Samples a process while a phase runs: CPU from /proc over the whole window, RSS every second,
 * and, when `metricsUrl` is given, `*_nodejs_eventloop_lag_{p99,max}_seconds` every second
 * (prom-client resets its event-loop histogram on each scrape, so each sample covers one second).
 */
export class ProcessSampler {
  private timer: NodeJS.Timeout | undefined;
  private startCpu = 0;
  private startAt = 0;
  private rssStart = 0;
  private rssPeak = 0;
  private readonly lagP99: number[] = [];
  private readonly lagMax: number[] = [];
  private scraping: Promise<void> = Promise.resolve();
  /** Backends' CPU seconds when the window started, and when last seen (they come and go). */
  private dbStart = new Map<number, number>();
  private readonly dbLast = new Map<number, number>();

  constructor(
    private readonly pid: number,
    private readonly metricsUrl?: string,
    private readonly databaseName?: string,
  ) {}

  async start(): Promise<void> {
    // A first scrape resets the server's event-loop histogram, so the window starts clean.
    await this.scrape(true);
    const proc = readProc(this.pid);
    this.startCpu = proc?.cpuSeconds ?? 0;
    if (this.databaseName) this.dbStart = databaseCpuSeconds(this.databaseName);
    this.rssStart = proc?.rssBytes ?? 0;
    this.rssPeak = this.rssStart;
    this.startAt = performance.now();
    this.timer = setInterval(() => {
      const now = readProc(this.pid);
      if (now) this.rssPeak = Math.max(this.rssPeak, now.rssBytes);
      this.sampleDatabase();
      this.scraping = this.scraping.then(() => this.scrape(false));
    }, 1_000);
  }

  private async scrape(discard: boolean): Promise<void> {
    if (!this.metricsUrl) return;
    try {
      const res = await fetch(this.metricsUrl, { signal: AbortSignal.timeout(5_000) });
      const text = await res.text();
      if (discard) return;
      const p99 = metricValue(text, "nodejs_eventloop_lag_p99_seconds");
      const max = metricValue(text, "nodejs_eventloop_lag_max_seconds");
      if (p99 !== undefined) this.lagP99.push(p99 * 1000);
      if (max !== undefined) this.lagMax.push(max * 1000);
    } catch {
      // A server too busy to answer within 5 s shows in the other figures.
    }
  }

  private sampleDatabase(): void {
    if (!this.databaseName) return;
    for (const [pid, cpu] of databaseCpuSeconds(this.databaseName)) this.dbLast.set(pid, cpu);
  }

  async stop(): Promise<ProcessStats> {
    clearInterval(this.timer);
    await this.scraping;
    await this.scrape(false);
    const proc = readProc(this.pid);
    const seconds = (performance.now() - this.startAt) / 1000;
    const cpu = proc ? proc.cpuSeconds - this.startCpu : 0;
    this.sampleDatabase();
    let dbCpu: number | null = null;
    if (this.databaseName) {
      dbCpu = 0;
      for (const [pid, cpu] of this.dbLast) dbCpu += cpu - (this.dbStart.get(pid) ?? 0);
    }
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      cpuPercent: seconds > 0 ? round((cpu / seconds) * 100) : 0,
      cpuSeconds: Math.round(cpu * 100) / 100,
      windowSeconds: Math.round(seconds * 100) / 100,
      databaseCpuPercent: dbCpu !== null && seconds > 0 ? round((dbCpu / seconds) * 100) : null,
      rssStartBytes: this.rssStart,
      rssPeakBytes: Math.max(this.rssPeak, proc?.rssBytes ?? 0),
      rssEndBytes: proc?.rssBytes ?? 0,
      eventLoopP99MaxMs: this.lagP99.length ? round(Math.max(...this.lagP99)) : null,
      eventLoopP99MeanMs: this.lagP99.length
        ? round(this.lagP99.reduce((a, b) => a + b, 0) / this.lagP99.length)
        : null,
      eventLoopMaxMs: this.lagMax.length ? round(Math.max(...this.lagMax)) : null,
      loadAverage: loadAverage(),
    };
  }
}

/** Average RSS of a process over a few samples, after letting it settle. */
export async function settledRss(pid: number, settleMs = 2_000, samples = 5): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  let total = 0;
  for (let i = 0; i < samples; i++) {
    total += readProc(pid)?.rssBytes ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return total / samples;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Progress lines on stderr (the bench prints its tables to the report, not the terminal). */
export function log(message: string): void {
  process.stderr.write(`[load ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
