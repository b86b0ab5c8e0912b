import { rateLimit, ipKeyGenerator, type Store } from "express-rate-limit";
import { RedisStore, type RedisReply } from "rate-limit-redis";
import type { Redis } from "ioredis";
import type { Request, RequestHandler } from "express";
import { ErrorCode } from "@convivio/protocol";
import { sendProblem } from "../http/problem.js";

export interface RateLimitConfig {
  /** Attempts per address and email (and per address alone for sign-ups) in one window. */
  limit: number;
  windowSeconds: number;
  /** Emails sent and sign-ups per address, whatever the recipient (default 3 × `limit`). */
  mailLimit?: number;
  /** Failed sign-ins per account, whatever the address (default 3 × `limit`). */
  accountLimit?: number;
  /** Public registrations per address and window: generous, since a whole office may share one address. */
  registrationLimit: number;
  /** Shared counters across processes in cluster mode; in-memory otherwise. */
  redis?: Redis;
}

/**
 * The wider keys default to a multiple of the per-address-and-email one: an office behind one
 * address asks for many people's links, and one person may sign in from several places.
 */
const WIDER_LIMIT_FACTOR = 3;

function emailOf(req: Request): string {
  const body = req.body as { email?: unknown } | undefined;
  return typeof body?.email === "string" ? body.email.trim().toLowerCase().slice(0, 254) : "";
}

function store(config: RateLimitConfig, prefix: string): Store | undefined {
  const redis = config.redis;
  if (!redis) return undefined;
  return new RedisStore({
    prefix: `convivio:rl:${prefix}:`,
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
  });
}

function limiter(
  config: RateLimitConfig,
  name: string,
  key: (req: Request) => string,
  options: { limit?: number; onlyFailures?: boolean } = {},
): RequestHandler {
  const shared = store(config, name);
  return rateLimit({
    windowMs: config.windowSeconds * 1000,
    limit: options.limit ?? config.limit,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: key,
    skipSuccessfulRequests: options.onlyFailures ?? false,
    ...(shared ? { store: shared } : {}),
    handler: (_req, res) =>
      sendProblem(res, ErrorCode.rateLimited, { detail: "Wait a few minutes and try again" }),
  });
}

const ip = (req: Request) => ipKeyGenerator(req.ip ?? "unknown");

/**
 * Limits for guessing passwords and tokens and for sending email, each on several keys at once:
 * per address and email (one client hammering one account), per address alone for anything that
 * sends mail or makes an account (one client mailing many recipients), and per account alone for
 * failed sign-ins (many addresses guessing one password). Routes take them in that order, so a
 * request refused by a narrower key does not use up a wider one.
 */
export function createAuthLimiters(config: RateLimitConfig) {
  const wider = config.limit * WIDER_LIMIT_FACTOR;
  return {
    signIn: limiter(config, "signin", (req) => `${ip(req)}|${emailOf(req)}`),
    // Only failures count: a person signing in keeps their budget, and someone guessing their
    // password from many addresses locks only the password door (a sign-in link still works).
    account: limiter(config, "account", emailOf, { limit: config.accountLimit ?? wider, onlyFailures: true }),
    signUp: limiter(config, "signup", ip),
    emailLink: limiter(config, "email", (req) => `${ip(req)}|${emailOf(req)}`),
    // One budget for magic links, resets and sign-ups together, keyed on the address alone.
    mail: limiter(config, "mail", ip, { limit: config.mailLimit ?? wider }),
    // Registering the same email twice sends nothing, so the abuse to stop is one address
    // registering many different emails (each gets a confirmation).
    registration: limiter(config, "register", ip, { limit: config.registrationLimit }),
  };
}
