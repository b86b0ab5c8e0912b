import i18next, { type ParseKeys } from "i18next";
import type { BoardAckCode } from "@convivio/protocol";
import type { Message } from "../ui/message";

/**
 * Words for a refused board command: the board's own reasons first (`board.errors.*`), then the
 * general ones (`errors.*`), then a generic failure for a code this page does not know yet.
 */
export function ackMessage(code: BoardAckCode): Message {
  for (const key of [`board.errors.${code}`, `errors.${code}`]) {
    if (i18next.exists(key)) return { key: key as ParseKeys };
  }
  return { key: "errors.internal_error" };
}
