import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import { ERROR_STATUS, ErrorCode, type FieldIssue, type Problem } from "@convivio/protocol";
import type { ZodError } from "zod";
import type { Logger } from "pino";

const TITLES: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  validation_failed: "The request is not valid",
  unauthenticated: "Sign-in required",
  invalid_credentials: "Wrong email or password",
  forbidden: "Not allowed",
  not_found: "Not found",
  conflict: "Conflict",
  email_taken: "This email already has an account",
  token_invalid: "This link is not valid",
  token_expired: "This link has expired",
  token_used: "This link was already used",
  weak_password: "Password too weak",
  payload_too_large: "Request too large",
  unsupported_media_type: "Unsupported content type",
  rate_limited: "Too many attempts",
  version_mismatch: "Client version not supported",
  not_ready: "Not ready",
  internal_error: "Something went wrong on our side",
  registration_closed: "Registration is closed",
  capacity_reached: "No seats left",
  invite_code_invalid: "This invite code is not valid",
  votes_hidden: "Votes are hidden until the reveal",
  media_not_configured: "Video is not configured on this server",
  table_full: "This table has no free seat",
  session_not_live: "This session is not live",
  table_chat_unavailable: "Table chat is not available on this server",
  table_host_invalid: "This host cannot host a table in this session",
  tables_closing: "The tables are closing",
};

/** An expected failure at the HTTP edge; the error middleware turns it into problem+json. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly issues?: FieldIssue[],
  ) {
    super(detail ?? code);
    this.name = "HttpError";
  }
}

export function issuesOf(error: ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}

export function sendProblem(
  res: Response,
  code: ErrorCode,
  extra: { detail?: string; issues?: FieldIssue[] } = {},
): void {
  const status = ERROR_STATUS[code];
  const problem: Problem = {
    type: `https://convivio.dev/problems/${code}`,
    title: TITLES[code],
    status,
    code,
    ...(extra.detail ? { detail: extra.detail } : {}),
    ...(extra.issues ? { issues: extra.issues } : {}),
    instance: res.req.originalUrl,
    ...(res.req.id ? { requestId: String(res.req.id) } : {}),
  };
  res.status(status).type("application/problem+json").send(JSON.stringify(problem));
}

/** Unknown routes answer 404 in the problem shape. */
export const notFoundHandler: RequestHandler = (_req, res) => {
  sendProblem(res, ErrorCode.notFound, { detail: "No such route" });
};

interface BodyParserError {
  type?: string;
  status?: number;
}

/** The one place where HTTP errors are translated. A 500 never carries internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof HttpError) {
      sendProblem(res, err.code, {
        ...(err.detail ? { detail: err.detail } : {}),
        ...(err.issues ? { issues: err.issues } : {}),
      });
      return;
    }
    const parserError = err as BodyParserError;
    if (parserError?.type === "entity.too.large") return sendProblem(res, ErrorCode.payloadTooLarge);
    if (parserError?.type === "entity.parse.failed") {
      return sendProblem(res, ErrorCode.badRequest, { detail: "The body is not valid JSON" });
    }
    if (parserError?.status && parserError.status >= 400 && parserError.status < 500) {
      return sendProblem(res, ErrorCode.badRequest);
    }
    (req.log ?? logger).error({ err }, "unhandled error");
    sendProblem(res, ErrorCode.internal);
  };
}
