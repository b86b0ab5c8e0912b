/** Stable error codes shared by REST problem+json bodies and socket acks. */
export const ErrorCode = {
  badRequest: "bad_request",
  validationFailed: "validation_failed",
  unauthenticated: "unauthenticated",
  invalidCredentials: "invalid_credentials",
  forbidden: "forbidden",
  notFound: "not_found",
  conflict: "conflict",
  emailTaken: "email_taken",
  tokenInvalid: "token_invalid",
  tokenExpired: "token_expired",
  tokenUsed: "token_used",
  weakPassword: "weak_password",
  payloadTooLarge: "payload_too_large",
  unsupportedMediaType: "unsupported_media_type",
  rateLimited: "rate_limited",
  versionMismatch: "version_mismatch",
  notReady: "not_ready",
  internal: "internal_error",
  registrationClosed: "registration_closed",
  capacityReached: "capacity_reached",
  inviteCodeInvalid: "invite_code_invalid",
  votesHidden: "votes_hidden",
  mediaNotConfigured: "media_not_configured",
  tableFull: "table_full",
  sessionNotLive: "session_not_live",
  tableChatUnavailable: "table_chat_unavailable",
  /** A table's host is not someone who may be in the session, or hosts two tables. */
  tableHostInvalid: "table_host_invalid",
  /** Close-all is counting down: nobody moves or picks a table any more. */
  tablesClosing: "tables_closing",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status for each code, so every edge answers the same code with the same status. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  token_invalid: 400,
  token_expired: 410,
  token_used: 410,
  weak_password: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  version_mismatch: 400,
  not_ready: 503,
  internal_error: 500,
  registration_closed: 409,
  capacity_reached: 409,
  invite_code_invalid: 400,
  votes_hidden: 409,
  media_not_configured: 503,
  table_full: 409,
  session_not_live: 409,
  table_chat_unavailable: 409,
  table_host_invalid: 400,
  tables_closing: 409,
};

/** One field-level problem inside a validation failure. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** RFC 9457 problem details, with our stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  requestId?: string;
  issues?: FieldIssue[];
}
