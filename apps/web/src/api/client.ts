// A typed REST client driven by the protocol's route registry: the operation id picks the
// method, the path template, the body type and the response schema, so a call that does not
// match the contract does not compile, and a response that does not match it does not parse.
import { routes, type ErrorCode, type FieldIssue, type OperationId, type Routes } from "@convivio/protocol";

/** Codes the client itself can produce on top of the server's `ErrorCode`s. */
export type ClientErrorCode = ErrorCode | "network_error" | "unexpected_response";

/** A failed call: the problem+json body of the server, or a client-side failure. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: ClientErrorCode;
  readonly title: string;
  readonly detail: string | undefined;
  readonly issues: readonly FieldIssue[];
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    code: ClientErrorCode;
    title: string;
    detail?: string | undefined;
    issues?: readonly FieldIssue[] | undefined;
    requestId?: string | undefined;
  }) {
    super(init.detail ?? init.title);
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.issues = init.issues ?? [];
    this.requestId = init.requestId;
  }
}

/** Whether `error` is an `ApiError`, optionally with one of the given codes. */
export function isApiError(error: unknown, ...codes: ClientErrorCode[]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}

// zod schemas implement Standard Schema, whose `types` carry the input and output types;
// reading them here keeps the web app from importing zod itself.
type StandardTypes<S> = S extends { "~standard": { types?: infer T } } ? NonNullable<T> : never;
type InputOf<S> = StandardTypes<S> extends { input: infer I } ? I : never;
type OutputOf<S> = StandardTypes<S> extends { output: infer O } ? O : never;

type SuccessStatus = 200 | 201 | 202 | 204;
type Responses<Op extends OperationId> = Routes[Op]["responses"];
type SuccessKey<Op extends OperationId> = Extract<keyof Responses<Op>, SuccessStatus>;

/** What a successful call resolves to; `undefined` for an empty (204) body. */
export type ResponseOf<Op extends OperationId> = {
  [K in SuccessKey<Op>]: Responses<Op>[K] extends null ? undefined : OutputOf<Responses<Op>[K]>;
}[SuccessKey<Op>];

/** The JSON body an operation accepts (before the server's parsing). */
export type BodyOf<Op extends OperationId> = Routes[Op] extends { body: infer S } ? InputOf<S> : never;
/** The path parameters an operation needs. */
export type ParamsOf<Op extends OperationId> = Routes[Op] extends { params: infer S } ? InputOf<S> : never;
/** The query string an operation accepts (before the server's parsing). */
export type QueryOf<Op extends OperationId> = Routes[Op] extends { query: infer S } ? InputOf<S> : never;

type BodyOption<Op extends OperationId> = Routes[Op] extends { body: unknown }
  ? { body: BodyOf<Op> }
  : { body?: never };
type ParamsOption<Op extends OperationId> = Routes[Op] extends { params: unknown }
  ? { params: ParamsOf<Op> }
  : { params?: never };

type QueryOption<Op extends OperationId> = Routes[Op] extends { query: unknown }
  ? { query?: QueryOf<Op> }
  : { query?: never };

export type CallOptions<Op extends OperationId> = BodyOption<Op> &
  ParamsOption<Op> &
  QueryOption<Op> & {
    signal?: AbortSignal;
    /** Extra request headers, such as the token of an emailed registration link. */
    headers?: Record<string, string>;
  };

type CallArgs<Op extends OperationId> = Routes[Op] extends { body: unknown } | { params: unknown }
  ? [options: CallOptions<Op>]
  : [options?: CallOptions<Op>];

/** Fills `{name}` placeholders of an OpenAPI-style path. */
export function buildPath(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) throw new Error(`Missing path parameter "${name}"`);
    return encodeURIComponent(String(value));
  });
}

