// The organizer's side of registrations: settings and questions, the table with search and filter,
// counts, decisions, adding by hand, CSV export, invite codes and announcements.
import {
  agendaSessions,
  and,
  announcements,
  asc,
  count,
  eq,
  inArray,
  registrations,
  sessionRegistrations,
  sql,
  type Db,
  type SQL,
} from "@convivio/db";
import {
  ErrorCode,
  Permission,
  type EventId,
  type Locale,
  type RegistrationCounts,
  type RegistrationId,
  type SessionId,
} from "@convivio/protocol";
import { bindRoutes } from "../http/routes.js";
import type { Clock } from "../auth/clock.js";
import type { Actor } from "../auth/actor.js";
import { authorizeEvent, findEventBySlug } from "../access/permissions.js";
import { registrationsCsv } from "./exportCsv.js";
import { addMessages, seatsTaken, type ChangeActor } from "./ledger.js";
import { HttpError } from "../http/problem.js";
import { likePattern } from "./rules.js";
import type { RegistrationService } from "./service.js";
import {
  createInviteCode,
  disableInviteCode,
  listInviteCodes,
  questionsOf,
  settingsView,
  toQuestion,
  updateSettings,
} from "./settings.js";
import { registrationViews } from "./views.js";

export interface OrganizerRouteDeps {
  db: Db;
  service: RegistrationService;
  clock: Clock;
}

const organizer = (actor: Actor): ChangeActor => ({ kind: "organizer", userId: actor.user.id });

