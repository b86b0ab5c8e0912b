// The library's live edges on one server (PGlite): the sender's tally pushed over the socket as
// receivers adopt, publish their copy and report outcomes; a board's results published as a
// session outcome (anonymous authors stay anonymous) and found by search; an idea promoted to a
// draft; the weekly digest. Attachments are in attachments.integration.test.ts.
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { eq, events } from "@convivio/db";
import {
  JobName,
  PROTOCOL_VERSION,
  type BoardId,
  type ColumnId,
  type IdeaId,
  type InboxResponse,
  type LibraryItemDetail,
  type LibrarySearchResponse,
  type LibraryTally,
  type ParticipantId,
} from "@convivio/protocol";
import { lastMailTo, startTestServer, TestClient, type TestServer } from "../test/harness.js";
import { createBoardWorld } from "../test/boards.js";
import { LIBRARY_TEST_ENV, addMember, createCommunity, createItem, createTree } from "../test/library.js";
import { nextWeekEnd } from "./digest.js";

let server: TestServer;
let dataDir: string;
let tree: Awaited<ReturnType<typeof createTree>>;
const sockets: Socket[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "convivio-library-"));
  server = await startTestServer({ env: { ...LIBRARY_TEST_ENV, DATA_DIR: dataDir } });
  tree = await createTree(server);
}, 120_000);
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function listen(client: TestClient): Promise<{ socket: Socket; tallies: LibraryTally[] }> {
  const socket = connect(server.url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    auth: { protocolVersion: PROTOCOL_VERSION },
    extraHeaders: { cookie: client.cookie! },
  });
  sockets.push(socket);
  const tallies: LibraryTally[] = [];
  socket.on("library:tally", (tally: LibraryTally) => tallies.push(tally));
  return new Promise((resolve, reject) => {
    socket.on("welcome", () => resolve({ socket, tallies }));
    socket.on("connect_error", reject);
  });
}

describe("live tally", () => {
  test("the sender's open page gets each adoption and outcome as it happens", async () => {
    const { national, italia, roma, firenze, romaEditor, firenzeEditor, outsider } = tree;
    const sender = await listen(national.client);
    const stranger = await listen(outsider.client);
    const act = await createItem(national, {
      communityId: italia.id,
      title: "Atto in diretta",
      status: "published",
    });
    await national.client.post(`/api/library/items/${act.id}/send-down`, { target: [roma.id, firenze.id] });
    await expect.poll(() => sender.tallies.at(-1)?.counts.received).toBe(2);

    const entryOf = async (person: typeof romaEditor, slug: string) =>
      ((await person.client.get(`/api/communities/${slug}/inbox`)).body as InboxResponse).entries.find(
        (e) => e.item.id === act.id,
      )!;
    await romaEditor.client.post(
      `/api/library/deliveries/${(await entryOf(romaEditor, roma.slug)).id}/adopt`,
    );
    await expect.poll(() => sender.tallies.at(-1)?.counts.adopted).toBe(1);
    await firenzeEditor.client.post(
      `/api/library/deliveries/${(await entryOf(firenzeEditor, firenze.slug)).id}/outcome`,
      {
        outcome: "tabled",
        on: "2026-04-01",
        note: "In commissione",
      },
    );
    await expect.poll(() => sender.tallies.at(-1)?.counts.outcomes).toBe(1);
    const last = sender.tallies.at(-1)!;
    expect(last.rows.find((r) => r.community.id === firenze.id)).toMatchObject({
      outcome: "tabled",
      outcomeOn: "2026-04-01",
    });
    // The pushed tally equals the REST one (the source of truth)...
    const rest = (await national.client.get(`/api/library/items/${act.id}/tally`)).body as {
      tally: LibraryTally;
    };
    expect(last).toEqual(rest.tally);
    // ...and nobody outside the sending side received anything.
    expect(stranger.tallies).toEqual([]);
  });
});

