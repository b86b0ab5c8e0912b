import {
  and,
  authSessions,
  eq,
  gt,
  isNull,
  isUniqueViolation,
  ne,
  oneTimeTokens,
  sql,
  users,
  type Db,
} from "@convivio/db";
import { ErrorCode, type Locale, type User } from "@convivio/protocol";
import { HttpError } from "../http/problem.js";
import type { Mailer } from "../email/mailer.js";
import { renderAccountMail } from "../email/templates.js";
import type { Actor } from "./actor.js";
import type { Clock } from "./clock.js";
import { decoyPasswordHash, hashPassword, hashToken, newToken, verifyPassword } from "./secrets.js";
import { toUser } from "./users.js";
import { SESSION_CACHE_MS, SessionCache, type Forget } from "./sessionCache.js";

export interface AuthConfig {
  sessionTtlDays: number;
  magicLinkTtlMinutes: number;
  resetTtlMinutes: number;
  /** Public origin used in emailed links, e.g. http://localhost:3000. */
  publicUrl: () => string;
  /** How long a resolved session is reused without asking the database (default SESSION_CACHE_MS). */
  sessionCacheMs?: number;
}

export interface NewSession {
  token: string;
  expiresAt: Date;
  user: User;
}

const SESSION_TOUCH_MS = 5 * 60_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

type TokenPurpose = "magic_link" | "password_reset";

/** Sessions that were just revoked: one of them, or all of a person's but possibly the current one. */
/** Sessions ended: one, or every session of a person but possibly one (the same shape as Forget). */
export type Revocation = Forget;

/** Accounts, sessions and emailed one-time links. Every secret is stored hashed. */
export class AuthService {
  private readonly revocationListeners = new Set<(revoked: Revocation) => void>();
  private readonly forgetListeners = new Set<(what: Forget) => void>();
  private readonly sessions: SessionCache;

  constructor(
    private readonly db: Db,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly config: AuthConfig,
  ) {
    this.sessions = new SessionCache(config.sessionCacheMs ?? SESSION_CACHE_MS);
  }

