// Board results as a session outcome, on both databases, after a real breakout roll-up: each
// plenary idea names the table it came from (number and topic) and that table's author, unless the
// idea was anonymous there; the labels are in the item's language; publishing the same board
// again updates the one outcome as a new version instead of adding a second, but never a copy
// another community adopted, nor an outcome its editors withdrew (a new outcome is made instead).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, asc, breakoutTables, count, eq, events, libraryItems, users } from "@convivio/db";
import { rankedIdeas } from "@convivio/board";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import {
  BreakoutCommand,
  type BoardId,
  type ColumnId,
  type IdeaId,
  type InboxResponse,
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

  /** A board with one idea voted and revealed, its event in a national community with one local below. */
  async function revealedWorld() {
    const world = await createBoardWorld(
      { db: database.db, auth: server.auth, store: server.boards.store },
      { participants: 1, now: server.clock.now().getTime() },
    );
    const owner = await signUpOperatorOnce();
    const network = await createCommunity(owner, "Rete dei laboratori", "national");
    const local = await createCommunity(owner, "Laboratorio di Ostia", "local", network.id);
    await database.db.update(events).set({ communityId: network.id }).where(eq(events.id, world.eventId));
    const [person] = world.participants as [Person];
    const made = await run(world.boardId, person, "proposeIdea", {
      columnId: "ideas" as ColumnId,
      text: "Una biblioteca degli attrezzi",
    });
    await run(world.boardId, world.facilitator, "setPhase", { phase: "vote" });
    await run(world.boardId, person, "castVote", { ideaId: made.createdId });
    await run(world.boardId, world.facilitator, "setPhase", { phase: "reveal" });
    const facilitator = new TestClient(server.url);
    facilitator.cookie = world.facilitator.cookie;
    const publish = async (body: Record<string, unknown>) => {
      const res = await facilitator.post(`/api/boards/${world.boardId}/library`, body);
      expect(res.status, res.text).toBeLessThan(300);
      return { status: res.status, item: (res.body as { item: LibraryItemDetail }).item };
    };
    const row = async (id: string) =>
      (await database.db.select().from(libraryItems).where(eq(libraryItems.id, id)))[0]!;
    return { world, owner, network, local, facilitator, publish, row };
  }

  test("publishing again never revises a copy another community adopted: there it makes that community's own outcome", async () => {
    const { world, owner, local, publish, row } = await revealedWorld();
    const original = await publish({ language: "it", audience: "everyone" });
    expect(original.status).toBe(201);
    const sent = await owner.client.post(`/api/library/items/${original.item.id}/send-down`, {
      target: [local.id],
    });
    expect(sent.status, sent.text).toBe(200);
    const inbox = (await owner.client.get(`/api/communities/${local.slug}/inbox`)).body as InboxResponse;
    const delivery = inbox.entries.find((e) => e.item.id === original.item.id)!;
    const adopted = await owner.client.post(`/api/library/deliveries/${delivery.id}/adopt`);
    expect(adopted.status, adopted.text).toBe(201);
    const copy = (adopted.body as { item: LibraryItemDetail }).item;
    // The copy keeps the board as its source: it is the outcome's adaptation, in Ostia.
    const copyBefore = await row(copy.id);
    expect(copyBefore).toMatchObject({ sourceBoardId: world.boardId, adaptedFromId: original.item.id });

    // The facilitator, an editor in Ostia too, publishes the board there (in English this time).
    const [facilitatorRow] = await database.db
      .select({ email: users.email })
      .from(users)
      .where(eq(users.id, world.facilitator.userId));
    const member = await owner.client.post(`/api/communities/${local.slug}/members`, {
      email: facilitatorRow!.email,
      role: "editor",
    });
    expect(member.status, member.text).toBe(201);
    const inOstia = await publish({ language: "en", audience: "community", communityId: local.id });
    expect(inOstia.status).toBe(201);
    expect(inOstia.item.id).not.toBe(copy.id);
    expect(inOstia.item).toMatchObject({
      community: { id: local.id },
      adaptedFromId: null,
      status: "published",
      version: 1,
      language: "en",
    });
    // And in the network again: its own outcome gets the new version.
    const again = await publish({ language: "en" });
    expect(again).toMatchObject({ status: 200, item: { id: original.item.id, version: 2, language: "en" } });
    // The adopted copy is as it was adopted.
    expect(await row(copy.id)).toEqual(copyBefore);
    // Publishing in Ostia again updates Ostia's own outcome, still not the copy.
    const ostiaAgain = await publish({ language: "it", communityId: local.id });
    expect(ostiaAgain).toMatchObject({ status: 200, item: { id: inOstia.item.id, version: 2 } });
    expect(await row(copy.id)).toEqual(copyBefore);
  });

  test("an outcome its editors withdrew stays withdrawn: publishing again makes a new outcome, which later publishing updates", async () => {
    const { owner, publish, row } = await revealedWorld();
    const first = await publish({ language: "it", audience: "everyone" });
    expect(first.status).toBe(201);
    const withdrawn = await owner.client.patch(`/api/library/items/${first.item.id}`, {
      status: "withdrawn",
    });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    const withdrawnBefore = await row(first.item.id);

    const second = await publish({ language: "en", audience: "community" });
    expect(second.status).toBe(201);
    expect(second.item.id).not.toBe(first.item.id);
    expect(second.item).toMatchObject({
      status: "published",
      audience: "community",
      version: 1,
      language: "en",
    });
    expect(await row(first.item.id)).toEqual(withdrawnBefore);
    expect(withdrawnBefore).toMatchObject({ status: "withdrawn", language: "it" });

    const third = await publish({ language: "it" });
    expect(third).toMatchObject({ status: 200, item: { id: second.item.id, version: 2, language: "it" } });
    expect(await row(first.item.id)).toEqual(withdrawnBefore);
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
