import { createContext, useContext } from "react";
import type { BoardAck, BoardRole, BoardView, IdeaId, ParticipantId } from "@convivio/protocol";
import type { BoardCommandInput } from "../live/BoardClient";
import type { Message } from "../ui/message";
import type { Abilities } from "./model";

/** The dialogs a board can open; one at a time. */
export type BoardDialog =
  | { kind: "merge"; ideaId: IdeaId; targetId?: IdeaId }
  | { kind: "group"; ideaId: IdeaId }
  | { kind: "column"; ideaId: IdeaId }
  | { kind: "hide"; ideaId: IdeaId }
  | { kind: "delete"; ideaId: IdeaId }
  | { kind: "settings" };

export interface BoardContextValue {
  view: BoardView;
  role: BoardRole;
  abilities: Abilities;
  /** Display names of the authors the view shows (never an anonymous author but the viewer). */
  names: ReadonlyMap<ParticipantId, string>;
  /** Server clock minus this clock, in ms (phase deadlines are on the server's clock). */
  clockOffsetMs: number;
  /** Sends a command; a refusal is shown to the person, and the answer is returned. */
  send: (command: BoardCommandInput) => Promise<BoardAck>;
  open: (dialog: BoardDialog) => void;
  notify: (message: Message, tone?: "info" | "error") => void;
  /** The idea being dragged, if any (drag and drop). */
  dragging: IdeaId | null;
  setDragging: (ideaId: IdeaId | null) => void;
}

export const BoardContext = createContext<BoardContextValue | null>(null);

export function useBoard(): BoardContextValue {
  const value = useContext(BoardContext);
  if (!value) throw new Error("useBoard outside a board");
  return value;
}
