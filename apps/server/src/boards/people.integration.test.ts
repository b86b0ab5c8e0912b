// GET /api/boards/{boardId}/people on one server (PGlite): it names the authors of the caller's
// own view, so a named author gets a name and an anonymous author reaches nobody but themself,
// facilitators included (invariant 7), even when they have nothing else on the board.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BoardCommand, BoardPeopleResponse, IdeaId } from "@convivio/protocol";
import { startTestServer, type TestServer } from "../test/harness.js";
import { createBoardWorld, type Person } from "../test/boards.js";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

type Body = BoardCommand extends infer C
  ? C extends BoardCommand
    ? Omit<C, "boardId" | "clientOpId">
    : never
  : never;

describe("the people of a board", () => {
  it("names the authors each caller may see, never an anonymous one but to themself", async () => {
    const w = await createBoardWorld(
      { db: server.database.db, auth: server.auth, store: server.boards.store },
      { participants: 3, now: server.clock.now().getTime() },
    );
    const [alice, bob, carla] = w.participants as [Person, Person, Person];
    const run = async (who: Person, body: Body) => {
      const ack = await server.boards.commands.run(
        { ...body, boardId: w.boardId, clientOpId: randomUUID() } as BoardCommand,
        { participantId: who.userId, role: who.role },
      );
      if (!ack.ok) throw new Error(`${body.type} failed: ${ack.code}`);
      return ack;
    };
    const people = async (who: Person) => {
      const client = server.client();
      client.cookie = who.cookie;
      const res = await client.get(`/api/boards/${w.boardId}/people`);
      expect(res.status).toBe(200);
      return { names: (res.body as BoardPeopleResponse).people, text: res.text };
    };

    // Bob proposes a named idea; then the board turns anonymous and Alice proposes an idea and a
    // comment: that is all she has on the board.
    const named = await run(bob, { type: "proposeIdea", columnId: "ideas" as never, text: "Bike lanes" });
    await run(w.facilitator, { type: "updateSettings", settings: { anonymousIdeas: true } });
    await run(alice, { type: "proposeIdea", columnId: "ideas" as never, text: "Quiet zones" });
    await run(alice, { type: "addComment", ideaId: named.createdId as IdeaId, text: "Yes, and wider" });

    for (const who of [bob, carla, w.facilitator]) {
      const { names, text } = await people(who);
      expect(names).toEqual([{ id: bob.userId, name: bob.name }]);
      expect(text).not.toContain(alice.userId);
      expect(text).not.toContain(alice.name);
    }
    // The anonymous author is named to herself only (her view carries her own id).
    const own = await people(alice);
    expect(own.names).toEqual(
      expect.arrayContaining([
        { id: alice.userId, name: alice.name },
        { id: bob.userId, name: bob.name },
      ]),
    );
    expect(own.names).toHaveLength(2);
  });

  it("answers an empty list on an empty board, and refuses whoever has no board role", async () => {
    const w = await createBoardWorld(
      { db: server.database.db, auth: server.auth, store: server.boards.store },
      { participants: 1, now: server.clock.now().getTime() },
    );
    const member = server.client();
    member.cookie = w.participants[0]!.cookie;
    const empty = await member.get(`/api/boards/${w.boardId}/people`);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ people: [] });

    const outsider = server.client();
    outsider.cookie = w.outsider.cookie;
    expect((await outsider.get(`/api/boards/${w.boardId}/people`)).status).toBe(403);
    expect((await server.client().get(`/api/boards/${w.boardId}/people`)).status).toBe(401);
    expect((await member.get(`/api/boards/${randomUUID()}/people`)).status).toBe(404);
  });
});