test("a sender with no seat below sees the copy's state change live, and may open it once published", async () => {
  const { italia, roma, italiaEditor, romaEditor } = tree;
  const sender = await listen(italiaEditor.client);
  const act = await createItem(italiaEditor, {
    communityId: italia.id,
    title: "Atto da adattare",
    status: "published",
  });
  await italiaEditor.client.post(`/api/library/items/${act.id}/send-down`, { target: [roma.id] });
  const entry = (
    (await romaEditor.client.get(`/api/communities/${roma.slug}/inbox`)).body as InboxResponse
  ).entries.find((e) => e.item.id === act.id)!;
  const copy = (
    (await romaEditor.client.post(`/api/library/deliveries/${entry.id}/adopt`)).body as {
      item: LibraryItemDetail;
    }
  ).item;
  await expect.poll(() => sender.tallies.at(-1)?.rows[0]?.copyStatus).toBe("draft");
  expect(sender.tallies.at(-1)!.rows[0]!.adoptedItemId).toBeNull();
  // Publishing the copy changes no delivery, yet the sender's open page hears of it.
  await romaEditor.client.patch(`/api/library/items/${copy.id}`, { status: "published" });
  await expect.poll(() => sender.tallies.at(-1)?.rows[0]?.copyStatus).toBe("published");
  expect(sender.tallies.at(-1)!.rows[0]!.adoptedItemId).toBe(copy.id);
  expect((await italiaEditor.client.get(`/api/library/items/${copy.id}`)).status).toBe(200);
});

describe("from live work to the library", () => {
  test("a facilitator publishes a board's results in one action; anonymous authors stay anonymous", async () => {
    const world = await createBoardWorld(
      { db: server.database.db, auth: server.auth, store: server.boards.store },
      { participants: 2, settings: { anonymousIdeas: true }, now: server.clock.now().getTime() },
    );
    const facilitator = new TestClient(server.url);
    facilitator.cookie = world.facilitator.cookie;
    const community = await createCommunity(tree.national, "Laboratorio civico", "thematic");
    const commands = server.boards.commands;
    const as = (p: { userId: ParticipantId; role: "facilitator" | "participant" }) => ({
      participantId: p.userId,
      role: p.role,
    });
    const cmd = (type: string, extra: Record<string, unknown>) =>
      ({ type, clientOpId: randomUUID(), boardId: world.boardId as BoardId, ...extra }) as never;
    const [alice, bruno] = world.participants;
    const a = await commands.run(
      cmd("proposeIdea", { columnId: "ideas" as ColumnId, text: "Orti urbani condivisi" }),
      as(alice!),
    );
    const b = await commands.run(
      cmd("proposeIdea", { columnId: "ideas" as ColumnId, text: "Panchine nei cortili" }),
      as(bruno!),
    );
    const ideaA = (a as { createdId?: IdeaId }).createdId!;
    // Votes are hidden during voting: publishing is refused until the reveal.
    expect(await commands.run(cmd("setPhase", { phase: "vote" }), as(world.facilitator))).toMatchObject({
      ok: true,
    });
    await commands.run(cmd("castVote", { ideaId: ideaA }), as(alice!));
    await commands.run(cmd("castVote", { ideaId: ideaA }), as(bruno!));
    const early = await facilitator.post(`/api/boards/${world.boardId}/library`, {});
    expect(early.status).toBe(409);
    expect(await commands.run(cmd("setPhase", { phase: "reveal" }), as(world.facilitator))).toMatchObject({
      ok: true,
    });
    expect(b).toMatchObject({ ok: true });

    // The event belongs to no community yet: the facilitator must name one they edit.
    const nowhere = await facilitator.post(`/api/boards/${world.boardId}/library`, {});
    expect(nowhere.status).toBe(400);
    await server.database.db
      .update(events)
      .set({ communityId: community.id })
      .where(eq(events.id, world.eventId));
    // A participant may not publish.
    const participant = new TestClient(server.url);
    participant.cookie = alice!.cookie;
    expect((await participant.post(`/api/boards/${world.boardId}/library`, {})).status).toBe(403);
    // The community is a top-level one: it has no siblings to share with.
    const toSiblings = await facilitator.post(`/api/boards/${world.boardId}/library`, {
      audience: "siblings",
    });
    expect(toSiblings.status).toBe(400);
    expect(toSiblings.body).toMatchObject({ code: "validation_failed", issues: [{ path: "audience" }] });

    const published = await facilitator.post(`/api/boards/${world.boardId}/library`, {
      audience: "everyone",
      tags: ["orti"],
    });
    expect(published.status).toBe(201);
    const item = (published.body as { item: LibraryItemDetail }).item;
    expect(item).toMatchObject({
      kind: "session_outcome",
      status: "published",
      sourceBoardId: world.boardId,
    });
    expect(item.body).toContain("Orti urbani condivisi");
    expect(item.body).toMatch(/\| 1 \| Orti urbani condivisi \| +\| 2 \|/);
    expect(item.body).toContain("Co-design table");
    // Anonymous ideas: no author name anywhere in the item.
    for (const person of world.participants) expect(item.body).not.toContain(person.name);

    // Found by search, by anyone.
    const found = await server.client().get(`/api/library/items?q=${encodeURIComponent("orti urbani")}`);
    expect((found.body as LibrarySearchResponse).items.map((i) => i.id)).toContain(item.id);

    // One idea becomes a draft item of the same community.
    const promoted = await facilitator.post(`/api/boards/${world.boardId}/ideas/${ideaA}/library`, {
      kind: "practice",
    });
    expect(promoted.status).toBe(201);
    expect((promoted.body as { item: LibraryItemDetail }).item).toMatchObject({
      kind: "practice",
      status: "draft",
      title: "Orti urbani condivisi",
    });
    expect(
      (await facilitator.post(`/api/boards/${world.boardId}/ideas/${randomUUID()}/library`, {})).status,
    ).toBe(404);
  });
});

