// A large audience gets each tick's patch in slices (hub.ts, `FAN_OUT_SLICE`), here made two
// sockets wide so a handful of clients shows it: every broadcast of a patch reaches at most a
// slice, every client still gets every change once and in order, people who join while slices
// are going out converge too, and acks come back while the fan-out is under way.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { IdeaId } from "@convivio/protocol";
import { startTestServer, type TestServer } from "../test/harness.js";
import { BoardStore } from "./store.js";
import { BoardClient, createBoardWorld, eventually, expectedView, type BoardWorld } from "../test/boards.js";

const SLICE = 2;
let server: TestServer;
const clients: BoardClient[] = [];
/** Sockets each `board:patch` broadcast of the server was addressed to. */
const patchTargets: number[] = [];

beforeAll(async () => {
  server = await startTestServer({ overrides: { boardFanOutSlice: SLICE } });
  const adapter = server.io.sockets.adapter;
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, opts) => {
    if ((packet.data as unknown[] | undefined)?.[0] === "board:patch") {
      let sockets = 0;
      for (const room of opts.rooms) sockets += adapter.rooms.get(room)?.size ?? 0;
      patchTargets.push(sockets);
    }
    broadcast(packet, opts);
  };
});
afterAll(async () => {
  for (const client of clients) client.close();
  await server.close();
});

async function joined(w: BoardWorld, person: BoardWorld["participants"][number]): Promise<BoardClient> {
  const client = new BoardClient(server.url, person, w.boardId);
  clients.push(client);
  await client.ready();
  expect(await client.join()).toMatchObject({ ok: true });
  await eventually(() => expect(client.view).not.toBeNull());
  return client;
}

it("sends a large audience's patches in slices; everyone, late joiners included, gets every change once", async () => {
  const w = await createBoardWorld(
    { db: server.database.db, auth: server.auth, store: server.boards.store },
    { participants: 9, settings: { hideVotesUntilReveal: false }, now: server.clock.now().getTime() },
  );
  const facilitator = await joined(w, w.facilitator);
  const early = await Promise.all(w.participants.slice(0, 6).map((p) => joined(w, p)));
  const ideas: IdeaId[] = [];
  for (const text of ["Orti", "Biblioteca", "Piazza"]) {
    const ack = await facilitator.send({ type: "proposeIdea", columnId: "ideas" as never, text });
    if (!ack.ok) throw new Error(ack.code);
    ideas.push(ack.createdId as IdeaId);
  }
  expect(await facilitator.send({ type: "setPhase", phase: "vote" })).toMatchObject({ ok: true });

  patchTargets.length = 0;
  // Votes from the early six while three more people join.
  const [acks, late] = await Promise.all([
    Promise.all(early.flatMap((client) => ideas.map((ideaId) => client.send({ type: "castVote", ideaId })))),
    Promise.all(w.participants.slice(6).map((p) => joined(w, p))),
  ]);
  expect(acks.every((ack) => ack.ok)).toBe(true);

  const everyone = [facilitator, ...early, ...late];
  await eventually(async () => {
    const state = (await new BoardStore(server.database.db).load(w.boardId))!.state;
    for (const client of everyone) expect(client.view).toEqual(expectedView(state, client.person));
  });
  // The participants' audience (6 to 9 sockets) was written to a slice at a time.
  expect(patchTargets.length).toBeGreaterThan(0);
  expect(Math.max(...patchTargets)).toBeLessThanOrEqual(SLICE);
  expect(patchTargets.filter((n) => n === SLICE).length).toBeGreaterThanOrEqual(3);
  // No client saw a gap or an overlap in its patches.
  for (const client of everyone) {
    expect(client.gaps).toBe(0);
    client.patches.forEach((patch, i) => {
      if (i > 0) expect(patch.fromSeq).toBe(client.patches[i - 1]!.toSeq + 1);
    });
  }
  expect(facilitator.view!.tallies).toEqual(Object.fromEntries(ideas.map((id) => [id, 6])));
});
