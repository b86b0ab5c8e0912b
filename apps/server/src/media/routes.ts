import express, { type RequestHandler, type Router } from "express";
import { WebhookReceiver } from "livekit-server-sdk";
import {
  agendaSessions,
  and,
  eq,
  events,
  isNotNull,
  sessionHands,
  sessionLive,
  sql,
  type Db,
} from "@convivio/db";
import {
  ErrorCode,
  LiveKitWebhookEvent,
  Permission,
  rolesAllow,
  type MediaTokenResponse,
  type User,
} from "@convivio/protocol";
import type { Logger } from "pino";
import { bindRoutes } from "../http/routes.js";
import { HttpError, issuesOf } from "../http/problem.js";
import { authorizeEvent, findEventBySlug, rolesOf } from "../access/permissions.js";
import type { Clock } from "../auth/clock.js";
import { mintMediaToken, type LiveKitConfig } from "./tokens.js";
import type { RoomControl } from "./rooms.js";
import { plenaryRoom } from "./roomNames.js";
import { loadEndings, loadTables, loadVisits, recordWebhookEvent } from "./attendance.js";
import { eventReport, sessionReport } from "./attendanceReport.js";
import { eventAttendanceCsv, sessionAttendanceCsv } from "./attendanceCsv.js";

export interface MediaDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Null when LIVEKIT_* are unset: everything but video works. */
  liveKit: { config: LiveKitConfig; rooms: RoomControl } | null;
  /** A breakout table's room (the breakouts decide who may be there); without it `tableId` is refused. */
  tableToken?: (
    user: User,
    sessionId: string,
    tableId: string,
    hidden: boolean,
  ) => Promise<MediaTokenResponse>;
}

async function sessionWithEvent(db: Db, sessionId: string) {
  const [row] = await db
    .select({ session: agendaSessions, event: events })
    .from(agendaSessions)
    .innerJoin(events, eq(events.id, agendaSessions.eventId))
    .where(eq(agendaSessions.id, sessionId));
  if (!row) throw new HttpError(ErrorCode.notFound);
  return row;
}

/**
 * What a media token depends on, in one round trip (a join storm asks for thousands at once): the
 * session's event, the caller's roles in it, whether the session is live, and whether the caller
 * is on its stage.
 */
async function tokenContext(db: Db, sessionId: string, userId: string) {
  const [row] = await db
    .select({
      event: events,
      roles: rolesOf(events.id, userId),
      live: sql<boolean>`exists (select 1 from ${sessionLive} where ${sessionLive.sessionId} = ${agendaSessions.id}
        and ${sessionLive.status} = 'live')`,
      onStage: sql<boolean>`exists (select 1 from ${sessionHands} where ${and(
        eq(sessionHands.sessionId, agendaSessions.id),
        eq(sessionHands.userId, userId),
        isNotNull(sessionHands.onStageAt),
      )})`,
    })
    .from(agendaSessions)
    .innerJoin(events, eq(events.id, agendaSessions.eventId))
    .where(eq(agendaSessions.id, sessionId));
  if (!row) throw new HttpError(ErrorCode.notFound);
  return row;
}

