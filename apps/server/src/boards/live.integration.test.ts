// The live board over real sockets on one server (PGlite): join, the propose/group/vote/reveal
// flow, fan-out by tick, convergence (invariant 6), hidden votes and anonymity in the raw frames
// (invariant 7), REST results and exports, reconnect catch-up, the phase timer job, hostile input
// and the rate limit (invariant 10).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import { PROTOCOL_VERSION, type BoardView, type IdeaId } from "@convivio/protocol";
import { startTestServer, type TestServer } from "../test/harness.js";
import { BoardStore } from "./store.js";
import {
  BoardClient,
  createBoardWorld,
  eventually,
  expectedView,
  type BoardWorld,
  type Person,
} from "../test/boards.js";

let server: TestServer;
const clients: BoardClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const client of clients) client.close();
  await server.close();
});

const world = (participants: number, settings: Parameters<typeof createBoardWorld>[1]["settings"] = {}) =>
  createBoardWorld(
    { db: server.database.db, auth: server.auth, store: server.boards.store },
    { participants, settings, now: server.clock.now().getTime() },
  );

async function joined(w: BoardWorld, person: Person): Promise<BoardClient> {
  const client = new BoardClient(server.url, person, w.boardId);
  clients.push(client);
  await client.ready();
  const ack = await client.join();
  expect(ack).toMatchObject({ ok: true });
  await eventually(() => expect(client.view).not.toBeNull());
  return client;
}

/** The board as stored, read by a store with an empty cache. */
const stored = async (w: BoardWorld) => (await new BoardStore(server.database.db).load(w.boardId))!.state;

/** Invariant 6: once activity stops, every client's view is the server's projection for them. */
async function converged(w: BoardWorld, all: BoardClient[]): Promise<void> {
  await eventually(async () => {
    const state = await stored(w);
    for (const client of all) expect(client.view).toEqual(expectedView(state, client.person));
  });
}

async function ideasInVote(w: BoardWorld, facilitator: BoardClient, texts: string[]): Promise<IdeaId[]> {
  const ids: IdeaId[] = [];
  for (const text of texts) {
    const ack = await facilitator.send({ type: "proposeIdea", columnId: "ideas" as never, text });
    if (!ack.ok) throw new Error(`propose failed: ${ack.code}`);
    ids.push(ack.createdId as IdeaId);
  }
  expect(await facilitator.send({ type: "setPhase", phase: "vote" })).toMatchObject({ ok: true });
  return ids;
}

