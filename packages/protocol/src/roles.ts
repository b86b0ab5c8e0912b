/** Roles a person can hold in one event. */
export const EventRole = {
  organizer: "organizer",
  facilitator: "facilitator",
  speaker: "speaker",
  attendee: "attendee",
} as const;
export type EventRole = (typeof EventRole)[keyof typeof EventRole];
export const EVENT_ROLES = Object.values(EventRole) as [EventRole, ...EventRole[]];

/** Things a person may do inside an event; every route and socket handler asks for one. */
export const Permission = {
  viewEvent: "event.view",
  viewDraft: "event.view_draft",
  editEvent: "event.edit",
  manageMembers: "event.manage_members",
  manageRegistrations: "registrations.manage",
  facilitateSession: "session.facilitate",
  presentOnStage: "session.present",
  joinSession: "session.join",
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

const ALL = Object.values(Permission);

/**
 * The permission table: which role grants what. Drafts are for their organizers only (issue 3):
 * facilitators and speakers see an event, its sessions and its boards once it is unlisted or public.
 */
export const ROLE_PERMISSIONS: Record<EventRole, readonly Permission[]> = {
  organizer: ALL,
  facilitator: [
    Permission.viewEvent,
    Permission.facilitateSession,
    Permission.presentOnStage,
    Permission.joinSession,
  ],
  speaker: [Permission.viewEvent, Permission.presentOnStage, Permission.joinSession],
  attendee: [Permission.viewEvent, Permission.joinSession],
};

/** Whether any of the given roles grants the permission. */
export function rolesAllow(roles: readonly EventRole[], permission: Permission): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}
