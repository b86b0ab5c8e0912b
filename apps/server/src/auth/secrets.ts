import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/** 256-bit random token, base64url (43 characters): session ids and emailed links. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Tokens are stored as their SHA-256, so a database leak gives no usable link or session. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). The library's `Algorithm` is a const enum,
// which verbatimModuleSyntax cannot import; 2 is its Argon2id member.
const ARGON2ID = 2;
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// A fixed hash to verify against when the email is unknown, so timing does not reveal accounts.
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(newToken());
  return decoyHash;
}