export function organizerRegistrationRoutes({ db, service, clock }: OrganizerRouteDeps) {
  async function managedEvent(actor: Actor, slug: string) {
    const event = await findEventBySlug(db, slug);
    await authorizeEvent(db, actor, event, Permission.manageRegistrations);
    return event;
  }

  return bindRoutes({
    getRegistrationSettings: async ({ actor, params }) => {
      const event = await managedEvent(actor, params.slug);
      return { status: 200, body: settingsView(event, await questionsOf(db, event.id)) };
    },

    updateRegistrationSettings: async ({ actor, params, body }) => {
      const event = await managedEvent(actor, params.slug);
      return { status: 200, body: await updateSettings(service, event.id, body) };
    },

    listRegistrations: async ({ actor, params, query }) => {
      const event = await managedEvent(actor, params.slug);
      const filters: SQL[] = [eq(registrations.eventId, event.id)];
      if (query.status) filters.push(eq(registrations.status, query.status));
      if (query.q) {
        const pattern = likePattern(query.q);
        filters.push(
          sql`(${registrations.name} ILIKE ${pattern} OR ${registrations.email} ILIKE ${pattern})`,
        );
      }
      if (query.sessionId) {
        filters.push(
          inArray(
            registrations.id,
            db
              .select({ id: sessionRegistrations.registrationId })
              .from(sessionRegistrations)
              .where(
                and(
                  eq(sessionRegistrations.sessionId, query.sessionId),
                  inArray(sessionRegistrations.status, ["confirmed", "waitlisted"]),
                ),
              ),
          ),
        );
      }
      const where = and(...filters);
      const [rows, [total], questions] = await Promise.all([
        db
          .select()
          .from(registrations)
          .where(where)
          .orderBy(asc(registrations.arrival))
          .limit(query.limit)
          .offset(query.offset),
        db.select({ n: count() }).from(registrations).where(where),
        questionsOf(db, event.id),
      ]);
      return {
        status: 200,
        body: {
          registrations: await registrationViews(db, rows),
          total: total?.n ?? 0,
          questions: questions.map(toQuestion),
        },
      };
    },

    addRegistration: async ({ actor, params, body }) => {
      const event = await managedEvent(actor, params.slug);
      const result = await service.register(event.id, body, {
        kind: "organizer",
        actor: organizer(actor),
        overCapacity: body.overCapacity,
        notify: body.notify,
      });
      return {
        status: result.created ? 201 : 200,
        body: {
          registration: {
            id: result.registration.id as RegistrationId,
            eventId: event.id as EventId,
            status: result.registration.status,
            waitlistPosition: result.waitlistPosition,
          },
          created: result.created,
        },
      };
    },

    getRegistrationCounts: async ({ actor, params }) => {
      const event = await managedEvent(actor, params.slug);
      const [byStatus, taken, sessions, seats] = await Promise.all([
        db
          .select({ status: registrations.status, n: count() })
          .from(registrations)
          .where(eq(registrations.eventId, event.id))
          .groupBy(registrations.status),
        seatsTaken(db, event.id),
        db
          .select()
          .from(agendaSessions)
          .where(and(eq(agendaSessions.eventId, event.id), eq(agendaSessions.registrationEnabled, true)))
          .orderBy(asc(agendaSessions.startsAt)),
        db
          .select({
            sessionId: sessionRegistrations.sessionId,
            status: sessionRegistrations.status,
            n: count(),
          })
          .from(sessionRegistrations)
          .innerJoin(agendaSessions, eq(agendaSessions.id, sessionRegistrations.sessionId))
          .where(eq(agendaSessions.eventId, event.id))
          .groupBy(sessionRegistrations.sessionId, sessionRegistrations.status),
      ]);
      const n = (status: string) => byStatus.find((r) => r.status === status)?.n ?? 0;
      const seatCount = (sessionId: string, status: string) =>
        seats.find((s) => s.sessionId === sessionId && s.status === status)?.n ?? 0;
      const counts: RegistrationCounts = {
        capacity: event.capacity,
        confirmed: n("confirmed"),
        seatsTaken: taken,
        waitlisted: n("waitlisted"),
        pending: n("pending"),
        cancelled: n("cancelled"),
        rejected: n("rejected"),
        sessions: sessions.map((s) => ({
          sessionId: s.id as SessionId,
          title: s.title,
          capacity: s.capacity,
          confirmed: seatCount(s.id, "confirmed"),
          waitlisted: seatCount(s.id, "waitlisted"),
        })),
      };
      return { status: 200, body: counts };
    },

    decideRegistrations: async ({ actor, params, body }) => {
      const event = await managedEvent(actor, params.slug);
      const results = await service.decide(
        event.id,
        body.action,
        body.registrationIds,
        organizer(actor),
        body.reason,
      );
      return {
        status: 200,
        body: { results: results.map((r) => ({ ...r, id: r.id as RegistrationId })) },
      };
    },

    exportRegistrations: async ({ actor, params, query, res }) => {
      const event = await managedEvent(actor, params.slug);
      const locale: Locale = query.locale ?? actor.user.locale;
      const [rows, questions] = await Promise.all([
        db
          .select()
          .from(registrations)
          .where(eq(registrations.eventId, event.id))
          .orderBy(asc(registrations.arrival)),
        questionsOf(db, event.id, true),
      ]);
      const csv = registrationsCsv(await registrationViews(db, rows), questions, event.timeZone, locale);
      res
        .status(200)
        .type("text/csv; charset=utf-8")
        .setHeader("Content-Disposition", `attachment; filename="${event.slug}-registrations.csv"`)
        .send(csv);
    },

    listInviteCodes: async ({ actor, params }) => {
      const event = await managedEvent(actor, params.slug);
      return { status: 200, body: { inviteCodes: await listInviteCodes(db, event.id) } };
    },

    createInviteCode: async ({ actor, params, body }) => {
      const event = await managedEvent(actor, params.slug);
      const inviteCode = await createInviteCode(db, event, body, organizer(actor), clock.now());
      return { status: 201, body: { inviteCode } };
    },

    disableInviteCode: async ({ actor, params }) => {
      const event = await managedEvent(actor, params.slug);
      await disableInviteCode(db, event.id, params.codeId, clock.now());
      return { status: 204 };
    },

    sendAnnouncement: async ({ actor, params, body }) => {
      const event = await managedEvent(actor, params.slug);
      const result = await service.run(async (ledger) => {
        const { tx, now } = ledger;
        const filters: SQL[] = [
          eq(registrations.eventId, event.id),
          inArray(registrations.status, body.statuses),
        ];
        if (body.sessionId) {
          const [session] = await tx
            .select({ id: agendaSessions.id })
            .from(agendaSessions)
            .where(and(eq(agendaSessions.id, body.sessionId), eq(agendaSessions.eventId, event.id)));
          if (!session) throw new HttpError(ErrorCode.notFound, "No such session in this event");
          filters.push(
            inArray(
              registrations.id,
              tx
                .select({ id: sessionRegistrations.registrationId })
                .from(sessionRegistrations)
                .where(
                  and(
                    eq(sessionRegistrations.sessionId, body.sessionId),
                    eq(sessionRegistrations.status, "confirmed"),
                  ),
                ),
            ),
          );
        }
        const recipients = await tx
          .select({ id: registrations.id })
          .from(registrations)
          .where(and(...filters));
        const [announcement] = await tx
          .insert(announcements)
          .values({
            eventId: event.id,
            subject: body.subject,
            body: body.body,
            audience: { statuses: body.statuses, sessionId: body.sessionId ?? null },
            recipients: recipients.length,
            createdBy: actor.user.id,
            createdAt: now,
          })
          .returning();
        await addMessages(
          ledger,
          recipients.map((r) => r.id),
          "announcement",
          { announcementId: announcement!.id },
        );
        return { id: announcement!.id, recipients: recipients.length };
      });
      return { status: 202, body: result };
    },
  });
}
