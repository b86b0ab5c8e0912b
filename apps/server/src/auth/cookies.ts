import type { CookieOptions, Request, RequestHandler, Response } from "express";
import { parse as parseCookie } from "cookie";
import type { AuthService, NewSession } from "./service.js";

export const SESSION_COOKIE = "convivio_session";

/** Reads the session id from a Cookie header (HTTP requests and the socket.io handshake alike). */
export function sessionTokenFrom(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parseCookie(cookieHeader)[SESSION_COOKIE];
}

export function cookieOptions(secure: boolean): CookieOptions {
  return { httpOnly: true, sameSite: "lax", secure, path: "/" };
}

export function setSessionCookie(res: Response, session: NewSession, secure: boolean): void {
  res.cookie(SESSION_COOKIE, session.token, { ...cookieOptions(secure), expires: session.expiresAt });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(secure));
}

/** Attaches `req.actor` (or null) from the session cookie; routes decide whether they need one. */
export function sessionMiddleware(auth: AuthService): RequestHandler {
  return async (req: Request, _res, next) => {
    req.actor = await auth.resolveSession(sessionTokenFrom(req.headers.cookie));
    next();
  };
}
