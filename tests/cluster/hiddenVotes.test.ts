// Hidden votes (the default) over three real server processes on the real PostgreSQL and a Redis of
// the test's own (invariant 7 in cluster mode; the other multi-node board tests turn hiding off).
// People with a tab on every node vote through all of them; until the reveal, the raw socket.io
// frames every tab receives carry no count but the viewer's own (no tallies, no one else's self
// part, no other voter's id), facilitators included, while each voter's own votes and remaining
// budget reach all of that voter's tabs on every node; after the reveal every tab converges on the
// server's tallies.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { TestDatabase } from "@convivio/db/testing";
import type { BoardAck, BoardView, IdeaId } from "@convivio/protocol";
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

const VOTERS = 6;
const BUDGET = 5;
const CAP = 3;

/** A board tab that also keeps every socket.io message frame it receives, as sent on the wire. */
class RecordingTab extends BoardSocketClient {
  readonly frames: string[] = [];

  constructor(
    readonly node: ServerProcess,
    person: Person,
    boardId: string,
  ) {
    super(node.url, person, boardId);
    // The engine exists as soon as the socket does; its packets are the raw frames, before decoding.
    this.socket.io.engine.on("packet", (packet: { type: string; data?: unknown }) => {
      if (packet.type === "message") this.frames.push(String(packet.data));
    });
  }
}

