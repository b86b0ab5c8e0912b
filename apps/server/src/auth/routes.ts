import type { RequestHandler } from "express";
import type { Request } from "express";
import { bindRoutes } from "../http/routes.js";
import { clearSessionCookie, setSessionCookie } from "./cookies.js";
import type { AuthService } from "./service.js";

export interface AuthRouteDeps {
  auth: AuthService;
  secureCookies: boolean;
  /** Rate limiters for the routes that can be used to guess or to spam. */
  limiters: {
    signIn: RequestHandler;
    account: RequestHandler;
    signUp: RequestHandler;
    emailLink: RequestHandler;
    mail: RequestHandler;
  };
}

const agent = (req: Request) => req.headers["user-agent"];

/** Sign-up, sign-in, sign-out, magic links, password reset, and the account itself. */
export function authRoutes({ auth, secureCookies, limiters }: AuthRouteDeps) {
  return bindRoutes(
    {
      signUp: async ({ body, req, res }) => {
        const session = await auth.signUp(body, agent(req));
        setSessionCookie(res, session, secureCookies);
        return { status: 201, body: { user: session.user } };
      },
      signIn: async ({ body, req, res }) => {
        const session = await auth.signIn(body, agent(req));
        setSessionCookie(res, session, secureCookies);
        return { status: 200, body: { user: session.user } };
      },
      signOut: async ({ actor, res }) => {
        if (actor) await auth.revokeSession(actor.sessionId);
        clearSessionCookie(res, secureCookies);
        return { status: 204 };
      },
      signOutEverywhere: async ({ actor, res }) => {
        await auth.revokeAllSessions(actor.user.id);
        clearSessionCookie(res, secureCookies);
        return { status: 204 };
      },
      requestMagicLink: async ({ body }) => {
        await auth.requestMagicLink(body);
        return { status: 202, body: { ok: true } };
      },
      consumeMagicLink: async ({ body, req, res }) => {
        const session = await auth.consumeMagicLink(body.token, agent(req));
        setSessionCookie(res, session, secureCookies);
        return { status: 200, body: { user: session.user, next: session.next } };
      },
      requestPasswordReset: async ({ body }) => {
        await auth.requestPasswordReset(body);
        return { status: 202, body: { ok: true } };
      },
      confirmPasswordReset: async ({ body, req, res }) => {
        const session = await auth.confirmPasswordReset(body.token, body.password, agent(req));
        setSessionCookie(res, session, secureCookies);
        return { status: 200, body: { user: session.user } };
      },
      setPassword: async ({ actor, body }) => {
        await auth.setPassword(actor, body.password, body.currentPassword);
        return { status: 204 };
      },
      getMe: ({ actor }) => ({ status: 200, body: { user: actor.user } }),
      updateMe: async ({ actor, body }) => ({
        status: 200,
        body: { user: await auth.updateProfile(actor, body) },
      }),
    },
    {
      signIn: [limiters.signIn, limiters.account],
      signUp: [limiters.signUp, limiters.mail],
      requestMagicLink: [limiters.emailLink, limiters.mail],
      requestPasswordReset: [limiters.emailLink, limiters.mail],
      consumeMagicLink: [limiters.signIn],
      confirmPasswordReset: [limiters.signIn],
    },
  );
}