const FALLBACK_CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  503: "not_ready",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readIssues(value: unknown): FieldIssue[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) =>
    isRecord(item) && typeof item.path === "string" && typeof item.message === "string"
      ? [{ path: item.path, message: item.message }]
      : [],
  );
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `?a=1&b=x` from the defined values of a query object ("" when there are none). */
export function buildQuery(query: Record<string, unknown> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** Turns a non-2xx response into an `ApiError`, trusting the problem body when there is one. */
async function toApiError(response: Response): Promise<ApiError> {
  const body = await readJson(response);
  const fallback = FALLBACK_CODE_BY_STATUS[response.status] ?? "internal_error";
  if (!isRecord(body)) {
    return new ApiError({ status: response.status, code: fallback, title: response.statusText || fallback });
  }
  return new ApiError({
    status: typeof body.status === "number" ? body.status : response.status,
    code: typeof body.code === "string" ? (body.code as ErrorCode) : fallback,
    title: typeof body.title === "string" ? body.title : response.statusText,
    detail: typeof body.detail === "string" ? body.detail : undefined,
    issues: readIssues(body.issues),
    requestId: typeof body.requestId === "string" ? body.requestId : undefined,
  });
}

/**
 * Calls one operation of the REST API with the session cookie of this origin.
 * Resolves to the parsed success body; rejects with an `ApiError` (or the signal's abort reason).
 */
export async function call<Op extends OperationId>(op: Op, ...args: CallArgs<Op>): Promise<ResponseOf<Op>> {
  const spec = routes[op];
  // The generic types above already tied body and params to the operation; here they are data.
  const options = (args[0] ?? {}) as RawOptions;
  const url = buildPath(spec.path, options.params) + buildQuery(options.query);
  const headers: Record<string, string> = {
    Accept: "application/json, application/problem+json",
    ...options.headers,
  };
  const init: RequestInit = { method: spec.method.toUpperCase(), credentials: "same-origin", headers };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: "network_error", title: "Network error" });
  }

  if (!response.ok) throw await toApiError(response);

  const schema = (spec.responses as Record<number, { safeParse(value: unknown): SafeParse } | null>)[
    response.status
  ];
  const body = await readJson(response);
  if (schema === null || (schema === undefined && body === undefined)) return undefined as ResponseOf<Op>;
  if (schema === undefined) return unexpected(response, `No schema for status ${response.status}`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) return unexpected(response, `Response of ${op} does not match the protocol`);
  return parsed.data as ResponseOf<Op>;
}

type SafeParse = { success: true; data: unknown } | { success: false };

interface RawOptions {
  body?: unknown;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** Operations whose success body is a file (CSV, iCalendar, an image) rather than JSON. */
export type FileOperationId = {
  [Op in OperationId]: Routes[Op] extends { produces: string } ? Op : never;
}[OperationId];

/** A downloaded file: its bytes and the name the server suggested. */
export interface DownloadedFile {
  blob: Blob;
  filename: string | null;
}

function filenameOf(disposition: string | null): string | null {
  const match = /filename="?([^";]+)"?/i.exec(disposition ?? "");
  return match?.[1] ?? null;
}

/** Fetches a file operation (an export, a calendar) with the same cookie and error handling as `call`. */
export async function fetchFile<Op extends FileOperationId>(
  op: Op,
  options: { params: ParamsOf<Op>; headers?: Record<string, string>; signal?: AbortSignal },
): Promise<DownloadedFile> {
  const spec = routes[op];
  const raw = options as RawOptions;
  const init: RequestInit = { method: "GET", credentials: "same-origin", headers: raw.headers ?? {} };
  if (raw.signal) init.signal = raw.signal;
  let response: Response;
  try {
    response = await fetch(buildPath(spec.path, raw.params), init);
  } catch (error) {
    if (raw.signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: "network_error", title: "Network error" });
  }
  if (!response.ok) throw await toApiError(response);
  return { blob: await response.blob(), filename: filenameOf(response.headers.get("Content-Disposition")) };
}

/** Sends raw bytes (an image upload) to a route that reads its body itself; resolves on 2xx. */
export async function sendBytes<Op extends OperationId>(
  op: Op,
  options: { params: ParamsOf<Op>; file: Blob },
): Promise<void> {
  const spec = routes[op];
  let response: Response;
  try {
    response = await fetch(buildPath(spec.path, options.params as Record<string, unknown>), {
      method: spec.method.toUpperCase(),
      credentials: "same-origin",
      headers: { "Content-Type": options.file.type, Accept: "application/problem+json" },
      body: options.file,
    });
  } catch {
    throw new ApiError({ status: 0, code: "network_error", title: "Network error" });
  }
  if (!response.ok) throw await toApiError(response);
}

function unexpected(response: Response, detail: string): never {
  throw new ApiError({
    status: response.status,
    code: "unexpected_response",
    title: "Unexpected response",
    detail,
  });
}
