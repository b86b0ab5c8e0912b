// Editing events: create, change, publish; spaces; sessions with schedule warnings; the team; the cover.
import { eq, eventCovers, type Db } from "@convivio/db";
import { ErrorCode, Permission, type EventRole, type SpaceId, type TeamInviteJob } from "@convivio/protocol";
import { bindRoutes } from "../http/routes.js";
import type { Clock } from "../auth/clock.js";
import { authorizeEvent, findEventBySlug } from "../access/permissions.js";
import { HttpError } from "../http/problem.js";
import type { Actor } from "../auth/actor.js";
import { findCover, readCover, saveCover } from "./cover.js";
import { eventDetail, sessionDetail } from "./detail.js";
import { createSpace, deleteSpace, updateSpace } from "./spaces.js";
import { sessionIn, type EventEditor } from "./editor.js";
import { inviteTeamMember, removeTeamMember } from "./team.js";
import { markNoindexUnlessPublic } from "./robots.js";

export interface EventEditDeps {
  db: Db;
  editor: EventEditor;
  clock: Clock;
  scheduleTeamInvite: (job: TeamInviteJob) => Promise<void>;
}

const COVER_CACHE = "public, max-age=300";

export function eventEditRoutes({ db, editor, clock, scheduleTeamInvite }: EventEditDeps) {
  /** The event, if the actor holds `permission` in it (drafts stay 404 to outsiders). */
  async function eventFor(actor: Actor | null, slug: string, permission: Permission) {
    const event = await findEventBySlug(db, slug);
    const roles = await authorizeEvent(db, actor, event, permission);
    return { event, roles };
  }

  async function saved(slug: string, roles: EventRole[], status = 200) {
    const event = await findEventBySlug(db, slug);
    return {
      status,
      body: { event: await eventDetail(db, event, roles), warnings: await editor.warnings(event) },
    };
  }

  return bindRoutes(
    {
      createEvent: async ({ actor, body }) => {
        const event = await editor.createEvent(actor.user.id, body, clock.now());
        return saved(event.slug, ["organizer"], 201);
      },

      updateEvent: async ({ actor, params, body }) => {
        const { event, roles } = await eventFor(actor, params.slug, Permission.editEvent);
        const updated = await editor.updateEvent(event.id, body);
        return saved(updated.slug, roles);
      },

      setEventVisibility: async ({ actor, params, body }) => {
        const { event, roles } = await eventFor(actor, params.slug, Permission.editEvent);
        await editor.setVisibility(event.id, body.visibility, clock.now());
        return saved(event.slug, roles);
      },

      createSpace: async ({ actor, params, body }) => {
        const { event } = await eventFor(actor, params.slug, Permission.editEvent);
        const space = await createSpace(db, event.id, body);
        return {
          status: 201,
          body: { space: { id: space.id as SpaceId, name: space.name, position: space.position } },
        };
      },

      updateSpace: async ({ actor, params, body }) => {
        const { event } = await eventFor(actor, params.slug, Permission.editEvent);
        const space = await updateSpace(db, event.id, params.spaceId, body);
        return {
          status: 200,
          body: { space: { id: space.id as SpaceId, name: space.name, position: space.position } },
        };
      },

      deleteSpace: async ({ actor, params }) => {
        const { event } = await eventFor(actor, params.slug, Permission.editEvent);
        await deleteSpace(db, event.id, params.spaceId);
        return { status: 204 };
      },

      createSession: async ({ actor, params, body }) => {
        const { event } = await eventFor(actor, params.slug, Permission.editEvent);
        const session = await editor.createSession(event, body);
        return {
          status: 201,
          body: {
            session: await sessionDetail(db, event, session),
            warnings: await editor.warnings(event, session.id),
          },
        };
      },

      getSession: async ({ actor, params, res }) => {
        const { event } = await eventFor(actor, params.slug, Permission.viewEvent);
        markNoindexUnlessPublic(res, event);
        const session = await sessionIn(db, event.id, params.sessionId);
        return { status: 200, body: { session: await sessionDetail(db, event, session) } };
      },

      updateSession: async ({ actor, params, body }) => {
        const { event } = await eventFor(actor, params.slug, Permission.editEvent);
        const session = await editor.updateSession(event, params.sessionId, body);
        const current = await findEventBySlug(db, params.slug);
        return {
          status: 200,
          body: {
            session: await sessionDetail(db, current, session),
            warnings: await editor.warnings(current, session.id),
          },
        };
      },

      deleteSession: async ({ actor, params }) => {
        const { event } = await eventFor(actor, params.slug, Permission.editEvent);
        await editor.deleteSession(event, params.sessionId, { kind: "organizer", userId: actor.user.id });
        return { status: 204 };
      },

      getScheduleWarnings: async ({ actor, params }) => {
        const { event } = await eventFor(actor, params.slug, Permission.editEvent);
        return { status: 200, body: { warnings: await editor.warnings(event) } };
      },

      inviteTeamMember: async ({ actor, params, body }) => {
        const { event } = await eventFor(actor, params.slug, Permission.manageMembers);
        const member = await inviteTeamMember(db, event.id, body, actor.user.id, scheduleTeamInvite);
        return { status: 201, body: { member } };
      },

      removeTeamMember: async ({ actor, params, query }) => {
        const { event } = await eventFor(actor, params.slug, Permission.manageMembers);
        await removeTeamMember(db, event.id, params.userId, query.role);
        return { status: 204 };
      },

      uploadEventCover: async ({ actor, params, res }) => {
        const { event } = await eventFor(actor, params.slug, Permission.editEvent);
        await saveCover(
          db,
          event.id,
          res.locals.cover as { contentType: string; data: Uint8Array },
          clock.now(),
        );
        return { status: 204 };
      },

      getEventCover: async ({ actor, params, res }) => {
        const { event } = await eventFor(actor, params.slug, Permission.viewEvent);
        markNoindexUnlessPublic(res, event);
        const cover = await findCover(db, event.id);
        if (!cover) throw new HttpError(ErrorCode.notFound, "This event has no cover");
        res
          .status(200)
          .type(cover.contentType)
          .setHeader("Cache-Control", event.visibility === "draft" ? "private, no-store" : COVER_CACHE)
          .send(Buffer.from(cover.data));
      },

      deleteEventCover: async ({ actor, params }) => {
        const { event } = await eventFor(actor, params.slug, Permission.editEvent);
        await db.delete(eventCovers).where(eq(eventCovers.eventId, event.id));
        return { status: 204 };
      },
    },
    { uploadEventCover: readCover },
  );
}
