import { describe, expect, it } from "vitest";
import { BoardErrorCode } from "@convivio/protocol";
import { en, it as italian } from "../i18n/locales/index";

describe("board messages", () => {
  it("every board error code has friendly words in both languages", () => {
    for (const messages of [en.board.errors, italian.board.errors]) {
      const missing = Object.values(BoardErrorCode).filter(
        (code) => typeof (messages as Record<string, unknown>)[code] !== "string",
      );
      expect(missing).toEqual([]);
    }
  });

  it("every phase and reaction has a name in both languages", () => {
    for (const board of [en.board, italian.board]) {
      expect(Object.keys(board.phase).sort()).toEqual(["closed", "collect", "group", "reveal", "vote"]);
      expect(Object.keys(board.reactions)).toEqual(
        expect.arrayContaining(["thumbsUp", "heart", "lightbulb", "question", "celebrate"]),
      );
    }
  });
});
