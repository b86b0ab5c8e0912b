import { z } from "zod";

/** A UUID branded with the entity it names, so ids of different kinds cannot be swapped. */
const uuid = <B extends string>(_brand: B) => z.uuid().brand<B>();

export const UserId = uuid("UserId");
export type UserId = z.infer<typeof UserId>;
export const EventId = uuid("EventId");
export type EventId = z.infer<typeof EventId>;
export const SpaceId = uuid("SpaceId");
export type SpaceId = z.infer<typeof SpaceId>;
export const SessionId = uuid("SessionId");
export type SessionId = z.infer<typeof SessionId>;
