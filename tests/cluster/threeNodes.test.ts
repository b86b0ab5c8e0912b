// Three real server processes (the built apps/server/dist) on the real PostgreSQL and a real Redis
// of the test's own (so it can be restarted without disturbing other tests), with clients spread
// over them (issue 7's acceptance): registrations keep capacity exact, board votes converge
// everywhere; a node killed with SIGKILL and another one started mid-session lose no acknowledged
// command, the clients are back within seconds, and each board timer and each reminder fires once;
// Redis restarted (empty): the nodes become ready again and re-arm the jobs it lost, without a
// restart of their own.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { and, eq, inArray, like, sql } from "drizzle-orm";
import { boardEvents, outbox, registrations } from "@convivio/db";
import type { TestDatabase } from "@convivio/db/testing";
import type { BoardView, IdeaId } from "@convivio/protocol";
import type { ServerProcess } from "../support/server.js";
import { startPrivateRedis, type PrivateRedis } from "../support/redis.js";
import {
  BoardSocketClient,
  HOUR_MS,
  boardViewOf,
  createBoard,
  eventually,
  insertEventWithSession,
  openPostgres,
  signedInPerson,
  startClusterNode,
  stopCluster,
  type Person,
} from "../support/cluster.js";

const SEATS = 20;
const APPLICANTS = 60;
/** Clients of a killed node, reconnecting to the others, must be joined and caught up within this long. */
const BACK_WITHIN_MS = 10_000;
/** The event starts this long after one hour from the set-up, so its one-hour reminder comes due mid-suite. */
const REMINDER_DUE_AFTER_MS = 75_000;

