// Wires communities and the library: the blob store for attachments, vertical sharing (its live
// tally goes out once the socket server exists), the weekly digest job, and the REST routes.
import { Router } from "express";
import type { Logger } from "pino";
import type { Db } from "@convivio/db";
import type { Clock } from "../auth/clock.js";
import type { Jobs } from "../jobs/jobs.js";
import type { LiveServer } from "../live/socket.js";
import type { BoardStore } from "../boards/store.js";
import type { BlobStore } from "./blobStore.js";
import { libraryRoutes } from "./routes.js";
import { communityRoutes } from "./communityRoutes.js";
import { Sharing } from "./sharing.js";
import { LibraryDigest } from "./digest.js";
import type { Mailer } from "../email/mailer.js";

export interface LibraryFeatureDeps {
  db: Db;
  jobs: Jobs;
  clock: Clock;
  logger: Logger;
  blobs: BlobStore;
  boards: BoardStore;
  mailer: Mailer;
  publicUrl: () => string;
  /** Platform operators by email: who may start a top-level community. */
  operatorEmails: readonly string[];
}

export interface LibraryFeature {
  router: Router;
  sharing: Sharing;
  blobs: BlobStore;
  digest: LibraryDigest;
  /** Arms the next weekly digest and catches up the latest week if it never finished. Call after jobs.start(). */
  rearm(): Promise<void>;
  /** Pushes tallies to the senders' open pages through their `user:<id>` rooms. */
  attach(io: LiveServer): void;
}

export function createLibraryFeature(deps: LibraryFeatureDeps): LibraryFeature {
  const { db, clock, blobs } = deps;
  const sharing = new Sharing(db);
  const digest = new LibraryDigest({
    db,
    mailer: deps.mailer,
    clock,
    logger: deps.logger.child({ component: "library" }),
    jobs: deps.jobs,
    publicUrl: deps.publicUrl,
  });
  return {
    router: Router().use(
      communityRoutes({ db, clock, sharing, operatorEmails: deps.operatorEmails }),
      libraryRoutes({ db, clock, sharing, blobs, boards: deps.boards }),
    ),
    sharing,
    blobs,
    digest,
    async rearm() {
      await digest.rearm();
    },
    attach(io) {
      sharing.setNotifier((userIds, tally) => {
        if (userIds.length === 0) return;
        io.to(userIds.map((id) => `user:${id}`)).emit("library:tally", tally);
      });
    },
  };
}