/** The socket.io events in raw frames (`2` events and `3` acks, with their JSON arguments). */
function decoded(frames: readonly string[]): unknown[] {
  return frames.flatMap((frame) => {
    const match = /^[23]\d*(\[.*)$/s.exec(frame);
    return match ? [JSON.parse(match[1]!) as unknown] : [];
  });
}

/** Every value found under `key` anywhere in `value`. */
function valuesUnder(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesUnder(v, key));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === key ? [v, ...valuesUnder(v, key)] : valuesUnder(v, key),
  );
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe("hidden votes on three nodes", () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let nodes: ServerProcess[] = [];
  const sockets: Socket[] = [];
  let event: { id: string; slug: string };
  let sessionId: string;
  let organizer: Person;

  const startNode = () => startClusterNode(database, redis);

  beforeAll(async () => {
    database = await openPostgres();
    redis = await startPrivateRedis();
    nodes = await Promise.all([startNode(), startNode(), startNode()]);
    ({ event, sessionId } = await insertEventWithSession(database.db, {
      slug: `hidden-${randomUUID().slice(0, 8)}`,
      title: "Secret ballot",
      startsAt: new Date(Date.now() + 24 * HOUR_MS),
    }));
    organizer = await signedInPerson(database.db, "organizer", event.id);
  }, 240_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await stopCluster(nodes, redis, database);
  });

  it("before the reveal no tab on any node receives another person's counts; own votes reach every own tab; after it all converge", async () => {
    // A board with the default settings: votes hidden until the reveal.
    const boardId = await createBoard(nodes[0]!.url, { eventSlug: event.slug, sessionId }, organizer, {
      title: "Which first?",
      settings: {},
    });

    const open = (who: Person, node: ServerProcess) => {
      const tab = new RecordingTab(node, who, boardId);
      sockets.push(tab.socket);
      return tab.enter();
    };

    const lead = await open(organizer, nodes[0]!);
    expect(lead.view!.meta.settings).toMatchObject({
      hideVotesUntilReveal: true,
      voteBudget: BUDGET,
      maxVotesPerIdea: CAP,
    });
    const ideas: IdeaId[] = [];
    for (const text of ["Benches", "Trees", "Lights"]) {
      const ack = await lead.send({ type: "proposeIdea", columnId: "ideas", text });
      if (!ack.ok || !ack.createdId) throw new Error(`propose: ${JSON.stringify(ack)}`);
      ideas.push(ack.createdId as IdeaId);
    }
    expect((await lead.send({ type: "setPhase", phase: "vote" })).ok).toBe(true);

    // Every voter has a tab on each node; facilitators watch from the other two nodes as well.
    const voters = await Promise.all(
      Array.from({ length: VOTERS }, () => signedInPerson(database.db, "attendee", event.id)),
    );
    const tabsOf = new Map<string, RecordingTab[]>();
    for (const who of voters) tabsOf.set(who.userId, await Promise.all(nodes.map((node) => open(who, node))));
    const leads = [lead, await open(organizer, nodes[1]!), await open(organizer, nodes[2]!)];
    const allTabs = [...leads, ...[...tabsOf.values()].flat()];

    // Voter p casts p + 1 votes (1..6, some over budget), vote k from the tab on node (p + k) % 3,
    // all at once: different totals per person, and no voter's votes all go through one node.
    const expected = new Map<string, Record<string, number>>();
    const acks = await Promise.all(
      voters.flatMap((who, p) =>
        Array.from({ length: p + 1 }, async (_, k) => {
          const ideaId = ideas[(p + k) % ideas.length]!;
          const tab = tabsOf.get(who.userId)![(p + k) % nodes.length]!;
          const ack: BoardAck = await tab.send({ type: "castVote", ideaId });
          return { who, ideaId, ack };
        }),
      ),
    );
    for (const { who, ideaId, ack } of acks) {
      expect(ack.ok || ack.code === "budget_exhausted", JSON.stringify(ack)).toBe(true);
      if (!ack.ok) continue;
      const mine = expected.get(who.userId) ?? {};
      mine[ideaId] = (mine[ideaId] ?? 0) + 1;
      expected.set(who.userId, mine);
    }
    const accepted = acks.filter((a) => a.ack.ok).length;
    expect(accepted).toBe(voters.reduce((n, _, p) => n + Math.min(p + 1, BUDGET), 0));

    // Each voter's own part (votes and budget left) reaches every one of their tabs, on every node,
    // and equals what the server holds for them; nobody sees a tally.
    for (const who of voters) {
      const self = (await boardViewOf(nodes[(voters.indexOf(who) + 1) % 3]!.url, boardId, who)).self!;
      expect(self.votes).toEqual(expected.get(who.userId));
      expect(self.remaining).toBe(BUDGET - sum(self.votes));
      await eventually(() => {
        for (const tab of tabsOf.get(who.userId)!) {
          expect(tab.view!.self, `${who.userId} on ${tab.node.url}`).toEqual(self);
          expect(tab.view!.tallies).toBeNull();
        }
      });
    }
    await eventually(() => {
      for (const tab of leads) expect(tab.view!.tallies).toBeNull();
    });
    const hiddenTruth = await boardViewOf(nodes[2]!.url, boardId, organizer);
    expect(hiddenTruth.tallies).toBeNull();
    expect(hiddenTruth.meta.votesVisible).toBe(false);

    // Everything received so far, before the reveal, frame by frame.
    const beforeReveal = new Map(allTabs.map((tab) => [tab, tab.frames.slice()]));
    expect((await lead.send({ type: "setPhase", phase: "reveal" })).ok).toBe(true);

    for (const [tab, frames] of beforeReveal) {
      const received = decoded(frames);
      const where = `${tab.person.userId} on ${tab.node.url}`;
      expect(received.length, where).toBeGreaterThan(2);
      for (const tallies of valuesUnder(received, "tallies")) expect(tallies, where).toBeNull();
      for (const self of valuesUnder(received, "self"))
        if (self !== null) expect(self, where).toMatchObject({ participantId: tab.person.userId });
      const text = frames.join("\n");
      for (const other of voters)
        if (other.userId !== tab.person.userId) expect(text.includes(other.userId), where).toBe(false);
    }
    // The frames did carry the voters' own parts (the check above is not vacuous).
    for (const who of voters)
      for (const tab of tabsOf.get(who.userId)!)
        expect(valuesUnder(decoded(beforeReveal.get(tab)!), "self").some((s) => s !== null)).toBe(true);

    // After the reveal every tab, on every node, holds the server's tallies: the sum of everyone's votes.
    const truth: BoardView = await boardViewOf(nodes[1]!.url, boardId, organizer);
    const totals: Record<string, number> = {};
    for (const votes of expected.values())
      for (const [ideaId, n] of Object.entries(votes)) totals[ideaId] = (totals[ideaId] ?? 0) + n;
    expect(truth.meta.votesVisible).toBe(true);
    expect(truth.tallies).toEqual(totals);
    expect(sum(truth.tallies!)).toBe(accepted);
    await eventually(() => {
      for (const tab of allTabs) expect(tab.view!.tallies, tab.node.url).toEqual(truth.tallies);
    });
  }, 240_000);
});
