import { isIP } from "node:net";
import { z } from "zod";

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.url().optional())
  .optional();

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

// proxy-addr's names for address ranges (what Express accepts beside addresses and subnets).
const PROXY_RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** An address, a subnet (CIDR prefix or IPv4 netmask) or a named range, as Express's `trust proxy` reads it. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = "", range, ...rest] = entry.split("/");
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(range) === 4;
}

/**
 * Express's `trust proxy`, typed: a whole number is how many proxies stand in front (`1` behind one
 * load balancer), `true`/`false` trust every or no X-Forwarded-For entry, anything else is a
 * comma-separated list of addresses, subnets or `loopback`/`linklocal`/`uniquelocal`. Passed as a
 * string, "1" would be read as the address 0.0.0.1 and trust nobody real: behind a proxy every
 * client would then share its address, and one per-address rate limit.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): boolean | number | string => {
    if (value === "") return "loopback";
    if (/^\d+$/.test(value)) return Number(value);
    if (value === "true" || value === "false") return value === "true";
    const entries = value.split(",").map((entry) => entry.trim());
    if (entries.every(isProxyEntry)) return entries.join(",");
    ctx.addIssue({
      code: "custom",
      message:
        "a number of proxies, true, false, or comma-separated addresses, subnets and loopback/linklocal/uniquelocal",
    });
    return z.NEVER;
  })
  .default("loopback");

/** Every environment variable the server reads, with its default. README's table mirrors this. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().default(".data"),
  DATABASE_URL: optionalUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: optionalUrl,
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().default("Convivio <no-reply@convivio.local>"),
  LIVEKIT_URL: optionalUrl,
  LIVEKIT_API_KEY: z.string().optional(),
  LIVEKIT_API_SECRET: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRUST_PROXY: trustProxy,
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** How long a node reuses a session it looked up (auth/sessionCache.ts); 0 = ask the database on every request. */
  SESSION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  MAGIC_LINK_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(30),
  AUTH_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Emails (sign-in links, resets) and sign-ups per client address and window, any recipient; unset = 3 × AUTH_RATE_LIMIT. */
  AUTH_MAIL_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).optional(),
  /** Failed sign-ins per account (email) and window, from any address; unset = 3 × AUTH_RATE_LIMIT. */
  AUTH_ACCOUNT_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).optional(),
  REGISTRATION_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(100),
  AUTH_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  SECURE_COOKIES: flag,
  /** How live board patches go out: coalesced on a tick, or per op (only a benchmark's reference). */
  BOARD_BROADCAST: z.enum(["tick", "per-op"]).default("tick"),
  WEB_DIST: z.string().optional(),
  // Library attachments in S3-compatible storage instead of DATA_DIR/blobs (all four, or none).
  S3_ENDPOINT: optionalUrl,
  S3_REGION: z.string().default("us-east-1"),
  S3_BUCKET: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Who may start a community at the top of the tree: emails, comma-separated (verified ones count). */
  PLATFORM_OPERATOR_EMAILS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
});
export type Env = z.infer<typeof EnvSchema>;

/** Parses process.env once; a bad value stops the process with every problem listed. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const lk = [env.LIVEKIT_URL, env.LIVEKIT_API_KEY, env.LIVEKIT_API_SECRET].filter(Boolean).length;
  if (lk !== 0 && lk !== 3) {
    throw new Error("Invalid environment: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET together");
  }
  const s3 = [env.S3_ENDPOINT, env.S3_BUCKET, env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY].filter(
    Boolean,
  ).length;
  if (s3 !== 0 && s3 !== 4) {
    throw new Error(
      "Invalid environment: set S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together",
    );
  }
  return env;
}

/** Whether cookies get the Secure flag: in production, or when forced. */
export function isSecureCookies(env: Env): boolean {
  return env.SECURE_COOKIES || env.NODE_ENV === "production";
}
