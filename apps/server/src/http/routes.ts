import { Router, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { ErrorCode, routes, type OperationId, type Routes, type RouteSpec } from "@convivio/protocol";
import type { z } from "zod";
import { HttpError, issuesOf } from "./problem.js";
import { isStorable } from "./storable.js";
import type { Actor } from "../auth/actor.js";

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

/** What a handler receives: parsed input and the signed-in person (when the route needs one). */
export interface HandlerInput<S extends RouteSpec> {
  body: S extends { body: infer B } ? Infer<B> : undefined;
  params: S extends { params: infer P } ? Infer<P> : undefined;
  query: S extends { query: infer Q } ? Infer<Q> : undefined;
  actor: S["auth"] extends true ? Actor : Actor | null;
  req: Request;
  res: Response;
}

/** A handler returns `{status, body}`, or nothing when it wrote the response itself. */
export type HandlerResult = { status: number; body?: unknown } | void;
export type Handler<S extends RouteSpec> = (input: HandlerInput<S>) => Promise<HandlerResult> | HandlerResult;
export type Handlers<K extends OperationId> = { [P in K]: Handler<Routes[P]> };

/** Express path from the OpenAPI-style path of the registry. */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T | undefined {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new HttpError(ErrorCode.validationFailed, `Invalid ${where}`, issuesOf(parsed.error));
  }
  // Every route's input may end up in PostgreSQL, whose text and jsonb refuse a NUL character (and
  // jsonb a lone surrogate): refused here for every route at once, instead of a 500 at the write.
  if (!isStorable(parsed.data)) {
    throw new HttpError(
      ErrorCode.validationFailed,
      `Invalid ${where}: text with a NUL character or a lone surrogate`,
    );
  }
  return parsed.data;
}

function hasBody(req: Request): boolean {
  const length = req.headers["content-length"];
  return (length !== undefined && length !== "0") || req.headers["transfer-encoding"] !== undefined;
}

/**
 * Binds handlers to the registry's routes: every body, query and path is parsed with its protocol
 * schema, and authentication is enforced, before a handler runs.
 */
export function bindRoutes<K extends OperationId>(
  handlers: Handlers<K>,
  extra: Partial<Record<K, RequestHandler[]>> = {},
): Router {
  const router = Router();
  for (const operationId of Object.keys(handlers) as K[]) {
    const spec: RouteSpec = routes[operationId];
    const handler = handlers[operationId] as Handler<RouteSpec>;
    const run = async (req: Request, res: Response, _next: NextFunction) => {
      if (spec.auth && !req.actor) throw new HttpError(ErrorCode.unauthenticated);
      if (hasBody(req) && !spec.body && spec.method !== "get") {
        // A body on a route that takes none is almost always a client bug; say so.
        if (req.body && Object.keys(req.body as object).length > 0) {
          throw new HttpError(ErrorCode.validationFailed, "This route takes no body");
        }
      }
      if (spec.body && hasBody(req) && !req.is("application/json")) {
        throw new HttpError(ErrorCode.unsupportedMediaType, "Send JSON (application/json)");
      }
      const input = {
        body: parse(spec.body, req.body, "body"),
        params: parse(spec.params, req.params, "path"),
        query: parse(spec.query, req.query, "query"),
        actor: req.actor ?? null,
        req,
        res,
      };
      const result = await handler(input as HandlerInput<RouteSpec>);
      if (!result) return;
      if (result.body === undefined) res.status(result.status).end();
      else res.status(result.status).json(result.body);
    };
    router[spec.method](expressPath(spec.path), ...(extra[operationId] ?? []), run);
  }
  return router;
}
