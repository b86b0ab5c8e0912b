import { asc, eq, eventMembers, events, users, type Db } from "@convivio/db";
import { Permission, rolesAllow, type EventRole, type EventSummary } from "@convivio/protocol";
import { bindRoutes } from "../http/routes.js";
import { authorizeEvent, findEventBySlug } from "../access/permissions.js";
import { eventDetail, eventSummary as summary } from "./detail.js";
import { markNoindexUnlessPublic } from "./robots.js";

/** Reading events: the dashboard's list, the public page, the team. Editing is in editRoutes.ts. */
export function eventRoutes(db: Db) {
  return bindRoutes({
    listMyEvents: async ({ actor }) => {
      const rows = await db
        .select({ event: events, role: eventMembers.role })
        .from(eventMembers)
        .innerJoin(events, eq(events.id, eventMembers.eventId))
        .where(eq(eventMembers.userId, actor.user.id))
        .orderBy(asc(events.startsAt));
      const byId = new Map<string, EventSummary>();
      for (const { event, role } of rows) {
        const existing = byId.get(event.id);
        if (existing) existing.roles.push(role);
        else byId.set(event.id, summary(event, [role]));
      }
      // A draft is listed only to those who may open it (its organizers), like everywhere else.
      const visible = [...byId.values()].filter(
        (e) => e.visibility !== "draft" || rolesAllow(e.roles, Permission.viewDraft),
      );
      return { status: 200, body: { events: visible } };
    },
    getEvent: async ({ actor, params, res }) => {
      const event = await findEventBySlug(db, params.slug);
      const roles = await authorizeEvent(db, actor, event, Permission.viewEvent);
      markNoindexUnlessPublic(res, event);
      return { status: 200, body: await eventDetail(db, event, roles) };
    },
    listEventTeam: async ({ actor, params }) => {
      const event = await findEventBySlug(db, params.slug);
      await authorizeEvent(db, actor, event, Permission.manageMembers);
      const rows = await db
        .select({ userId: users.id, name: users.name, email: users.email, role: eventMembers.role })
        .from(eventMembers)
        .innerJoin(users, eq(users.id, eventMembers.userId))
        .where(eq(eventMembers.eventId, event.id));
      const team = rows.filter((r) => r.role !== "attendee");
      const members = new Map<string, { userId: string; name: string; email: string; roles: EventRole[] }>();
      for (const r of team) {
        const m = members.get(r.userId) ?? { userId: r.userId, name: r.name, email: r.email, roles: [] };
        m.roles.push(r.role);
        members.set(r.userId, m);
      }
      return { status: 200, body: { members: [...members.values()] } };
    },
  });
}
