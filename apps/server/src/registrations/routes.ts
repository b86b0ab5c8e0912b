// Public and attendee routes: the registration form, registering, and self-service on one
// registration (by signed-in owner or by the token of an emailed link, sent as a header).
import {
  and,
  agendaSessions,
  asc,
  count,
  desc,
  eq,
  events,
  inArray,
  registrations,
  sessionRegistrations,
  type Db,
} from "@convivio/db";
import {
  ErrorCode,
  Permission,
  REGISTRATION_TOKEN_HEADER,
  type EventId,
  type RegistrationForm,
  type RegistrationState,
  type RegistrationId,
  type SessionId,
} from "@convivio/protocol";
import type { Request } from "express";
import { bindRoutes } from "../http/routes.js";
import type { Clock } from "../auth/clock.js";
import type { Actor } from "../auth/actor.js";
import {
  authorizeEvent,
  authorizeRegistration,
  eventIdBySlug,
  findEventBySlug,
  rolesIn,
} from "../access/permissions.js";
import { HttpError } from "../http/problem.js";
import { markNoindexUnlessPublic } from "../events/robots.js";
import { eventPageUrl, loadRegistrationContext, registrationCalendar } from "./calendar.js";
import { seatWaitlistPosition, seatsTaken, type ChangeActor, type SeatRow } from "./ledger.js";
import { registrationWindowState, seatsLeft } from "./rules.js";
import type { RegistrationService } from "./service.js";
import { joinSession, leaveSession } from "./sessionSeats.js";
import { questionsOf, toQuestion } from "./settings.js";
import { eventOfRegistration, historyOf, registrationView, registrationViews } from "./views.js";

/** The slug no longer names the event it named when it was last read (refused, then looked up again). */
class SlugMoved extends HttpError {
  constructor() {
    super(ErrorCode.notFound);
  }
}

export interface RegistrationRouteDeps {
  db: Db;
  service: RegistrationService;
  clock: Clock;
  publicUrl: () => string;
}

function tokenOf(req: Request): string | undefined {
  const value = req.headers[REGISTRATION_TOKEN_HEADER];
  return typeof value === "string" ? value : undefined;
}

/** Who a self-service change is recorded as. */
function changeActor(actor: Actor | null, access: "owner" | "organizer"): ChangeActor {
  return { kind: access === "organizer" ? "organizer" : "attendee", userId: actor?.user.id ?? null };
}

