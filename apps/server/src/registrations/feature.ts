// Wires events editing and registrations: defines their jobs on the port (before it starts), builds
// the services and routers, and re-arms unsent messages and pending reminders from the database (at
// start-up, and unsent messages again on a recurring sweep).
import type { Router } from "express";
import type { Db } from "@convivio/db";
import type { Logger } from "pino";
import type { AuthService } from "../auth/service.js";
import type { Clock } from "../auth/clock.js";
import type { Mailer } from "../email/mailer.js";
import type { Jobs } from "../jobs/jobs.js";
import { EventEditor } from "../events/editor.js";
import { eventEditRoutes } from "../events/editRoutes.js";
import { publicEventRoutes } from "../events/publicRoutes.js";
import { defineRegistrationJobs } from "./mailJobs.js";
import { organizerRegistrationRoutes } from "./organizerRoutes.js";
import { createReminderSync } from "./reminders.js";
import { registrationRoutes } from "./routes.js";
import { RegistrationService } from "./service.js";

export interface RegistrationFeatureDeps {
  db: Db;
  jobs: Jobs;
  mailer: Mailer;
  auth: AuthService;
  clock: Clock;
  logger: Logger;
  /** Public origin for emailed links, known once the server listens. */
  publicUrl: () => string;
  /** How often unsent emails are re-armed while running (tests shorten it). */
  mailSweepEveryMs?: number;
  /** How long the process has been busy (0: not busy now): registration emails wait for a young rush. */
  busyForMs?: () => number;
}

export interface RegistrationFeature {
  routers: Router[];
  service: RegistrationService;
  /**
   * Schedules what the database says is owed: unsent messages and pending reminders; and arms the
   * recurring sweep that re-arms unsent messages while running. Call after jobs.start().
   */
  rearm(): Promise<{ messages: number; registrations: number }>;
}

export function createRegistrationFeature(deps: RegistrationFeatureDeps): RegistrationFeature {
  const { db, jobs, clock, logger } = deps;
  const mail = defineRegistrationJobs(deps);
  const reminders = createReminderSync(db, jobs, clock);
  const service = new RegistrationService({
    db,
    clock,
    logger,
    reminders,
    scheduleMails: mail.scheduleMails,
  });
  const editor = new EventEditor(db, service);
  return {
    routers: [
      publicEventRoutes({ db, clock }),
      eventEditRoutes({ db, editor, clock, scheduleTeamInvite: mail.scheduleTeamInvite }),
      registrationRoutes({ db, service, clock, publicUrl: deps.publicUrl }),
      organizerRegistrationRoutes({ db, service, clock }),
    ],
    service,
    async rearm() {
      await mail.armSweep();
      const messages = await mail.rearmMessages();
      const registrations = await reminders.rearmAll();
      logger.info({ messages, registrations }, "registration emails and reminders re-armed");
      return { messages, registrations };
    },
  };
}