/** The socket.io event frames (`42[...]`) a client received, decoded. */
function events(client: BoardClient): [string, unknown][] {
  return client.frames.flatMap((frame) => {
    const match = /^[23]\d*(\[.*)$/s.exec(frame);
    return match ? [JSON.parse(match[1]!) as [string, unknown]] : [];
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

describe("joining a board", () => {
  it("acks, then sends the viewer's projection, equal to the REST snapshot; refuses outsiders and unknown boards", async () => {
    const w = await world(1);
    const facilitator = await joined(w, w.facilitator);
    await facilitator.send({ type: "proposeIdea", columnId: "ideas" as never, text: "Community garden" });
    const participant = await joined(w, w.participants[0]!);
    const state = await stored(w);
    expect(participant.view).toEqual(expectedView(state, w.participants[0]!));
    expect(participant.snapshots).toBe(1);
    // Presence counts people; the one already there hears of the newcomer within a tick or two.
    expect(participant.presence).toBe(2);
    await eventually(() => expect(facilitator.presence).toBe(2));

    const rest = server.client();
    rest.cookie = w.participants[0]!.cookie;
    const res = await rest.get(`/api/boards/${w.boardId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: "participant", view: participant.view });

    const outsider = new BoardClient(server.url, w.outsider, w.boardId);
    clients.push(outsider);
    await outsider.ready();
    expect(await outsider.join()).toEqual({ ok: false, code: "forbidden" });
    expect(outsider.frames.some((f) => f.includes("Community garden"))).toBe(false);
    const nowhere = new BoardClient(server.url, w.participants[0]!, randomUUID() as never);
    clients.push(nowhere);
    await nowhere.ready();
    expect(await nowhere.join()).toEqual({ ok: false, code: "not_found" });
    const outsiderRest = server.client();
    outsiderRest.cookie = w.outsider.cookie;
    expect((await outsiderRest.get(`/api/boards/${w.boardId}`)).status).toBe(403);
  });

  it("leaving stops the patches to that socket; presence counts people, not tabs", async () => {
    const w = await world(1);
    const facilitator = await joined(w, w.facilitator);
    const firstTab = await joined(w, w.participants[0]!);
    const secondTab = await joined(w, w.participants[0]!);
    await eventually(() => expect(facilitator.presence).toBe(2));
    secondTab.socket.emit("board:leave", { boardId: w.boardId });
    // Events of one socket are handled in order: once the ping is answered, the leave is done.
    await secondTab.socket.emitWithAck("ping");
    const before = secondTab.patches.length;
    await facilitator.send({ type: "proposeIdea", columnId: "ideas" as never, text: "After the leave" });
    await converged(w, [facilitator, firstTab]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(secondTab.patches.length).toBe(before);
    expect(facilitator.presence).toBe(2);
  });

  it("lists and creates boards over REST (facilitators create, participants may not)", async () => {
    const w = await world(1);
    const organizer = server.client();
    organizer.cookie = w.facilitator.cookie;
    const created = await organizer.post(`/api/events/${w.slug}/sessions/${w.sessionId}/boards`, {
      title: "Second round",
      settings: { voteBudget: 3, maxVotesPerIdea: 1 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ board: { title: "Second round", phase: "collect", seq: 0 } });
    const participant = server.client();
    participant.cookie = w.participants[0]!.cookie;
    const refused = await participant.post(`/api/events/${w.slug}/sessions/${w.sessionId}/boards`, {
      title: "Mine",
    });
    expect(refused.status).toBe(403);
    const list = await participant.get(`/api/events/${w.slug}/sessions/${w.sessionId}/boards`);
    expect(list.status).toBe(200);
    expect((list.body as { boards: { title: string }[] }).boards.map((b) => b.title)).toEqual([
      "Ideas for the neighbourhood",
      "Second round",
    ]);
    expect((await participant.get(`/api/events/${w.slug}/boards`)).status).toBe(200);
    const invalid = await organizer.post(`/api/events/${w.slug}/sessions/${w.sessionId}/boards`, {
      title: "Bad",
      settings: { voteBudget: 2, maxVotesPerIdea: 3 },
    });
    expect(invalid.status).toBe(400);
    const unstorable = await organizer.post(`/api/events/${w.slug}/sessions/${w.sessionId}/boards`, {
      title: "Nul \u0000 inside",
    });
    expect(unstorable.status).toBe(400);
    expect(unstorable.body).toMatchObject({ code: "validation_failed" });
  });
});

describe("the live flow", () => {
  it("propose, group, vote, reveal with several clients: every client ends on the server's projection", async () => {
    const w = await world(3);
    const facilitator = await joined(w, w.facilitator);
    const people = await Promise.all(w.participants.map((p) => joined(w, p)));
    // A second tab of the first participant.
    const secondTab = await joined(w, w.participants[0]!);
    const all = [facilitator, ...people, secondTab];

    const proposed = await Promise.all(
      people.map((client, i) =>
        client.send({ type: "proposeIdea", columnId: "ideas" as never, text: `Idea ${i}` }),
      ),
    );
    const ideaIds = proposed.map((ack) => (ack.ok ? (ack.createdId as IdeaId) : undefined));
    expect(ideaIds.every(Boolean)).toBe(true);
    expect(await facilitator.send({ type: "setPhase", phase: "group" })).toMatchObject({ ok: true });
    const group = await facilitator.send({ type: "createGroup", title: "Green" });
    expect(group.ok).toBe(true);
    const groupId = group.ok ? (group.createdId as never) : undefined;
    await facilitator.send({ type: "setIdeaGroup", ideaId: ideaIds[0]!, groupId: groupId! });
    await facilitator.send({ type: "mergeIdeas", sourceId: ideaIds[2]!, targetId: ideaIds[1]! });
    await facilitator.send({ type: "setPhase", phase: "vote" });
    await converged(w, all);

    // Both tabs of one participant share one budget.
    const votes = await Promise.all([
      people[0]!.send({ type: "castVote", ideaId: ideaIds[0]! }),
      secondTab.send({ type: "castVote", ideaId: ideaIds[0]! }),
      people[0]!.send({ type: "castVote", ideaId: ideaIds[1]! }),
      people[1]!.send({ type: "castVote", ideaId: ideaIds[1]! }),
      people[2]!.send({ type: "castVote", ideaId: ideaIds[1]! }),
    ]);
    expect(votes.every((ack) => ack.ok)).toBe(true);
    await converged(w, all);
    expect(secondTab.view!.self!.remaining).toBe(2);
    expect(people[0]!.view!.self!.votes).toEqual({ [ideaIds[0]!]: 2, [ideaIds[1]!]: 1 });
    expect(people[1]!.view!.tallies).toBeNull();

    expect(await facilitator.send({ type: "setPhase", phase: "reveal" })).toMatchObject({ ok: true });
    await converged(w, all);
    expect(people[2]!.view!.tallies).toEqual({ [ideaIds[0]!]: 2, [ideaIds[1]!]: 3 });
    expect(people[2]!.view!.ideas[ideaIds[1]!]!.mergedCount).toBe(1);
    expect(all.every((client) => client.gaps === 0)).toBe(true);
  });

  it("commits one connection's commands in the order it sent them", async () => {
    const w = await world(1);
    const facilitator = await joined(w, w.facilitator);
    await ideasInVote(w, facilitator, ["Only idea"]);
    // Sent back to back without waiting, as a quick facilitator's clicks are: each is valid only
    // after the one before it.
    const commands = [
      { type: "setTimer", durationMs: 300_000 },
      { type: "pauseTimer" },
      { type: "resumeTimer" },
      { type: "pauseTimer" },
      { type: "resumeTimer" },
      { type: "extendTimer", byMs: 60_000 },
    ] as const;
    const acks = await Promise.all(commands.map((command) => facilitator.send(command as never)));
    expect(acks.map((ack) => ack.ok)).toEqual(commands.map(() => true));
    const seqs = acks.map((ack) => (ack.ok ? ack.seq : -1));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const state = await stored(w);
    expect(state.pausedRemainingMs).toBeNull();
    expect(state.deadlineAt).not.toBeNull();
  });

  it("sends one patch per tick, not one per vote, with absolute tallies", async () => {
    const w = await world(6, { hideVotesUntilReveal: false });
    const facilitator = await joined(w, w.facilitator);
    const people = await Promise.all(w.participants.map((p) => joined(w, p)));
    const ideas = await ideasInVote(w, facilitator, ["A", "B", "C", "D", "E"]);
    await converged(w, [facilitator, ...people]);
    const before = facilitator.patches.length;
    const started = Date.now();
    const acks = await Promise.all(
      people.flatMap((client) => ideas.map((ideaId) => client.send({ type: "castVote", ideaId }))),
    );
    const elapsedMs = Date.now() - started;
    expect(acks.filter((ack) => ack.ok)).toHaveLength(30);
    await converged(w, [facilitator, ...people]);
    const patches = facilitator.patches.slice(before);
    expect(patches.length).toBeGreaterThan(0);
    expect(patches.length).toBeLessThan(30);
    expect(patches.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 100) + 3);
    // The last patch carries the counts themselves, not increments.
    const last = patches.at(-1)!;
    for (const [ideaId, n] of Object.entries(last.tallies ?? {}))
      expect(n).toBe(facilitator.view!.tallies![ideaId as IdeaId]);
    expect(facilitator.view!.tallies).toEqual(Object.fromEntries(ideas.map((id) => [id, 6])));
  });

  it("sends a vote's self update to the voter's tabs alone, and another's merge to every voter it touches", async () => {
    const w = await world(3, { voteBudget: 2, maxVotesPerIdea: 2 });
    const facilitator = await joined(w, w.facilitator);
    const people = await Promise.all(w.participants.map((p) => joined(w, p)));
    const secondTab = await joined(w, w.participants[0]!);
    const all = [facilitator, ...people, secondTab];
    const [first, second] = await ideasInVote(w, facilitator, ["First", "Second"]);
    await converged(w, all);
    const selvesBefore = all.map((client) => client.selves.length);

    expect(await people[0]!.send({ type: "castVote", ideaId: first! })).toMatchObject({ ok: true });
    expect(await people[1]!.send({ type: "castVote", ideaId: first! })).toMatchObject({ ok: true });
    await converged(w, all);
    // The voters' tabs got their new part; nobody else got a self update.
    expect(all.map((client, i) => client.selves.length - selvesBefore[i]!)).toEqual([0, 1, 1, 0, 1]);

    // The facilitator's merge moves both voters' votes: their own parts change, not the merger's.
    const merged = await facilitator.send({ type: "mergeIdeas", sourceId: first!, targetId: second! });
    expect(merged).toMatchObject({ ok: true });
    await converged(w, all);
    expect(people[1]!.view!.self!.votes).not.toHaveProperty(first!);
    expect(secondTab.view!.self!).toEqual(people[0]!.view!.self!);
  });
});

describe("hidden votes and anonymity, checked on the raw frames", () => {
  it("before reveal nobody, facilitators included, receives anyone else's counts; seq does not move on votes", async () => {
    const w = await world(2);
    const [alice, bob] = w.participants as [Person, Person];
    const facilitator = await joined(w, w.facilitator);
    const bobClient = await joined(w, bob);
    const ideas = await ideasInVote(w, facilitator, ["Bike lanes", "Library hours"]);
    const aliceClient = await joined(w, alice);
    const seqBefore = (await stored(w)).seq;
    const aliceAcks = await Promise.all([
      aliceClient.send({ type: "castVote", ideaId: ideas[0]! }),
      aliceClient.send({ type: "castVote", ideaId: ideas[0]! }),
      aliceClient.send({ type: "castVote", ideaId: ideas[1]! }),
    ]);
    expect(aliceAcks).toEqual([
      { ok: true, seq: seqBefore },
      { ok: true, seq: seqBefore },
      { ok: true, seq: seqBefore },
    ]);
    expect(await bobClient.send({ type: "castVote", ideaId: ideas[1]! })).toEqual({
      ok: true,
      seq: seqBefore,
    });
    await converged(w, [facilitator, bobClient, aliceClient]);
    expect(bobClient.view!.seq).toBe(seqBefore);

    for (const [client, self] of [
      [bobClient, bob],
      [facilitator, w.facilitator],
    ] as const) {
      const received = events(client);
      expect(received.length).toBeGreaterThan(3);
      // No count anywhere, only the viewer's own part, and nothing at all about Alice.
      for (const tallies of valuesUnder(received, "tallies")) expect(tallies).toBeNull();
      for (const selfPart of valuesUnder(received, "self")) {
        if (selfPart !== null) expect(selfPart).toMatchObject({ participantId: self.userId });
      }
      expect(client.frames.join("\n")).not.toContain(alice.userId);
    }
    expect(bobClient.view!.self!.votes).toEqual({ [ideas[1]!]: 1 });

    expect(await facilitator.send({ type: "setPhase", phase: "reveal" })).toMatchObject({ ok: true });
    await converged(w, [facilitator, bobClient, aliceClient]);
    expect(bobClient.view!.tallies).toEqual({ [ideas[0]!]: 2, [ideas[1]!]: 2 });
    // Still nobody is told who voted for what.
    expect(bobClient.frames.join("\n")).not.toContain(alice.userId);
  });

  it("REST results and exports answer votes_hidden until reveal; anonymous authors reach nobody else", async () => {
    const w = await world(2, { anonymousIdeas: true });
    const [alice, bob] = w.participants as [Person, Person];
    const facilitator = await joined(w, w.facilitator);
    const aliceClient = await joined(w, alice);
    const bobClient = await joined(w, bob);
    const mine = await aliceClient.send({
      type: "proposeIdea",
      columnId: "ideas" as never,
      text: "Quiet zones",
    });
    expect(mine.ok).toBe(true);
    const ideaId = (mine.ok ? mine.createdId : "") as IdeaId;
    await facilitator.send({ type: "setPhase", phase: "vote" });
    await bobClient.send({ type: "castVote", ideaId });

    const rest = (who: Person) => {
      const client = server.client();
      client.cookie = who.cookie;
      return client;
    };
    for (const path of ["results", "export.csv", "export.json", "export.md"]) {
      const res = await rest(bob).get(`/api/boards/${w.boardId}/${path}`);
      expect(res.status, path).toBe(409);
      expect(res.body, path).toMatchObject({ code: "votes_hidden" });
    }
    const hiddenSnapshot = await rest(w.facilitator).get(`/api/boards/${w.boardId}`);
    expect((hiddenSnapshot.body as { view: BoardView }).view.tallies).toBeNull();

    await facilitator.send({ type: "setPhase", phase: "reveal" });
    await converged(w, [facilitator, aliceClient, bobClient]);
    expect(aliceClient.view!.ideas[ideaId]!.authorId).toBe(alice.userId);
    expect(bobClient.view!.ideas[ideaId]!.authorId).toBeNull();
    expect(facilitator.view!.ideas[ideaId]!.authorId).toBeNull();
    for (const client of [bobClient, facilitator])
      expect(client.frames.join("\n")).not.toContain(alice.userId);

    const results = await rest(bob).get(`/api/boards/${w.boardId}/results`);
    expect(results.status).toBe(200);
    expect(results.body).toMatchObject({ results: { overall: [{ ideaId, votes: 1, authorId: null }] } });
    for (const path of ["export.csv", "export.json", "export.md"]) {
      for (const who of [bob, w.facilitator]) {
        const res = await rest(who).get(`/api/boards/${w.boardId}/${path}`);
        expect(res.status).toBe(200);
        expect(res.text).toContain("Quiet zones");
        expect(res.text).not.toContain(alice.userId);
        expect(res.text).not.toContain(alice.name);
      }
    }
    const csv = await rest(bob).get(`/api/boards/${w.boardId}/export.csv`);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toContain("attachment");
    // The author sees their own name on their own export.
    expect((await rest(alice).get(`/api/boards/${w.boardId}/export.csv`)).text).toContain(alice.name);
  });
});

describe("reconnecting", () => {
  it("rejoins with its last seq and gets one catch-up patch from there, not a snapshot", async () => {
    const w = await world(1);
    const facilitator = await joined(w, w.facilitator);
    const first = await joined(w, w.participants[0]!);
    await facilitator.send({ type: "proposeIdea", columnId: "ideas" as never, text: "Before" });
    await converged(w, [facilitator, first]);
    const lastView = first.view!;
    first.close();

    const later = await facilitator.send({
      type: "proposeIdea",
      columnId: "ideas" as never,
      text: "While away",
    });
    await facilitator.send({
      type: "editIdea",
      ideaId: (later.ok ? later.createdId : "") as IdeaId,
      text: "Edited",
    });
    await facilitator.send({ type: "setPhase", phase: "group" });

    const again = new BoardClient(server.url, w.participants[0]!, w.boardId);
    clients.push(again);
    again.view = lastView;
    await again.ready();
    expect(await again.join(lastView.seq)).toMatchObject({ ok: true, seq: lastView.seq + 3 });
    await converged(w, [facilitator, again]);
    expect(again.snapshots).toBe(0);
    expect(again.patches[0]).toMatchObject({ fromSeq: lastView.seq + 1, toSeq: lastView.seq + 3 });
  });
});

describe("phase timers", () => {
  it("a timer set by the facilitator moves the board on by itself, and every client sees it", async () => {
    const w = await world(1);
    const facilitator = await joined(w, w.facilitator);
    const participant = await joined(w, w.participants[0]!);
    expect(await facilitator.send({ type: "setTimer", durationMs: 1_000 })).toMatchObject({ ok: true });
    await eventually(() => expect(participant.view!.meta.deadlineAt).not.toBeNull());
    await eventually(() => expect(participant.view!.meta.phase).toBe("group"), 8_000);
    expect(participant.view!.meta.deadlineAt).toBeNull();
    await converged(w, [facilitator, participant]);
  });
});

describe("hostile input", () => {
  it("answers malformed payloads with validation_failed, survives ack-less and unknown events, and stays up", async () => {
    const w = await world(2);
    const attacker = await joined(w, w.participants[0]!);
    const socket = attacker.socket;
    const base = { boardId: w.boardId, clientOpId: randomUUID() };
    let nested: unknown = "deep";
    for (let i = 0; i < 2_000; i++) nested = [nested];
    const payloads: unknown[] = [
      null,
      42,
      "castVote",
      [],
      {},
      { ...base, type: "castVote" },
      { ...base, type: "launchMissiles" },
      { ...base, type: "castVote", ideaId: "not-a-uuid" },
      { ...base, type: "castVote", ideaId: randomUUID(), extra: true },
      { ...base, type: "proposeIdea", columnId: "ideas", text: "x".repeat(10_000) },
      { ...base, type: "proposeIdea", columnId: "ideas", text: "nul \u0000 byte" },
      { ...base, type: "proposeIdea", columnId: "ideas", text: "lone \ud800 surrogate" },
      { ...base, type: "proposeIdea", columnId: "ideas", text: 12 },
      { ...base, type: "proposeIdea", columnId: "__proto__", text: "proto" },
      { ...base, boardId: "__proto__", type: "lockBoard" },
      { ...base, clientOpId: "again", type: "lockBoard" },
      { ...base, type: "updateSettings", settings: { voteBudget: 1e9 } },
      { ...base, type: "proposeIdea", columnId: "ideas", text: nested },
      { __proto__: { type: "lockBoard" }, ...base },
    ];
    for (const payload of payloads) {
      const ack = await socket.timeout(5_000).emitWithAck("board:command", payload);
      expect(ack, JSON.stringify(payload)?.slice(0, 80)).toEqual({ ok: false, code: "validation_failed" });
    }
    expect(await socket.timeout(5_000).emitWithAck("board:join", { boardId: 7 })).toEqual({
      ok: false,
      code: "validation_failed",
    });
    // An ack with no payload, payloads with no ack, and events nobody listens to.
    expect(await socket.timeout(5_000).emitWithAck("board:command")).toEqual({
      ok: false,
      code: "validation_failed",
    });
    socket.emit("board:command", { ...base, type: "castVote" });
    socket.emit("board:command", { ...base, type: "proposeIdea", columnId: "ideas", text: "no ack wanted" });
    socket.emit("board:join");
    socket.emit("board:leave", { boardId: 12 });
    socket.emit("board:explode", { boom: true });
    await expect(socket.timeout(300).emitWithAck("board:explode", {})).rejects.toThrow();
    // Still connected and served.
    expect(
      await attacker.send({ type: "proposeIdea", columnId: "ideas" as never, text: "Still here" }),
    ).toMatchObject({
      ok: true,
    });

    // A payload beyond the socket's size limit ends that connection, nothing else.
    const big = new BoardClient(server.url, w.participants[1]!, w.boardId);
    clients.push(big);
    await big.ready();
    const closed = new Promise<string>((resolve) =>
      big.socket.once("disconnect", (reason) => resolve(reason)),
    );
    big.socket.emit("board:command", {
      ...base,
      type: "proposeIdea",
      columnId: "ideas",
      text: "y".repeat(200_000),
    });
    expect(await closed).toBeTruthy();

    const fresh = await joined(w, w.facilitator);
    expect(await fresh.send({ type: "setPhase", phase: "group" })).toMatchObject({ ok: true });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await converged(w, [attacker, fresh]);

    // Operators see both: commands answered, by outcome, and how long their acks took.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const count = (labels: string) =>
      Number(new RegExp(`^convivio_live_commands_total\\{${labels}\\} (\\d+)`, "m").exec(metrics)?.[1] ?? 0);
    expect(count('event="board:command",outcome="validation_failed"')).toBeGreaterThanOrEqual(
      payloads.length,
    );
    expect(count('event="board:command",outcome="ok"')).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(/^convivio_live_command_duration_seconds_count\{event="board:command"\} [1-9]/m);
  });

  it("rate-limits one participant's flood without touching the others, and cuts off a socket that keeps at it", async () => {
    const w = await world(2);
    const [flooder, neighbour] = w.participants as [Person, Person];
    const facilitator = await joined(w, w.facilitator);
    const floodClient = await joined(w, flooder);
    const neighbourClient = await joined(w, neighbour);
    const idea = await facilitator.send({ type: "proposeIdea", columnId: "ideas" as never, text: "Target" });
    const ideaId = (idea.ok ? idea.createdId : "") as IdeaId;
    const acks = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        floodClient.send({ type: "setReaction", ideaId, reaction: "heart", on: i % 2 === 0 }),
      ),
    );
    const limited = acks.filter((ack) => !ack.ok && ack.code === "rate_limited").length;
    expect(limited).toBeGreaterThanOrEqual(40);
    expect(acks.filter((ack) => ack.ok).length).toBeGreaterThanOrEqual(25);
    expect(
      await neighbourClient.send({ type: "setReaction", ideaId, reaction: "heart", on: true }),
    ).toMatchObject({
      ok: true,
    });
    await converged(w, [facilitator, neighbourClient, floodClient]);

    const cutOff = new Promise<string>((resolve) =>
      floodClient.socket.once("disconnect", (reason) => resolve(reason)),
    );
    for (let i = 0; i < 150; i++) floodClient.socket.emit("board:command", { nonsense: i }, () => undefined);
    expect(await cutOff).toBe("io server disconnect");
    expect(
      await neighbourClient.send({ type: "setReaction", ideaId, reaction: "heart", on: false }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("a socket without a session never reaches the board handlers", async () => {
    const socket = connect(server.url, {
      transports: ["websocket"],
      reconnection: false,
      auth: { protocolVersion: PROTOCOL_VERSION },
    });
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    expect(error).toBeDefined();
    socket.close();
  });
});
