import { rateLimit, ipKeyGenerator, type Store } from "express-rate-limit";
import { RedisStore, type RedisReply } from "rate-limit-redis";
import type { Redis } from "ioredis";
import type { Request, RequestHandler } from "express";
import { ErrorCode } from "@convivio/protocol";
import { sendProblem } from "../http/problem.js";

export interface RateLimitConfig {
  limit: number;
  windowSeconds: number;
  /** Public registrations per address and window: generous, since a whole office may share one address. */
  registrationLimit: number;
  /** Shared counters across processes in cluster mode; in-memory otherwise. */
  redis?: Redis;
}

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
  limit = config.limit,
): RequestHandler {
  return rateLimit({
    windowMs: config.windowSeconds * 1000,
    limit,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: key,
    ...(store(config, name) ? { store: store(config, name)! } : {}),
    handler: (_req, res) =>
      sendProblem(res, ErrorCode.rateLimited, { detail: "Wait a few minutes and try again" }),
  });
}

const ip = (req: Request) => ipKeyGenerator(req.ip ?? "unknown");

/** Limits for guessing passwords and tokens (per address and account) and for sending email (per address). */
export function createAuthLimiters(config: RateLimitConfig) {
  return {
    signIn: limiter(config, "signin", (req) => `${ip(req)}|${emailOf(req)}`),
    signUp: limiter(config, "signup", ip),
    emailLink: limiter(config, "email", (req) => `${ip(req)}|${emailOf(req)}`),
    // Registering the same email twice sends nothing, so the abuse to stop is one address
    // registering many different emails (each gets a confirmation).
    registration: limiter(config, "register", ip, config.registrationLimit),
  };
}
