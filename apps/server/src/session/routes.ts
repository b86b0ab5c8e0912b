// REST side of live sessions: the lobby's live states, and facilitators starting and ending a
// session. Every route asks `authorizeEvent` (drafts are 404 outside their team).
import type { Router } from "express";
import { agendaSessions, eq, type Db } from "@convivio/db";
import { ErrorCode, Permission, type SessionLiveState } from "@convivio/protocol";
import { bindRoutes } from "../http/routes.js";
import { HttpError } from "../http/problem.js";
import { authorizeEvent, findEventBySlug } from "../access/permissions.js";
import { findSession } from "./access.js";
import { endLive, eventLiveStates, liveStateOf, startLive } from "./lifecycle.js";
import type { SessionService } from "./service.js";

async function sessionOrThrow(db: Db, sessionId: string) {
  const found = await findSession(db, sessionId);
  if (!found) throw new HttpError(ErrorCode.notFound);
  return found;
}

export function sessionRoutes(service: SessionService): Router {
  const { db, clock } = service.deps;
  return bindRoutes({
    getEventLive: async ({ actor, params }) => {
      const event = await findEventBySlug(db, params.slug);
      await authorizeEvent(db, actor, event, Permission.viewEvent);
      const sessions = await db
        .select({ id: agendaSessions.id })
        .from(agendaSessions)
        .where(eq(agendaSessions.eventId, event.id));
      const states = await eventLiveStates(db, event.id);
      const body: SessionLiveState[] = sessions.map(
        ({ id }) =>
          states.get(id) ?? {
            sessionId: id as SessionLiveState["sessionId"],
            status: "scheduled",
            startedAt: null,
            endedAt: null,
          },
      );
      return { status: 200, body: { sessions: body } };
    },
    getSessionLive: async ({ actor, params }) => {
      const { event } = await sessionOrThrow(db, params.sessionId);
      await authorizeEvent(db, actor, event, Permission.viewEvent);
      return { status: 200, body: { live: await liveStateOf(db, params.sessionId) } };
    },
    startSession: async ({ actor, params }) => {
      const { event } = await sessionOrThrow(db, params.sessionId);
      await authorizeEvent(db, actor, event, Permission.facilitateSession);
      const { state, changed } = await startLive(db, {
        sessionId: params.sessionId,
        eventId: event.id,
        userId: actor.user.id,
        now: clock.now(),
      });
      if (changed) service.announceState(state);
      return { status: 200, body: { live: state } };
    },
    endSession: async ({ actor, params }) => {
      const { event } = await sessionOrThrow(db, params.sessionId);
      await authorizeEvent(db, actor, event, Permission.facilitateSession);
      const ended = await endLive(db, {
        sessionId: params.sessionId,
        userId: actor.user.id,
        now: clock.now(),
      });
      if (!ended) throw new HttpError(ErrorCode.sessionNotLive);
      if (ended.changed) await service.afterEnded(ended.state);
      return { status: 200, body: { live: ended.state } };
    },
  });
}