test("a member added to a community sees its community-only items at once", async () => {
  const { roma, romaEditor, national } = tree;
  const item = await createItem(romaEditor, {
    communityId: roma.id,
    title: "Solo membri",
    status: "published",
  });
  const late = tree.outsider;
  const found = async () =>
    (
      (await late.client.get(`/api/library/items?q=${encodeURIComponent("Solo membri")}`))
        .body as LibrarySearchResponse
    ).items.map((i) => i.id);
  expect((await late.client.get(`/api/library/items/${item.id}`)).status).toBe(404);
  expect(await found()).not.toContain(item.id);
  await addMember(national, roma, late, "member");
  // The page and search alike: no membership is cached anywhere.
  expect((await late.client.get(`/api/library/items/${item.id}`)).status).toBe(200);
  expect(await found()).toContain(item.id);
});

describe("weekly digest", () => {
  test("followers get one email with the week's visible items on what they follow, once", async () => {
    const { roma, romaEditor, italia, national, firenzeEditor } = tree;
    const tag = `orti${Date.now().toString(36)}`;
    const reader = firenzeEditor;
    expect((await reader.client.post("/api/library/follows", { kind: "tag", target: tag })).status).toBe(200);
    const followed = await reader.client.post("/api/library/follows", {
      kind: "community",
      target: italia.id,
    });
    expect((followed.body as { follows: { label: string }[] }).follows.map((f) => f.label)).toContain(
      "Italia",
    );
    await createItem(romaEditor, {
      communityId: roma.id,
      title: "Orti per tutti",
      tags: [tag],
      status: "published",
      audience: "everyone",
    });
    await createItem(romaEditor, {
      communityId: roma.id,
      title: "Orti solo Roma",
      tags: [tag],
      status: "published",
    });
    await createItem(romaEditor, { communityId: roma.id, title: "Orti in bozza", tags: [tag] });
    await createItem(national, {
      communityId: italia.id,
      title: "Indirizzo nazionale",
      status: "published",
      audience: "everyone",
    });

    // The next Monday's run is armed at start-up.
    const weekEnd = nextWeekEnd(server.clock.now());
    expect(await server.jobs.pending(JobName.libraryDigest)).toContain(`library-digest:${weekEnd}`);

    expect(await server.library.digest.send(weekEnd)).toBeGreaterThanOrEqual(1);
    const mail = await lastMailTo(server.client(), reader.email);
    expect(mail.message.text).toContain("Orti per tutti");
    expect(mail.message.text).toContain("Indirizzo nazionale");
    // Community-only and draft items never reach someone outside the community.
    expect(mail.message.text).not.toContain("Orti solo Roma");
    expect(mail.message.text).not.toContain("Orti in bozza");
    // Its way out: the page that lists what one follows, each with its own "stop following".
    expect(mail.message.text).toContain(`${server.url}/library/following`);
    // A second run of the same week sends nobody anything.
    const outboxSize = async () =>
      ((await server.client().get("/api/dev/outbox")).body as { messages: { to: string }[] }).messages.filter(
        (m) => m.to === reader.email,
      ).length;
    const before = await outboxSize();
    await server.library.digest.send(weekEnd);
    expect(await outboxSize()).toBe(before);
  });

  test("the digest week ends on the next Monday", () => {
    expect(nextWeekEnd(new Date("2026-11-23T10:00:00Z"))).toBe("2026-11-30"); // a Monday
    expect(nextWeekEnd(new Date("2026-11-22T23:59:00Z"))).toBe("2026-11-23"); // a Sunday
    expect(nextWeekEnd(new Date("2026-11-26T00:00:00Z"))).toBe("2026-11-30");
  });
});
