// The rules of moving between video rooms, with no LiveKit in sight so they can be tested alone.
// Open-source LiveKit cannot move a participant, so a move (plenary -> table -> table -> plenary)
// is: leave the old room keeping the camera and microphone tracks (`room.disconnect(false)`),
// connect to the new room, and republish what the new room lets this person publish. And a page
// holds one room at a time: a facilitator visiting a table leaves the plenary's video meanwhile,
// so two rooms' sound never play at once.

export type LocalSource = "camera" | "microphone";

/** A local track carried out of a room: which device, and whether it was on (not muted). */
export interface HeldTrack {
  source: LocalSource;
  enabled: boolean;
}

/** What the new room lets this person publish; `sources` null means any source. */
export interface PublishRights {
  canPublish: boolean;
  sources: readonly LocalSource[] | null;
}

export interface RepublishPlan<T> {
  /** Publish in the new room as they are: the person keeps talking and being seen. */
  publish: T[];
  /** Stop (and so release the device): off before the move, or not allowed in the new room. */
  stop: T[];
}

/**
 * What to do with the tracks carried across a move. A track that was on is republished when the
 * new room allows its source; anything else is stopped, so a camera's light is never on while it
 * is not sent anywhere (an attendee back in the plenary, where only the stage publishes). A second
 * track of the same source (a race between two moves) is stopped too.
 */
export function planRepublish<T extends HeldTrack>(
  held: readonly T[],
  rights: PublishRights,
): RepublishPlan<T> {
  const plan: RepublishPlan<T> = { publish: [], stop: [] };
  const taken = new Set<LocalSource>();
  for (const track of held) {
    const allowed = rights.canPublish && (rights.sources === null || rights.sources.includes(track.source));
    if (track.enabled && allowed && !taken.has(track.source)) {
      plan.publish.push(track);
      taken.add(track.source);
    } else {
      plan.stop.push(track);
    }
  }
  return plan;
}

// LiveKit's TrackSource enum (livekit_models.proto): CAMERA = 1, MICROPHONE = 2.
const TRACK_SOURCES: Record<number, LocalSource> = { 1: "camera", 2: "microphone" };

/**
 * The rights of a connected room: the token's (what the server decided when minting it), narrowed
 * by what the LiveKit server says the participant may do now, when it says anything.
 */
export function rightsFrom(
  tokenCanPublish: boolean,
  permission?: { canPublish?: boolean; canPublishSources?: readonly number[] } | null,
): PublishRights {
  const canPublish = tokenCanPublish && permission?.canPublish !== false;
  const listed = permission?.canPublishSources ?? [];
  const sources = listed.length ? listed.flatMap((n) => (TRACK_SOURCES[n] ? [TRACK_SOURCES[n]] : [])) : null;
  return { canPublish, sources };
}

export interface StageClaim {
  id: string;
  kind: "plenary" | "table";
}

/**
 * Which of the page's video stages may be connected: the table claimed last (a facilitator's visit,
 * or an attendee's seat) or, with no table, the plenary claimed last. Claims are in claiming order.
 */
export function focusedStage(claims: readonly StageClaim[]): string | null {
  const table = claims.findLast((c) => c.kind === "table");
  return (table ?? claims.at(-1))?.id ?? null;
}