describe("three nodes on PostgreSQL and Redis", () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let nodes: ServerProcess[] = [];
  const sockets: Socket[] = [];
  let event: { id: string; slug: string };
  let sessionId: string;
  let organizer: Person;
  let reminderDueAt: number;

  const startNode = () => startClusterNode(database, redis, { REGISTRATION_RATE_LIMIT: "100000" });

  beforeAll(async () => {
    database = await openPostgres();
    redis = await startPrivateRedis();
    nodes = await Promise.all([startNode(), startNode(), startNode()]);

    reminderDueAt = Date.now() + REMINDER_DUE_AFTER_MS;
    ({ event, sessionId } = await insertEventWithSession(database.db, {
      slug: `three-${randomUUID().slice(0, 8)}`,
      title: "Cluster lab",
      startsAt: new Date(reminderDueAt + HOUR_MS),
      event: { registrationEnabled: true, capacity: SEATS, waitlistEnabled: true },
    }));
    organizer = await signedInPerson(database.db, "organizer", event.id);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await stopCluster(nodes, redis, database);
  });

  const client = (who: Person, node: ServerProcess, boardId: string, lastView?: BoardView) => {
    const opened = new BoardSocketClient(node.url, who, boardId);
    sockets.push(opened.socket);
    return opened.enter(lastView);
  };

  async function boardInVote(settings: Record<string, unknown>, ideas: string[]) {
    const boardId = await createBoard(nodes[0]!.url, { eventSlug: event.slug, sessionId }, organizer, {
      title: `Votes ${randomUUID().slice(0, 4)}`,
      settings,
    });
    const facilitator = await client(organizer, nodes[0]!, boardId);
    const ideaIds: string[] = [];
    for (const text of ideas) {
      const ack = await facilitator.send({ type: "proposeIdea", columnId: "ideas", text });
      if (!ack.ok || !ack.createdId) throw new Error(`propose failed: ${JSON.stringify(ack)}`);
      ideaIds.push(ack.createdId);
    }
    expect((await facilitator.send({ type: "setPhase", phase: "vote" })).ok).toBe(true);
    return { boardId, facilitator, ideaIds };
  }

  const timerPhaseChanges = async (boardId: string) =>
    (
      await database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(boardEvents)
        .where(
          and(
            eq(boardEvents.boardId, boardId),
            sql`${boardEvents.event}->>'type' = 'phaseChanged'`,
            sql`${boardEvents.event}->>'reason' = 'timer'`,
          ),
        )
    )[0]!.n;

  it("registrations spread over the nodes fill exactly the seats, in arrival order, one email each", async () => {
    const emails = Array.from(
      { length: APPLICANTS },
      (_, i) => `applicant-${i}-${randomUUID().slice(0, 6)}@example.it`,
    );
    const answers = await Promise.all(
      emails.map(async (email, i) => {
        const res = await fetch(`${nodes[i % nodes.length]!.url}/api/events/${event.slug}/register`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: `Applicant ${i}`, email, locale: "en" }),
        });
        return res.status;
      }),
    );
    expect(answers.every((status) => status === 201)).toBe(true);

    const rows = await database.db
      .select({
        status: registrations.status,
        arrival: registrations.arrival,
        order: registrations.waitlistOrder,
      })
      .from(registrations)
      .where(eq(registrations.eventId, event.id));
    const confirmed = rows.filter((row) => row.status === "confirmed");
    const waiting = rows.filter((row) => row.status === "waitlisted");
    expect(confirmed).toHaveLength(SEATS);
    expect(waiting).toHaveLength(APPLICANTS - SEATS);
    // The waitlist follows arrival: everyone confirmed arrived before everyone waiting.
    expect(Math.max(...confirmed.map((row) => row.arrival))).toBeLessThan(
      Math.min(...waiting.map((row) => row.arrival)),
    );
    const order = waiting.map((row) => row.order!).sort((a, b) => a - b);
    expect(new Set(order).size).toBe(order.length);

    // Each applicant gets exactly one message (confirmed or waitlisted), whichever node sends it.
    await eventually(async () => {
      const sent = await database.db.select({ to: outbox.to }).from(outbox).where(inArray(outbox.to, emails));
      expect(sent).toHaveLength(APPLICANTS);
      expect(new Set(sent.map((row) => row.to)).size).toBe(APPLICANTS);
    }, 90_000);
  });

  it("board votes cast through all three nodes converge on every client", async () => {
    const { boardId, facilitator, ideaIds } = await boardInVote(
      { hideVotesUntilReveal: false, voteBudget: 3 },
      ["Benches", "Trees", "Lights"],
    );
    const people = await Promise.all(
      Array.from({ length: 9 }, () => signedInPerson(database.db, "attendee", event.id)),
    );
    const clients = await Promise.all(people.map((who, i) => client(who, nodes[i % 3]!, boardId)));
    const acks = await Promise.all(
      clients.flatMap((c, i) =>
        ideaIds.map((_, k) => c.send({ type: "castVote", ideaId: ideaIds[(i + k) % 3]! })),
      ),
    );
    expect(acks.filter((ack) => ack.ok)).toHaveLength(27);
    await eventually(async () => {
      const truth = await boardViewOf(nodes[1]!.url, boardId, organizer);
      expect(Object.values(truth.tallies ?? {}).reduce((a, b) => a + b, 0)).toBe(27);
      expect(facilitator.view!.tallies).toEqual(truth.tallies);
      for (const c of clients) expect(c.view!.tallies).toEqual(truth.tallies);
    });
  });

  it("a node killed with SIGKILL and a new one started: nothing acked is lost, clients are back, each timer and reminder fires once", async () => {
    const { boardId, ideaIds } = await boardInVote({ hideVotesUntilReveal: false, voteBudget: 4 }, [
      "Parks",
      "Buses",
    ]);
    const doomed = nodes[1]!;
    const people = await Promise.all(
      Array.from({ length: 6 }, () => signedInPerson(database.db, "attendee", event.id)),
    );
    const onDoomed = await Promise.all(people.map((who) => client(who, doomed, boardId)));
    // A facilitator on the doomed node sets a phase timer that is due after the kill.
    const facilitatorOnDoomed = await client(organizer, doomed, boardId);
    expect((await facilitatorOnDoomed.send({ type: "setTimer", durationMs: 20_000 })).ok).toBe(true);

    const acked = new Map<string, number>();
    await Promise.all(
      onDoomed.map(async (c, p) => {
        for (let i = 0; i < 2; i++) {
          if ((await c.send({ type: "castVote", ideaId: ideaIds[i % 2]! })).ok)
            acked.set(people[p]!.userId, (acked.get(people[p]!.userId) ?? 0) + 1);
        }
      }),
    );
    const lastSeen = onDoomed.map((c) => c.view!);
    await doomed.kill();
    nodes[1] = await startNode();
    const survivors = [nodes[0]!, nodes[2]!, nodes[1]!];

    // Back within seconds on the other nodes, from their last seq, and they vote on.
    const backAt = Date.now();
    const moved = await Promise.all(
      people.map((who, p) => client(who, survivors[p % 3]!, boardId, lastSeen[p])),
    );
    const backAfterMs = Date.now() - backAt;
    console.info(`clients reconnected and caught up on the other nodes in ${backAfterMs} ms`);
    expect(backAfterMs).toBeLessThan(BACK_WITHIN_MS);
    for (const [p, c] of moved.entries()) {
      expect((await c.send({ type: "castVote", ideaId: ideaIds[0]! })).ok).toBe(true);
      acked.set(people[p]!.userId, (acked.get(people[p]!.userId) ?? 0) + 1);
    }
    for (const [p, who] of people.entries()) {
      const self = (await boardViewOf(nodes[0]!.url, boardId, who)).self!;
      expect(Object.values(self.votes).reduce((a, b) => a + b, 0)).toBe(acked.get(people[p]!.userId));
    }

    // The timer set on the dead node ends the vote once, though the new node re-armed it too.
    await eventually(async () => expect(await timerPhaseChanges(boardId)).toBe(1), 90_000);
    await eventually(async () => {
      for (const c of moved) expect(c.view!.meta.phase).toBe("reveal");
    });

    // The one-hour reminder of every confirmed registration goes out once, from whichever node.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, reminderDueAt - Date.now())));
    const reminders = () =>
      database.db.select({ to: outbox.to }).from(outbox).where(like(outbox.subject, "In one hour:%"));
    await eventually(async () => expect(await reminders()).toHaveLength(SEATS), 90_000);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const sent = await reminders();
    expect(sent).toHaveLength(SEATS);
    expect(new Set(sent.map((row) => row.to)).size).toBe(SEATS);
    expect(await timerPhaseChanges(boardId)).toBe(1);
  });

  it("Redis restarted empty: the nodes recover on their own, fan-out works and lost timers are re-armed", async () => {
    const { boardId, ideaIds } = await boardInVote({ hideVotesUntilReveal: false }, ["Library", "Square"]);
    const voter = await client(await signedInPerson(database.db, "attendee", event.id), nodes[0]!, boardId);
    const watcher = await client(await signedInPerson(database.db, "attendee", event.id), nodes[2]!, boardId);
    const timerOn = await client(organizer, nodes[1]!, boardId);
    // Due after Redis has come back: its job lives in Redis and is lost with it.
    expect((await timerOn.send({ type: "setTimer", durationMs: 25_000 })).ok).toBe(true);
    // Let the job reach Redis (an add still in flight would be replayed by the client on reconnect).
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    await redis.kill();
    await eventually(async () => {
      for (const node of nodes) expect((await fetch(`${node.url}/readyz`)).status).toBe(503);
    });
    await redis.restart();
    const restartedAt = Date.now();
    await eventually(async () => {
      for (const node of nodes) expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
    }, 60_000);
    console.info(`all nodes ready ${Date.now() - restartedAt} ms after Redis came back`);

    // Fan-out between nodes works again: a vote on one node reaches a client on another.
    await eventually(async () => {
      expect((await voter.send({ type: "castVote", ideaId: ideaIds[1]! }, randomUUID(), 5_000)).ok).toBe(
        true,
      );
    });
    await eventually(() => expect(watcher.view!.tallies?.[ideaIds[1]! as IdeaId] ?? 0).toBeGreaterThan(0));
    // The timer whose job Redis lost still ends the phase, once.
    await eventually(async () => expect(await timerPhaseChanges(boardId)).toBe(1), 90_000);
    await eventually(() => expect(watcher.view!.meta.phase).toBe("reveal"));
    // And the jobs queue works: a registration through any node is confirmed by email.
    const email = `late-${randomUUID().slice(0, 6)}@example.it`;
    const res = await fetch(`${nodes[2]!.url}/api/events/${event.slug}/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Late applicant", email, locale: "en" }),
    });
    expect(res.status).toBe(201);
    await eventually(async () => {
      const sent = await database.db.select({ to: outbox.to }).from(outbox).where(eq(outbox.to, email));
      expect(sent).toHaveLength(1);
    }, 60_000);
  });
});