  async signUp(
    input: { name: string; email: string; password: string; locale?: Locale },
    userAgent?: string,
  ) {
    const passwordHash = await hashPassword(input.password);
    try {
      const [row] = await this.db
        .insert(users)
        .values({ name: input.name, email: input.email, passwordHash, locale: input.locale ?? "it" })
        .returning();
      return this.createSession(row!.id, userAgent);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new HttpError(
          ErrorCode.emailTaken,
          "Sign in, or ask for a sign-in link and then set a password from your account page",
        );
      }
      throw err;
    }
  }

  async signIn(input: { email: string; password: string }, userAgent?: string): Promise<NewSession> {
    const row = await this.findUserByEmail(input.email);
    const stored = row?.passwordHash ?? (await decoyPasswordHash());
    const valid = await verifyPassword(stored, input.password);
    if (!row || !row.passwordHash || !valid) throw new HttpError(ErrorCode.invalidCredentials);
    return this.createSession(row.id, userAgent);
  }

  async createSession(userId: string, userAgent?: string): Promise<NewSession> {
    const token = newToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlDays * DAY_MS);
    const tokenHash = hashToken(token);
    const [session] = await this.db
      .insert(authSessions)
      .values({
        tokenHash,
        userId,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
        userAgent: userAgent?.slice(0, 300) ?? null,
      })
      .returning({ id: authSessions.id });
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    const user = toUser(row!);
    this.sessions.set(tokenHash, { user, sessionId: session!.id }, now.getTime(), expiresAt.getTime());
    return { token, expiresAt, user };
  }

  /** The actor behind a session cookie, or null if it is unknown, expired or revoked. */
  async resolveSession(token: string | undefined): Promise<Actor | null> {
    if (!token || token.length !== 43) return null;
    const now = this.clock.now();
    const tokenHash = hashToken(token);
    const cached = this.sessions.get(tokenHash, now.getTime());
    if (cached) return cached;
    const [found] = await this.db
      .select({ session: authSessions, user: users })
      .from(authSessions)
      .innerJoin(users, eq(users.id, authSessions.userId))
      .where(eq(authSessions.tokenHash, tokenHash));
    if (!found || found.session.revokedAt || found.session.expiresAt <= now) return null;
    if (now.getTime() - found.session.lastSeenAt.getTime() > SESSION_TOUCH_MS) {
      await this.db
        .update(authSessions)
        .set({ lastSeenAt: now })
        .where(eq(authSessions.id, found.session.id));
    }
    const actor = { user: toUser(found.user), sessionId: found.session.id };
    this.sessions.set(tokenHash, actor, now.getTime(), found.session.expiresAt.getTime());
    return actor;
  }

  /**
   * Calls `listener` with what this node forgot from its session cache (an ended session, a
   * changed person), so the other nodes forget it too (live/socket.ts). Returns the unsubscribe.
   */
  onForget(listener: (what: Forget) => void): () => void {
    this.forgetListeners.add(listener);
    return () => this.forgetListeners.delete(listener);
  }

  /** Drops cached sessions on this node only (what another node forgot). */
  forget(what: Forget): void {
    this.sessions.forget(what);
  }

  private forgetEverywhere(what: Forget): void {
    this.sessions.forget(what);
    for (const listener of this.forgetListeners) listener(what);
  }

  /**
   * Calls `listener` after sessions are revoked, so what was opened with them (live sockets, which
   * check the session only at their handshake) can be closed too. Returns the unsubscribe.
   */
  onRevoked(listener: (revoked: Revocation) => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.db
      .update(authSessions)
      .set({ revokedAt: this.clock.now() })
      .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
    this.forgetEverywhere({ sessionId });
    this.announce({ sessionId });
  }

  /** Revokes every session of a person, or every one but `exceptSessionId` (the one in use). */
  async revokeAllSessions(userId: string, exceptSessionId?: string): Promise<void> {
    await this.db
      .update(authSessions)
      .set({ revokedAt: this.clock.now() })
      .where(
        and(
          eq(authSessions.userId, userId),
          isNull(authSessions.revokedAt),
          exceptSessionId ? ne(authSessions.id, exceptSessionId) : undefined,
        ),
      );
    const revoked: Revocation = exceptSessionId ? { userId, exceptSessionId } : { userId };
    this.forgetEverywhere(revoked);
    this.announce(revoked);
  }

  private announce(revoked: Revocation): void {
    for (const listener of this.revocationListeners) listener(revoked);
  }

  /** Emails a sign-in link, creating an attendee account on first use. Answers nothing about the address. */
  async requestMagicLink(input: {
    email: string;
    name?: string;
    locale?: Locale;
    next?: string;
  }): Promise<void> {
    let row = await this.findUserByEmail(input.email);
    if (!row) {
      const name = input.name ?? input.email.split("@")[0]!.slice(0, 120);
      const inserted = await this.db
        .insert(users)
        .values({ email: input.email, name, locale: input.locale ?? "it" })
        .onConflictDoNothing()
        .returning();
      row = inserted[0] ?? (await this.findUserByEmail(input.email));
      if (!row) return;
    }
    const token = await this.issueToken(row.id, "magic_link", this.config.magicLinkTtlMinutes, input.next);
    const url = `${this.config.publicUrl()}/auth/magic?token=${token}`;
    const mail = renderAccountMail("magicLink", (input.locale ?? row.locale) as Locale, {
      name: row.name,
      url,
      minutes: this.config.magicLinkTtlMinutes,
    });
    await this.mailer.send({ to: row.email, ...mail });
  }

  /** A sign-in link for an email written elsewhere (registrations, team invitations, the demo seed). */
  async createMagicLinkUrl(userId: string, next?: string): Promise<string> {
    const [url] = await this.createMagicLinkUrls([{ userId, ...(next === undefined ? {} : { next }) }]);
    return url!;
  }

  /** Sign-in links for several people at once (one statement), in order. */
  async createMagicLinkUrls(people: readonly { userId: string; next?: string }[]): Promise<string[]> {
    const tokens = await this.issueTokens(
      people.map((p) => ({ userId: p.userId, next: p.next })),
      "magic_link",
      this.config.magicLinkTtlMinutes,
    );
    return tokens.map((token) => `${this.config.publicUrl()}/auth/magic?token=${token}`);
  }

  /**
   * Signs in with an emailed link in one statement: claims the token, marks the address verified,
   * opens the session and reads the person (four round trips were most of a sign-in's cost in the
   * join storm, docs/performance.md). A token that is not claimed is looked at again only to say why.
   */
  async consumeMagicLink(token: string, userAgent?: string): Promise<NewSession & { next: string }> {
    const now = this.clock.now();
    const sessionToken = newToken();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlDays * DAY_MS);
    const { rows } = await this.db.execute<{
      session_id: string;
      next: string | null;
      id: string;
      email: string;
      name: string;
      password_hash: string | null;
      locale: string;
      email_verified_at: Date | string | null;
      created_at: Date | string;
    }>(sql`
      WITH claimed AS (
        UPDATE ${oneTimeTokens} SET used_at = ${now.toISOString()}::timestamptz
        WHERE token_hash = ${hashToken(token)} AND purpose = 'magic_link' AND used_at IS NULL
          AND expires_at > ${now.toISOString()}::timestamptz
        RETURNING user_id, next
      ), verified AS (
        UPDATE ${users} SET email_verified_at = ${now.toISOString()}::timestamptz
        WHERE id = (SELECT user_id FROM claimed) AND email_verified_at IS NULL
      ), opened AS (
        INSERT INTO ${authSessions} (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent)
        SELECT ${hashToken(sessionToken)}, user_id, ${now.toISOString()}::timestamptz,
          ${now.toISOString()}::timestamptz, ${expiresAt.toISOString()}::timestamptz,
          ${userAgent?.slice(0, 300) ?? null}
        FROM claimed
        RETURNING id
      )
      SELECT (SELECT id FROM opened) AS session_id, claimed.next, u.id, u.email, u.name, u.password_hash, u.locale, u.email_verified_at, u.created_at
      FROM claimed JOIN ${users} u ON u.id = claimed.user_id`);
    const [row] = rows;
    if (!row) return this.refuseToken(token, "magic_link");
    const user = toUser({
      id: row.id,
      email: row.email,
      name: row.name,
      passwordHash: row.password_hash,
      locale: row.locale,
      emailVerifiedAt: row.email_verified_at === null ? null : new Date(row.email_verified_at),
      createdAt: new Date(row.created_at),
    });
    const actor = { user, sessionId: row.session_id };
    this.sessions.set(hashToken(sessionToken), actor, now.getTime(), expiresAt.getTime());
    return { token: sessionToken, expiresAt, user, next: row.next ?? "/dashboard" };
  }

  async requestPasswordReset(input: { email: string; locale?: Locale }): Promise<void> {
    const row = await this.findUserByEmail(input.email);
    if (!row) return;
    const token = await this.issueToken(row.id, "password_reset", this.config.resetTtlMinutes);
    const url = `${this.config.publicUrl()}/reset-password/confirm?token=${token}`;
    const mail = renderAccountMail("passwordReset", (input.locale ?? row.locale) as Locale, {
      name: row.name,
      url,
      minutes: this.config.resetTtlMinutes,
    });
    await this.mailer.send({ to: row.email, ...mail });
  }

  /** Sets the new password, revokes every other session, and signs in. */
  async confirmPasswordReset(token: string, password: string, userAgent?: string): Promise<NewSession> {
    const used = await this.useToken(token, "password_reset");
    const passwordHash = await hashPassword(password);
    await this.db
      .update(users)
      .set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, used.userId));
    await this.revokeAllSessions(used.userId);
    return this.createSession(used.userId, userAgent);
  }

  async setPassword(actor: Actor, password: string, currentPassword?: string): Promise<void> {
    const [row] = await this.db.select().from(users).where(eq(users.id, actor.user.id));
    if (!row) throw new HttpError(ErrorCode.unauthenticated);
    if (row.passwordHash) {
      const ok = currentPassword !== undefined && (await verifyPassword(row.passwordHash, currentPassword));
      if (!ok) throw new HttpError(ErrorCode.invalidCredentials, "The current password is wrong");
    }
    await this.db
      .update(users)
      .set({ passwordHash: await hashPassword(password) })
      .where(eq(users.id, row.id));
    // The person's sessions carry `hasPassword`: the cached ones are looked up again.
    this.forgetEverywhere({ userId: row.id });
    // A changed password often means the old one leaked: end every other session. A first password
    // (after sign-in links) replaces nothing, so the person's other devices stay signed in.
    if (row.passwordHash) await this.revokeAllSessions(row.id, actor.sessionId);
  }

  async updateProfile(actor: Actor, input: { name?: string; locale?: Locale }): Promise<User> {
    const [row] = await this.db
      .update(users)
      .set({ ...(input.name ? { name: input.name } : {}), ...(input.locale ? { locale: input.locale } : {}) })
      .where(eq(users.id, actor.user.id))
      .returning();
    this.forgetEverywhere({ userId: actor.user.id });
    return toUser(row!);
  }

  private findUserByEmail(email: string) {
    return this.db
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
      .then((rows) => rows[0]);
  }

  private async issueToken(userId: string, purpose: TokenPurpose, ttlMinutes: number, next?: string) {
    const [token] = await this.issueTokens([{ userId, next }], purpose, ttlMinutes);
    return token!;
  }

  private async issueTokens(
    owners: readonly { userId: string; next: string | undefined }[],
    purpose: TokenPurpose,
    ttlMinutes: number,
  ): Promise<string[]> {
    if (owners.length === 0) return [];
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + ttlMinutes * MINUTE_MS);
    const tokens = owners.map(() => newToken());
    await this.db.insert(oneTimeTokens).values(
      owners.map(({ userId, next }, i) => ({
        tokenHash: hashToken(tokens[i]!),
        purpose,
        userId,
        next: next ?? null,
        createdAt: now,
        expiresAt,
      })),
    );
    return tokens;
  }

  /** Marks a token used exactly once, even when two requests race for it. */
  private async useToken(token: string, purpose: TokenPurpose) {
    const now = this.clock.now();
    const tokenHash = hashToken(token);
    const [claimed] = await this.db
      .update(oneTimeTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(oneTimeTokens.tokenHash, tokenHash),
          eq(oneTimeTokens.purpose, purpose),
          isNull(oneTimeTokens.usedAt),
          gt(oneTimeTokens.expiresAt, now),
        ),
      )
      .returning();
    if (claimed) return claimed;
    return this.refuseToken(token, purpose);
  }

  /** Why a token could not be used: unknown, used already, or expired. */
  private async refuseToken(token: string, purpose: TokenPurpose): Promise<never> {
    const tokenHash = hashToken(token);
    const [existing] = await this.db
      .select()
      .from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.tokenHash, tokenHash), eq(oneTimeTokens.purpose, purpose)));
    if (!existing) throw new HttpError(ErrorCode.tokenInvalid);
    if (existing.usedAt) throw new HttpError(ErrorCode.tokenUsed);
    throw new HttpError(ErrorCode.tokenExpired);
  }
}
