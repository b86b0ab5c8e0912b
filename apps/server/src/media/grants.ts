import type { VideoGrant } from "livekit-server-sdk";
import { Permission, rolesAllow, type EventRole } from "@convivio/protocol";

/** A plenary has a stage (speakers and facilitators publish, the rest watch); at a table everyone talks. */
export type RoomKind = "plenary" | "table";

export interface MediaGrantRequest {
  room: string;
  roomKind: RoomKind;
  /** The person's roles in the event that owns the room. */
  roles: readonly EventRole[];
  /** An attendee a facilitator has brought on stage (a raised hand taken). */
  onStage?: boolean;
  /** A facilitator listening in without appearing in the participant list. */
  hidden?: boolean;
}

// From the permission table, as every route and socket handler asks: a role's media rights cannot
// drift from what it may do elsewhere. Listening in unseen is facilitating; the stage is presenting.
const canLead = (roles: readonly EventRole[]) => rolesAllow(roles, Permission.facilitateSession);
const canPresent = (roles: readonly EventRole[]) => rolesAllow(roles, Permission.presentOnStage);

/**
 * The LiveKit rights for one person in one room: nothing beyond what their role and the room
 * allow (invariant 9). Returns null when the person may not be in the room at all.
 */
export function grantsFor(request: MediaGrantRequest): VideoGrant | null {
  const { roles, roomKind } = request;
  if (roles.length === 0) return null;
  if (request.hidden && !canLead(roles)) return null;
  const base: VideoGrant = { roomJoin: true, room: request.room, canSubscribe: true };
  if (request.hidden) {
    return { ...base, hidden: true, canPublish: false, canPublishData: false };
  }
  if (roomKind === "table") {
    return { ...base, canPublish: true, canPublishData: true };
  }
  if (canPresent(roles) || request.onStage) {
    return { ...base, canPublish: true, canPublishData: true };
  }
  // Watching the plenary: no camera, no microphone, no data channel (chat goes through the server).
  return { ...base, canPublish: false, canPublishData: false };
}