/** Media status, room tokens and attendance reports. */
export function mediaRoutes({ db, clock, logger, liveKit, tableToken }: MediaDeps): Router {
  async function sessionAttendance(sessionId: string) {
    const scope = { sessionId };
    const [visits, tables, endings] = await Promise.all([
      loadVisits(db, scope),
      loadTables(db, scope),
      loadEndings(db, scope),
    ]);
    return sessionReport(
      { id: sessionId, endedAt: endings.get(sessionId) ?? null },
      visits,
      tables,
      clock.now(),
    );
  }

  async function eventAttendance(eventId: string) {
    const scope = { eventId };
    const [sessions, visits, tables, endings] = await Promise.all([
      db
        .select({ id: agendaSessions.id, title: agendaSessions.title, startsAt: agendaSessions.startsAt })
        .from(agendaSessions)
        .where(eq(agendaSessions.eventId, eventId)),
      loadVisits(db, scope),
      loadTables(db, scope),
      loadEndings(db, scope),
    ]);
    return eventReport(
      eventId,
      sessions.map((s) => ({ ...s, endedAt: endings.get(s.id) ?? null })),
      visits,
      tables,
      clock.now(),
    );
  }

  return bindRoutes({
    getMediaStatus: () => ({
      status: 200,
      body: { configured: liveKit !== null, url: liveKit?.config.url ?? null },
    }),
    createMediaToken: async ({ actor, params, body }) => {
      const context = await tokenContext(db, params.sessionId, actor.user.id);
      const roles = await authorizeEvent(db, actor, context.event, Permission.joinSession, context.roles);
      if (!liveKit) throw new HttpError(ErrorCode.mediaNotConfigured);
      // Only its team may be in a session's room before it starts or after it ends.
      const leads = rolesAllow(roles, Permission.facilitateSession);
      if (!leads && !context.live) throw new HttpError(ErrorCode.sessionNotLive);
      if (body.tableId !== undefined) {
        if (!tableToken) throw new HttpError(ErrorCode.notFound);
        const token = await tableToken(actor.user, params.sessionId, body.tableId, body.hidden === true);
        return { status: 200, body: token };
      }
      const room = plenaryRoom(params.sessionId);
      const onStage = !leads && context.onStage;
      const minted = await mintMediaToken(
        liveKit.config,
        { id: actor.user.id, name: actor.user.name },
        { room, roomKind: "plenary", roles, onStage, ...(body.hidden ? { hidden: true } : {}) },
        clock.now(),
      );
      if (!minted) throw new HttpError(ErrorCode.forbidden);
      // The token works without it (LiveKit creates a room on first join, with default limits), so an
      // unreachable room API costs the limits, not the video.
      await liveKit.rooms.ensureRoom(room, "plenary").catch((err: unknown) => {
        logger.warn({ err, room }, "could not create a plenary room");
      });
      return {
        status: 200,
        body: {
          url: minted.url,
          token: minted.token,
          room,
          canPublish: minted.canPublish,
          expiresAt: minted.expiresAt.toISOString(),
        },
      };
    },
    getSessionAttendance: async ({ actor, params }) => {
      const { event } = await sessionWithEvent(db, params.sessionId);
      await authorizeEvent(db, actor, event, Permission.facilitateSession);
      return { status: 200, body: await sessionAttendance(params.sessionId) };
    },
    exportSessionAttendance: async ({ actor, params, res }) => {
      const { event, session } = await sessionWithEvent(db, params.sessionId);
      await authorizeEvent(db, actor, event, Permission.facilitateSession);
      const csv = sessionAttendanceCsv(
        await sessionAttendance(params.sessionId),
        actor.user.locale,
        event.timeZone,
      );
      const filename = `${event.slug}-attendance-${session.startsAt.toISOString().slice(0, 10)}.csv`;
      res.setHeader("Content-Disposition", `attachment; filename="${filename}"`);
      res.type("text/csv; charset=utf-8").send(csv);
    },
    getEventAttendance: async ({ actor, params }) => {
      const event = await findEventBySlug(db, params.slug);
      await authorizeEvent(db, actor, event, Permission.facilitateSession);
      return { status: 200, body: await eventAttendance(event.id) };
    },
    exportEventAttendance: async ({ actor, params, res }) => {
      const event = await findEventBySlug(db, params.slug);
      await authorizeEvent(db, actor, event, Permission.facilitateSession);
      const csv = eventAttendanceCsv(await eventAttendance(event.id), actor.user.locale, event.timeZone);
      res.setHeader("Content-Disposition", `attachment; filename="${event.slug}-attendance.csv"`);
      res.type("text/csv; charset=utf-8").send(csv);
    },
  });
}

/**
 * `POST /api/livekit/webhook`: the body must stay raw for the signature check (the Authorization
 * header is a JWT whose sha256 claim covers the exact bytes), so this is mounted before the JSON
 * parser. Verified events are parsed with their protocol schema, then recorded once.
 */
export function liveKitWebhookHandler({ db, clock, logger, liveKit }: MediaDeps): RequestHandler[] {
  const receiver = liveKit ? new WebhookReceiver(liveKit.config.apiKey, liveKit.config.apiSecret) : null;
  const handle: RequestHandler = async (req, res) => {
    if (!receiver) throw new HttpError(ErrorCode.mediaNotConfigured);
    if (!Buffer.isBuffer(req.body))
      throw new HttpError(ErrorCode.unsupportedMediaType, "Send application/webhook+json");
    let verified: unknown;
    try {
      verified = await receiver.receive(req.body.toString("utf8"), req.headers.authorization);
    } catch {
      throw new HttpError(ErrorCode.unauthenticated, "The webhook signature does not verify");
    }
    const parsed = LiveKitWebhookEvent.safeParse(verified);
    if (!parsed.success)
      throw new HttpError(ErrorCode.validationFailed, "Invalid webhook event", issuesOf(parsed.error));
    const outcome = await recordWebhookEvent(db, parsed.data, clock.now());
    logger.debug({ event: parsed.data.event, id: parsed.data.id, outcome }, "livekit webhook");
    res.status(200).end();
  };
  return [express.raw({ type: ["application/webhook+json", "application/json"], limit: "64kb" }), handle];
}