export function registrationRoutes({ db, service, clock, publicUrl }: RegistrationRouteDeps) {
  const authorize = (actor: Actor | null, req: Request, registrationId: string) =>
    authorizeRegistration(db, actor, registrationId, tokenOf(req), clock.now());

  async function detail(registrationId: string, access: "owner" | "organizer") {
    const ctx = await loadRegistrationContext(db, registrationId);
    const [view, questions, history] = await Promise.all([
      registrationView(db, ctx!.registration),
      questionsOf(db, ctx!.event.id),
      historyOf(db, registrationId, access === "organizer"),
    ]);
    return {
      registration: view,
      event: eventOfRegistration(ctx!.event),
      questions: questions.map(toQuestion),
      history,
    };
  }

  async function seatView(seat: SeatRow) {
    const [session] = await db.select().from(agendaSessions).where(eq(agendaSessions.id, seat.sessionId));
    return {
      seat: {
        sessionId: seat.sessionId as SessionId,
        title: session!.title,
        startsAt: session!.startsAt.toISOString(),
        endsAt: session!.endsAt.toISOString(),
        status: seat.status,
        waitlistPosition: await seatWaitlistPosition(db, seat),
      },
    };
  }

  return bindRoutes({
    getRegistrationForm: async ({ actor, params, res }) => {
      const event = await findEventBySlug(db, params.slug);
      await authorizeEvent(db, actor, event, Permission.viewEvent);
      markNoindexUnlessPublic(res, event);
      const now = clock.now();
      const [taken, questions, sessions] = await Promise.all([
        seatsTaken(db, event.id),
        questionsOf(db, event.id),
        db
          .select()
          .from(agendaSessions)
          .where(and(eq(agendaSessions.eventId, event.id), eq(agendaSessions.registrationEnabled, true)))
          .orderBy(asc(agendaSessions.startsAt)),
      ]);
      const sessionTaken = sessions.length
        ? await db
            .select({ sessionId: sessionRegistrations.sessionId, n: count() })
            .from(sessionRegistrations)
            .where(
              and(
                inArray(
                  sessionRegistrations.sessionId,
                  sessions.map((s) => s.id),
                ),
                eq(sessionRegistrations.status, "confirmed"),
              ),
            )
            .groupBy(sessionRegistrations.sessionId)
        : [];
      const left = seatsLeft(event.capacity, taken);
      let state: RegistrationState = registrationWindowState(event, now);
      if (state === "open" && left === 0 && !event.waitlistEnabled) state = "full";
      const form: RegistrationForm = {
        eventId: event.id as EventId,
        slug: event.slug,
        title: event.title,
        timeZone: event.timeZone,
        startsAt: event.startsAt.toISOString(),
        endsAt: event.endsAt.toISOString(),
        state,
        opensAt: event.registrationOpensAt?.toISOString() ?? null,
        closesAt: event.registrationClosesAt?.toISOString() ?? null,
        capacity: event.capacity,
        seatsLeft: left,
        waitlist: event.waitlistEnabled,
        approvalRequired: event.approvalRequired,
        consent:
          event.consentText !== null && event.consentVersion !== null
            ? { text: event.consentText, version: event.consentVersion }
            : null,
        questions: questions.map(toQuestion),
        sessions: sessions.map((s) => ({
          sessionId: s.id as SessionId,
          title: s.title,
          startsAt: s.startsAt.toISOString(),
          endsAt: s.endsAt.toISOString(),
          capacity: s.capacity,
          seatsLeft: seatsLeft(s.capacity, sessionTaken.find((t) => t.sessionId === s.id)?.n ?? 0),
          waitlist: s.waitlistEnabled,
        })),
      };
      return { status: 200, body: form };
    },

    register: async ({ actor, params, body }) => {
      // The event is read under its lock (the batch's, service.ts), and checked there: the slug
      // still names it, and the person may see it. Only a slug that moved is looked up again.
      const registerAt = async (eventId: string) => {
        const roles = actor ? await rolesIn(db, eventId, actor.user.id) : [];
        return service.register(eventId, body, { kind: "self" }, async (event) => {
          if (event.slug !== params.slug) throw new SlugMoved();
          await authorizeEvent(db, actor, event, Permission.viewEvent, roles);
        });
      };
      const eventId = await eventIdBySlug(db, params.slug);
      const result = await registerAt(eventId).catch(async (err: unknown) => {
        if (!(err instanceof SlugMoved)) throw err;
        return registerAt(await eventIdBySlug(db, params.slug, true));
      });
      // Idempotent either way (nothing changed, nothing sent), but an existing registration's id,
      // status and place in line are for its owner: anyone can type an email into the form.
      const shown = result.created || (actor !== null && actor.user.id === result.registration.userId);
      return {
        status: result.created ? 201 : 200,
        body: {
          registration: shown
            ? {
                id: result.registration.id as RegistrationId,
                eventId: result.registration.eventId as EventId,
                status: result.registration.status,
                waitlistPosition: result.waitlistPosition,
              }
            : null,
          created: result.created,
          ...(result.manageToken ? { manageToken: result.manageToken } : {}),
        },
      };
    },

    listMyRegistrations: async ({ actor }) => {
      const rows = await db
        .select({ registration: registrations, event: events })
        .from(registrations)
        .innerJoin(events, eq(events.id, registrations.eventId))
        .where(eq(registrations.userId, actor.user.id))
        .orderBy(desc(events.startsAt));
      const views = await registrationViews(
        db,
        rows.map((r) => r.registration),
      );
      return {
        status: 200,
        body: {
          registrations: rows.map((r, i) => ({
            registration: views[i]!,
            event: eventOfRegistration(r.event),
          })),
        },
      };
    },

    getRegistration: async ({ actor, params, req }) => {
      const { access } = await authorize(actor, req, params.registrationId);
      return { status: 200, body: await detail(params.registrationId, access) };
    },

    updateRegistrationAnswers: async ({ actor, params, body, req }) => {
      const { registration, access } = await authorize(actor, req, params.registrationId);
      await service.updateAnswers(registration, body, access === "owner");
      return { status: 200, body: await detail(params.registrationId, access) };
    },

    cancelRegistration: async ({ actor, params, req }) => {
      const { access } = await authorize(actor, req, params.registrationId);
      const updated = await service.cancel(params.registrationId, changeActor(actor, access));
      return {
        status: 200,
        body: {
          registration: {
            id: updated.id as RegistrationId,
            eventId: updated.eventId as EventId,
            status: updated.status,
            waitlistPosition: null,
          },
        },
      };
    },

    getRegistrationCalendar: async ({ actor, params, req, res }) => {
      await authorize(actor, req, params.registrationId);
      const ctx = await loadRegistrationContext(db, params.registrationId);
      const ics = registrationCalendar(ctx!, clock.now(), {
        eventUrl: eventPageUrl(publicUrl(), ctx!.event.slug),
      });
      res
        .status(200)
        .type("text/calendar; charset=utf-8")
        .setHeader("Content-Disposition", `attachment; filename="${ctx!.event.slug}.ics"`)
        .send(ics);
    },

    joinSessionSeat: async ({ actor, params, req }) => {
      const { access } = await authorize(actor, req, params.registrationId);
      const { seat } = await joinSession(
        service,
        params.registrationId,
        params.sessionId,
        changeActor(actor, access),
      );
      return { status: 200, body: await seatView(seat) };
    },

    leaveSessionSeat: async ({ actor, params, req }) => {
      const { access } = await authorize(actor, req, params.registrationId);
      const seat = await leaveSession(
        service,
        params.registrationId,
        params.sessionId,
        changeActor(actor, access),
      );
      return { status: 200, body: await seatView(seat) };
    },
  });
}
