import i18next, { type ParseKeys } from "i18next";
import { isApiError } from "../api/client";

/** Text to show, kept as a key so it follows the language when the person switches it. */
export interface Message {
  key: ParseKeys;
  values?: Record<string, string | number>;
}

/** The message for a failed call: the problem's code, or a generic failure. */
export function errorMessage(error: unknown): Message {
  if (!isApiError(error)) return { key: "errors.internal_error" };
  // Checked at run time, not by the compiler: a server newer than this page (or a code just
  // added to the protocol) may send a code we have no words for yet; locales.test.ts lists them.
  const key = `errors.${error.code}`;
  if (i18next.exists(key)) return { key: key as ParseKeys };
  return { key: error.status >= 500 || error.status === 0 ? "errors.internal_error" : "errors.bad_request" };
}
