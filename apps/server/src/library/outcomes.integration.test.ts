// Board results as a session outcome, on both databases, after a real breakout roll-up: each
// plenary idea names the table it came from (number and topic) and that table's author, unless the
// idea was anonymous there; the labels are in the item's language; publishing the same board
// again updates the one outcome as a new version instead of adding a second.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, asc, breakoutTables, count, eq, events, libraryItems } from "@convivio/db";
import { rankedIdeas } from "@convivio/board";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import {
  BreakoutCommand,
  type BoardId,
  type ColumnId,
  type IdeaId,
  type ItemVersionsResponse,
  type LibraryItemDetail,
} from "@convivio/protocol";
import { startTestServer, TestClient, type TestServer } from "../test/harness.js";
import { createBoardWorld, type BoardWorld, type Person } from "../test/boards.js";
import { LIBRARY_TEST_ENV, createCommunity, signUpOperator } from "../test/library.js";
import type { Actor } from "../auth/actor.js";

describe.each(testDatabases())("session outcomes on $driver", ({ open }) => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await open();
    server = await startTestServer({ database, env: LIBRARY_TEST_ENV });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const as = (p: Person) => ({ participantId: p.userId, role: p.role });
  const run = async (boardId: string, p: Person, type: string, extra: Record<string, unknown>) => {
    const ack = await server.boards.commands.run(
      { type, clientOpId: randomUUID(), boardId: boardId as BoardId, ...extra } as never,
      as(p),
    );
    expect(ack, `${type} ${JSON.stringify(extra)}`).toMatchObject({ ok: true });
    return ack as { createdId?: IdeaId };
  };
  const actorOf = async (p: Person): Promise<Actor> =>
    (await server.auth.resolveSession(p.cookie.split("=")[1]))!;

  /** A session with two breakout tables (one anonymous), their ideas rolled up to the plenary, voted and revealed. */
  async function rolledUpWorld(): Promise<BoardWorld> {
    const world = await createBoardWorld(
      { db: database.db, auth: server.auth, store: server.boards.store },
      { participants: 3, now: server.clock.now().getTime() },
    );
    const owner = await signUpOperatorOnce();
    const community = await createCommunity(owner, "Laboratorio di quartiere", "thematic");
    await database.db.update(events).set({ communityId: community.id }).where(eq(events.id, world.eventId));
    const lead = await actorOf(world.facilitator);
    await server.breakouts.service.run(
      lead,
      BreakoutCommand.parse({
        type: "open",
        sessionId: world.sessionId,
        by: { count: 2 },
        strategy: "random",
        tables: [{ topic: "Mobilità" }, { topic: "Verde" }],
      }),
    );
    const tables = await database.db
      .select()
      .from(breakoutTables)
      .where(and(eq(breakoutTables.sessionId, world.sessionId), eq(breakoutTables.status, "open")))
      .orderBy(asc(breakoutTables.number));
    const [mobility, green] = tables.map((t) => t.boardId!);
    const [alice, bruno, carla] = world.participants as [Person, Person, Person];
    const column = { columnId: "ideas" as ColumnId };
    await run(mobility!, alice, "proposeIdea", { ...column, text: "Più piste ciclabili" });
    await run(mobility!, bruno, "proposeIdea", { ...column, text: "Bus notturni" });
    await run(green!, world.facilitator, "updateSettings", { settings: { anonymousIdeas: true } });
    await run(green!, carla, "proposeIdea", { ...column, text: "Orti sul tetto" });
    await server.breakouts.service.run(
      lead,
      BreakoutCommand.parse({ type: "rollUp", sessionId: world.sessionId, top: 2 }),
    );

    const plenary = (await server.boards.store.load(world.boardId))!.state;
    const idOf = (text: string) => rankedIdeas(plenary).find(({ idea }) => idea.text === text)!.idea.id;
    await run(world.boardId, world.facilitator, "setPhase", { phase: "vote" });
    for (const p of [alice, bruno, carla])
      await run(world.boardId, p, "castVote", { ideaId: idOf("Orti sul tetto") });
    await run(world.boardId, alice, "castVote", { ideaId: idOf("Più piste ciclabili") });
    await run(world.boardId, world.facilitator, "setPhase", { phase: "reveal" });
    return world;
  }

  // The operator's email is unique per database: sign them up on first use only.
  let operatorSignedUp: Awaited<ReturnType<typeof signUpOperator>> | undefined;
  async function signUpOperatorOnce() {
    operatorSignedUp ??= await signUpOperator(server);
    return operatorSignedUp;
  }

  test("a rolled-up board's outcome names each idea's table, in Italian; anonymous authors stay anonymous", async () => {
    const world = await rolledUpWorld();
    const facilitator = new TestClient(server.url);
    facilitator.cookie = world.facilitator.cookie;
    const [alice, bruno, carla] = world.participants as [Person, Person, Person];

    const published = await facilitator.post(`/api/boards/${world.boardId}/library`, { language: "it" });
    expect(published.status).toBe(201);
    const item = (published.body as { item: LibraryItemDetail }).item;
    expect(item).toMatchObject({ kind: "session_outcome", language: "it", status: "published" });
    const body = item.body;
    expect(body).toContain("**Evento:** Board lab");
    expect(body).toContain("**Sessione:** Co-design table");
    expect(body).toContain("**Idee in classifica:** 3 · **Voti:** 4");
    expect(body).toContain("## Classifica generale");
    expect(body).toContain("| # | Idea | Tavolo | Gruppo | Voti | Autore |");
    for (const english of ["**Event:**", "**Session:**", "Ideas ranked", "Votes", "Overall", "Author"]) {
      expect(body).not.toContain(english);
    }
    // Each idea with its table; the named authors by name, the anonymous one by nobody.
    expect(body).toMatch(/\| 1 \| Orti sul tetto \| Tavolo 2 · Verde \| +\| 3 \| +\|/);
    expect(body).toMatch(
      new RegExp(`\\| 2 \\| Più piste ciclabili \\| Tavolo 1 · Mobilità \\| +\\| 1 \\| ${alice.name} \\|`),
    );
    expect(body).toMatch(
      new RegExp(`\\| 3 \\| Bus notturni \\| Tavolo 1 · Mobilità \\| +\\| 0 \\| ${bruno.name} \\|`),
    );
    expect(body).not.toContain(carla.name);
    // The copies were proposed by the facilitator: the outcome credits the tables' authors instead.
    expect(body).not.toContain(world.facilitator.name);
    expect(item.bodyHtml).toContain("<td>Tavolo 2 · Verde</td>");
  });

  test("publishing the same board again updates its outcome as a new version (English this time)", async () => {
    const world = await rolledUpWorld();
    const facilitator = new TestClient(server.url);
    facilitator.cookie = world.facilitator.cookie;
    const outcomes = async () =>
      Number(
        (
          await database.db
            .select({ n: count() })
            .from(libraryItems)
            .where(eq(libraryItems.sourceBoardId, world.boardId))
        )[0]?.n,
      );

    // Two clicks at once make one outcome.
    const first = await Promise.all([
      facilitator.post(`/api/boards/${world.boardId}/library`, { language: "it", audience: "everyone" }),
      facilitator.post(`/api/boards/${world.boardId}/library`, { language: "it", audience: "everyone" }),
    ]);
    expect(first.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(await outcomes()).toBe(1);
    const id = (first[0]!.body as { item: LibraryItemDetail }).item.id;
    expect((first[1]!.body as { item: LibraryItemDetail }).item.id).toBe(id);

    const again = await facilitator.post(`/api/boards/${world.boardId}/library`, { language: "en" });
    expect(again.status).toBe(200);
    const updated = (again.body as { item: LibraryItemDetail }).item;
    expect(updated).toMatchObject({ id, version: 2, language: "en", audience: "everyone" });
    expect(updated.body).toContain("**Event:** Board lab");
    expect(updated.body).toContain("| # | Idea | Table | Group | Votes | Author |");
    expect(updated.body).toMatch(/\| 1 \| Orti sul tetto \| Table 2 · Verde \|/);
    expect(await outcomes()).toBe(1);
    const { versions } = (await facilitator.get(`/api/library/items/${id}/versions`))
      .body as ItemVersionsResponse;
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[1]!.body).toContain("**Evento:**");
    // Nothing changed since: no new version.
    const same = await facilitator.post(`/api/boards/${world.boardId}/library`, { language: "en" });
    expect((same.body as { item: LibraryItemDetail }).item.version).toBe(2);
  });

  test("a promoted idea is a draft in the event's language; markup it carries is kept as text", async () => {
    const world = await createBoardWorld(
      { db: database.db, auth: server.auth, store: server.boards.store },
      { participants: 1, now: server.clock.now().getTime() },
    );
    const owner = await signUpOperatorOnce();
    const community = await createCommunity(owner, "Laboratorio", "thematic");
    await database.db.update(events).set({ communityId: community.id }).where(eq(events.id, world.eventId));
    const made = await run(world.boardId, world.participants[0]!, "proposeIdea", {
      columnId: "ideas" as ColumnId,
      text: "Sportello unico",
      details: 'Un solo indirizzo <img src=x onerror="alert(1)"> per tutti',
    });
    const facilitator = new TestClient(server.url);
    facilitator.cookie = world.facilitator.cookie;
    const res = await facilitator.post(`/api/boards/${world.boardId}/ideas/${made.createdId}/library`, {
      kind: "act",
    });
    expect(res.status).toBe(201);
    const item = (res.body as { item: LibraryItemDetail }).item;
    expect(item).toMatchObject({
      status: "draft",
      language: "it",
      summary: "Dalla bacheca «Ideas for the neighbourhood»",
    });
    expect(item.bodyHtml).toContain("&lt;img src=x onerror=");
    expect(item.bodyHtml).not.toContain("<img");
    // The community's editors can save it as it is: the guard accepts what promotion stored.
    const saved = await owner.client.patch(`/api/library/items/${item.id}`, {
      body: item.body,
      title: "Sportello unico cittadino",
    });
    expect(saved.status).toBe(200);
  });
});
