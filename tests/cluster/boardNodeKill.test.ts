// Two real server processes (the built apps/server/dist) on one PostgreSQL and one Redis; one is
// killed with SIGKILL while its clients are voting (invariant 4 and issue 4's acceptance):
// every command it acked is in the database, the clients resend what was never acked (same
// clientOpId) and reconnect to the other node with their last seq, and they all catch up.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { agendaSessions, events } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import type { BoardAck, BoardView } from "@convivio/protocol";
import { startServerProcess, type ServerProcess } from "../support/server.js";
import {
  BoardSocketClient as Client,
  HOUR_MS,
  boardViewOf,
  eventually,
  signedInPerson,
  type Person,
} from "../support/cluster.js";

// Its own Redis database number, so the processes' BullMQ keys stay apart from other test runs.
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/11";

describe("a board node killed with SIGKILL", () => {
  let database: TestDatabase;
  let survivor: ServerProcess;
  let doomed: ServerProcess;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    database = await testDatabases()
      .find((factory) => factory.driver === "postgres")!
      .open();
    const env = { DATABASE_URL: database.url!, REDIS_URL };
    [survivor, doomed] = await Promise.all([startServerProcess({ env }), startServerProcess({ env })]);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await doomed?.kill();
    await survivor?.stop();
    await database?.close();
  });

  const person = (role: "organizer" | "attendee", eventId: string) =>
    signedInPerson(database.db, role, eventId);

  it("loses no acked command, and its clients catch up on the other node", async () => {
    const now = Date.now();
    const [event] = await database.db
      .insert(events)
      .values({
        slug: `kill-${randomUUID().slice(0, 8)}`,
        title: "Kill test",
        timeZone: "Europe/Rome",
        startsAt: new Date(now),
        endsAt: new Date(now + 8 * HOUR_MS),
        visibility: "public",
      })
      .returning();
    const [session] = await database.db
      .insert(agendaSessions)
      .values({
        eventId: event!.id,
        title: "Table",
        kind: "workshop",
        startsAt: new Date(now),
        endsAt: new Date(now + HOUR_MS),
      })
      .returning({ id: agendaSessions.id });
    const organizer = await person("organizer", event!.id);
    const people = await Promise.all(Array.from({ length: 6 }, () => person("attendee", event!.id)));

    const created = await fetch(`${survivor.url}/api/events/${event!.slug}/sessions/${session!.id}/boards`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: organizer.cookie },
      body: JSON.stringify({ title: "Votes", settings: { hideVotesUntilReveal: false, voteBudget: 6 } }),
    });
    expect(created.status).toBe(201);
    const boardId = ((await created.json()) as { board: { id: string } }).board.id;

    const open = async (who: Person, node: ServerProcess) => {
      const client = new Client(node.url, who, boardId);
      sockets.push(client.socket);
      await client.ready();
      expect((await client.join(client.view?.seq)).ok).toBe(true);
      return client;
    };
    const facilitator = await open(organizer, survivor);
    const ideas: string[] = [];
    for (const text of ["Trees", "Benches", "Lights"]) {
      const ack = await facilitator.send({ type: "proposeIdea", columnId: "ideas", text }, randomUUID());
      if (ack.ok && ack.createdId) ideas.push(ack.createdId);
    }
    expect((await facilitator.send({ type: "setPhase", phase: "vote" }, randomUUID())).ok).toBe(true);
    const onDoomed = await Promise.all(people.map((who) => open(who, doomed)));

    // Each participant votes from the doomed node; partway through the second round it is killed.
    const commands = people.map(() =>
      Array.from({ length: 6 }, (_, i) => ({ clientOpId: randomUUID(), ideaId: ideas[i % ideas.length]! })),
    );
    const acks = new Map<string, BoardAck>();
    await Promise.all(
      onDoomed.map(async (client, p) => {
        for (const { clientOpId, ideaId } of commands[p]!.slice(0, 3)) {
          acks.set(clientOpId, await client.send({ type: "castVote", ideaId }, clientOpId));
        }
      }),
    );
    let firstAnswer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (firstAnswer = resolve));
    const inFlight = onDoomed.flatMap((client, p) =>
      commands[p]!.slice(3).map(({ clientOpId, ideaId }) =>
        client
          // An emit to a dead node is never answered; the client gives up on it and resends later.
          .send({ type: "castVote", ideaId }, clientOpId, 2_000)
          .then((ack) => {
            acks.set(clientOpId, ack);
            firstAnswer();
          })
          .catch(() => undefined),
      ),
    );
    // Killed as soon as the first command of the second round is answered: others are in flight.
    await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    await doomed.kill();
    await Promise.all(inFlight);
    const answeredBeforeKill = acks.size;
    await Promise.all(inFlight);
    const lastSeen = onDoomed.map((client) => client.view!);

    // Everything acked ok is in the database: each person's votes are at least their ok acks.
    const acked = (p: number) => commands[p]!.filter(({ clientOpId }) => acks.get(clientOpId)?.ok).length;
    const stored = (who: Person): Promise<BoardView> => boardViewOf(survivor.url, boardId, who);
    for (const [p, who] of people.entries()) {
      const votes = Object.values((await stored(who)).self!.votes).reduce((a, b) => a + b, 0);
      expect(votes).toBeGreaterThanOrEqual(acked(p));
      expect(acked(p)).toBeGreaterThanOrEqual(3);
    }

    // The clients move to the survivor with their last seq and resend what was never answered.
    const moved = await Promise.all(
      people.map(async (who, p) => {
        const client = new Client(survivor.url, who, boardId);
        sockets.push(client.socket);
        client.view = lastSeen[p]!;
        await client.ready();
        expect((await client.join(lastSeen[p]!.seq)).ok).toBe(true);
        for (const { clientOpId, ideaId } of commands[p]!) {
          if (!acks.has(clientOpId))
            acks.set(clientOpId, await client.send({ type: "castVote", ideaId }, clientOpId));
        }
        return client;
      }),
    );
    // Every command was counted exactly once, and every client shows what the server has.
    for (const [p, who] of people.entries()) {
      const votes = Object.values((await stored(who)).self!.votes).reduce((a, b) => a + b, 0);
      expect(votes).toBe(acked(p));
    }
    await eventually(async () => {
      for (const client of [facilitator, ...moved]) expect(client.view).toEqual(await stored(client.person));
    });
    expect(moved.map((client) => client.snapshots)).toEqual(moved.map(() => 0));
    console.info(
      `kill: ${answeredBeforeKill} of ${people.length * 6} commands answered before SIGKILL, the rest resent to the survivor`,
    );
  });
});
