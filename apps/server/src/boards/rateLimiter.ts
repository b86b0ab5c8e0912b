// Per-participant token buckets for live commands. In memory, per process: a participant with
// sockets on two nodes gets up to twice the rate, which is fine for its purpose (keeping one
// person's flood from starving a board), and it costs no round trip on the command path.

export interface TokenBucketOptions {
  /** Commands a participant may send in a burst. */
  capacity: number;
  refillPerSecond: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets are forgotten once full again, so memory follows the active participants only. */
const SWEEP_EVERY_TAKES = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private takes = 0;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Takes one token for `key`; false when its bucket is empty. */
  take(key: string): boolean {
    const now = this.now();
    if (++this.takes % SWEEP_EVERY_TAKES === 0) this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.options.capacity, at: now };
    const tokens = Math.min(
      this.options.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * this.options.refillPerSecond,
    );
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: now });
    return allowed;
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const refilled = bucket.tokens + ((now - bucket.at) / 1000) * this.options.refillPerSecond;
      if (refilled >= this.options.capacity) this.buckets.delete(key);
    }
  }
}
