// What happened on a board. Events are the server's durable record: they name voters and
// anonymous authors, so they never leave the server; clients get projections (view.ts, patch.ts).
import type {
  BoardPhase,
  BoardReaction,
  BoardSettings,
  ColumnId,
  CommentId,
  GroupId,
  IdeaId,
  ParticipantId,
} from "@convivio/protocol";

export type BoardEvent =
  | { type: "settingsUpdated"; settings: BoardSettings }
  | { type: "phaseChanged"; from: BoardPhase; to: BoardPhase; at: number; reason: "facilitator" | "timer" }
  | { type: "timerChanged"; deadlineAt: number | null; pausedRemainingMs: number | null }
  | { type: "boardLocked"; at: number }
  | { type: "boardUnlocked"; at: number }
  | {
      type: "ideaProposed";
      ideaId: IdeaId;
      columnId: ColumnId;
      text: string;
      details: string | null;
      authorId: ParticipantId;
      anonymous: boolean;
      at: number;
    }
  | {
      type: "ideaEdited";
      ideaId: IdeaId;
      text: string;
      details: string | null;
      columnId: ColumnId;
      by: ParticipantId;
      at: number;
    }
  | { type: "ideaDeleted"; ideaId: IdeaId; by: ParticipantId; at: number }
  | {
      type: "commentAdded";
      commentId: CommentId;
      ideaId: IdeaId;
      authorId: ParticipantId;
      anonymous: boolean;
      text: string;
      at: number;
    }
  | { type: "commentDeleted"; commentId: CommentId; by: ParticipantId; at: number }
  | {
      type: "reactionSet";
      ideaId: IdeaId;
      participantId: ParticipantId;
      reaction: BoardReaction;
      on: boolean;
    }
  | { type: "ideaHidden"; ideaId: IdeaId; reason: string; by: ParticipantId; at: number }
  | { type: "ideaRestored"; ideaId: IdeaId; reason: string | null; by: ParticipantId; at: number }
  | { type: "groupCreated"; groupId: GroupId; title: string; at: number }
  | { type: "groupRenamed"; groupId: GroupId; title: string }
  | { type: "groupDeleted"; groupId: GroupId }
  | { type: "ideaGrouped"; ideaId: IdeaId; groupId: GroupId | null }
  | { type: "ideasMerged"; sourceId: IdeaId; targetId: IdeaId; by: ParticipantId; at: number }
  | { type: "voteCast"; ideaId: IdeaId; participantId: ParticipantId; at: number }
  | { type: "voteRetracted"; ideaId: IdeaId; participantId: ParticipantId; at: number };

export type BoardEventType = BoardEvent["type"];
