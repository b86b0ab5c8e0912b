// Two server runtimes on one PostgreSQL database and one Redis (the socket.io Redis adapter and
// BullMQ), 200 socket clients spread over both, voting at once from several tabs per participant
// with retried clientOpIds: no budget or cap exceeded, nothing counted twice, and once activity
// stops every client's board equals the server's projection (invariants 5 and 6). Then one node
// goes away without a goodbye and its clients catch up on the other.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "@convivio/db";
import { votesOf } from "@convivio/board";
import { JobName, type BoardAck, type IdeaId, type ParticipantId } from "@convivio/protocol";
import { startTwoNodes, type TestServer, type TwoNodes } from "../test/harness.js";
import { BoardStore } from "./store.js";
import {
  BoardClient,
  createBoardWorld,
  eventually,
  expectedView,
  seeded,
  type BoardWorld,
  type Person,
} from "../test/boards.js";

const PARTICIPANTS = 80;
const SOCKETS = 200;
const VOTES_PER_PARTICIPANT = 8;
const BUDGET = 5;
const CAP = 3;

describe("a board on two nodes (PostgreSQL + Redis)", () => {
  let cluster: TwoNodes;
  let database: TwoNodes["database"];
  let nodes: TestServer[];
  let world: BoardWorld;
  const clients: BoardClient[] = [];

  beforeAll(async () => {
    cluster = await startTwoNodes({ poolSize: 10 });
    ({ database, nodes } = cluster);
    world = await createBoardWorld(
      { db: database.db, auth: nodes[0]!.auth, store: nodes[0]!.boards.store },
      {
        participants: PARTICIPANTS,
        settings: { voteBudget: BUDGET, maxVotesPerIdea: CAP, hideVotesUntilReveal: false },
      },
    );
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    await cluster?.close();
  });

  const stored = async () => (await new BoardStore(database.db).load(world.boardId))!.state;
  const converged = (all: BoardClient[], timeoutMs = 30_000) =>
    eventually(async () => {
      const state = await stored();
      for (const client of all) expect(client.view).toEqual(expectedView(state, client.person));
    }, timeoutMs);

  async function open(person: Person, node: TestServer): Promise<BoardClient> {
    const client = new BoardClient(node.url, person, world.boardId);
    clients.push(client);
    await client.ready();
    return client;
  }

  it("200 clients voting at once over two nodes: no budget or cap exceeded, no double count, every board converges", async () => {
    const seed = Date.now() % 1_000_000;
    const random = seeded(seed);
    const facilitator = await open(world.facilitator, nodes[0]!);
    const facilitatorElsewhere = await open(world.facilitator, nodes[1]!);
    const tabs = new Map<string, BoardClient[]>();
    const pending: Promise<BoardClient>[] = [];
    for (let k = 0; pending.length < SOCKETS - 2; k++) {
      for (const [i, person] of world.participants.entries()) {
        if (pending.length >= SOCKETS - 2) break;
        pending.push(open(person, nodes[(i + k) % 2]!));
      }
    }
    const participantClients = await Promise.all(pending);
    for (const client of participantClients) {
      tabs.set(client.person.userId, [...(tabs.get(client.person.userId) ?? []), client]);
    }
    const all = [facilitator, facilitatorElsewhere, ...participantClients];
    expect(all).toHaveLength(SOCKETS);
    for (let i = 0; i < all.length; i += 50) {
      const acks = await Promise.all(all.slice(i, i + 50).map((client) => client.join()));
      expect(acks.every((ack) => ack.ok)).toBe(true);
    }
    // Presence counts people (not tabs) on every node, gossiped between the nodes.
    await eventually(() => {
      for (const client of all) expect(client.presence).toBe(PARTICIPANTS + 1);
    }, 15_000);

    const ideas: IdeaId[] = [];
    for (const text of ["Shade", "Benches", "Fountain", "Bike racks", "Murals", "Library"]) {
      const ack = await facilitator.send({ type: "proposeIdea", columnId: "ideas" as never, text });
      if (ack.ok) ideas.push(ack.createdId as IdeaId);
    }
    expect(await facilitatorElsewhere.send({ type: "setPhase", phase: "vote" })).toMatchObject({ ok: true });
    await converged(all);

    // Every participant votes from all their tabs at once; some commands are retried on another tab.
    const sent: { person: Person; clientOpId: string; ack: Promise<BoardAck> }[] = [];
    for (const person of world.participants) {
      const mine = tabs.get(person.userId)!;
      for (let v = 0; v < VOTES_PER_PARTICIPANT; v++) {
        const clientOpId = randomUUID();
        const ideaId = ideas[Math.floor(random() * ideas.length)]!;
        const tab = mine[Math.floor(random() * mine.length)]!;
        sent.push({ person, clientOpId, ack: tab.send({ type: "castVote", ideaId }, clientOpId) });
        if (random() < 0.25) {
          const other = mine[(mine.indexOf(tab) + 1) % mine.length]!;
          sent.push({ person, clientOpId, ack: other.send({ type: "castVote", ideaId }, clientOpId) });
        }
      }
    }
    const started = Date.now();
    const answered = await Promise.all(sent.map(async (s) => ({ ...s, ack: await s.ack })));
    const votingMs = Date.now() - started;

    const first = new Map<string, BoardAck>();
    let retried = 0;
    for (const { person, clientOpId, ack } of answered) {
      expect(
        ack.ok || ack.code === "budget_exhausted" || ack.code === "idea_cap_reached",
        `seed ${seed}: ${JSON.stringify(ack)}`,
      ).toBe(true);
      const key = `${person.userId} ${clientOpId}`;
      const earlier = first.get(key);
      if (earlier) {
        retried++;
        expect(ack, `seed ${seed}: a retry gets the first answer`).toEqual(earlier);
      } else first.set(key, ack);
    }
    expect(retried).toBeGreaterThan(0);

    const state = await stored();
    let okVotes = 0;
    for (const person of world.participants) {
      const votes = votesOf(state, person.userId as ParticipantId);
      const total = Object.values(votes).reduce((a, b) => a + b, 0);
      const accepted = [...first].filter(([key, ack]) => key.startsWith(person.userId) && ack.ok).length;
      expect(total, `seed ${seed}`).toBe(accepted);
      expect(total, `seed ${seed}`).toBeLessThanOrEqual(BUDGET);
      for (const n of Object.values(votes)) expect(n, `seed ${seed}`).toBeLessThanOrEqual(CAP);
      okVotes += accepted;
    }
    expect(okVotes).toBeGreaterThan(PARTICIPANTS * 3);

    await converged(all);
    const totals = facilitator.view!.tallies!;
    expect(Object.values(totals).reduce((a, b) => a + b, 0)).toBe(okVotes);
    // Patches come per tick, not per vote, on both nodes.
    for (const client of [facilitator, facilitatorElsewhere]) {
      expect(client.patches.length).toBeLessThan(okVotes);
    }
    expect(all.every((client) => client.gaps === 0)).toBe(true);

    // A phase timer fires once across the cluster, even armed again by both nodes (as at start-up).
    expect(await facilitatorElsewhere.send({ type: "setTimer", durationMs: 1_000 })).toMatchObject({
      ok: true,
    });
    // Acked means armed: the job is in Redis already, not only the deadline in the database (a
    // node dying right after the ack would otherwise leave the timer to the next start-up).
    expect(await nodes[1]!.jobs.pending(JobName.boardTimer)).toHaveLength(1);
    expect(await Promise.all(nodes.map((node) => node.boards.rearm()))).toEqual([1, 1]);
    await eventually(() => expect(facilitator.view!.meta.phase).toBe("reveal"), 15_000);
    await converged(all);
    const { rows } = await database.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM board_events WHERE board_id = ${world.boardId} AND event->>'reason' = 'timer'`,
    );
    expect(rows[0]!.n).toBe(1);

    console.info(
      `cluster: ${SOCKETS} sockets, ${sent.length} commands (${retried} retries) in ${votingMs} ms, ${okVotes} votes; seed ${seed}`,
    );
  }, 120_000);

  it("a node that vanishes mid-session loses no acked command, and its clients catch up on the other node", async () => {
    const [alive, doomed] = nodes as [TestServer, TestServer];
    const people = world.participants.slice(0, 10);
    const onDoomed = await Promise.all(people.map((person) => open(person, doomed)));
    const watcher = await open(world.facilitator, alive);
    for (const client of [...onDoomed, watcher]) expect((await client.join()).ok).toBe(true);
    await converged([...onDoomed, watcher]);

    // Commands acked by the doomed node, then it goes away without a word to its clients.
    const ideaNamed = (client: BoardClient, text: string) =>
      Object.values(client.view!.ideas).find((idea) => idea.text === text)!.id;
    const acked: BoardAck[] = [];
    for (const [i, client] of onDoomed.entries()) {
      acked.push(
        await client.send({
          type: "setReaction",
          ideaId: ideaNamed(client, "Shade"),
          reaction: "lightbulb",
          on: true,
        }),
      );
      if (i % 3 === 0)
        acked.push(await client.send({ type: "retractVote", ideaId: ideaNamed(client, "Benches") }));
    }
    const lastSeen = onDoomed.map((client) => client.view!);
    doomed.boards.stop();
    // Transports closed with no socket.io goodbye, as when a process dies.
    doomed.io.engine.close();

    // What it acked is in the database; the other node tells everyone.
    const state = await stored();
    for (const person of people) {
      const idea = Object.values(state.ideas).find((i) => i.text === "Shade")!;
      expect(idea.reactions.lightbulb ?? []).toContain(person.userId);
    }
    expect(acked.filter((ack) => ack.ok).length).toBeGreaterThanOrEqual(people.length);

    // Its clients come back on the surviving node with their last seq.
    const moved = await Promise.all(
      people.map(async (person, i) => {
        const client = await open(person, alive);
        client.view = lastSeen[i]!;
        expect((await client.join(lastSeen[i]!.seq)).ok).toBe(true);
        return client;
      }),
    );
    await converged([...moved, watcher]);
    expect(moved.map((client) => client.snapshots)).toEqual(moved.map(() => 0));
  }, 60_000);
});
