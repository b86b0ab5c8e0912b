// The sending side sees who adapted its item, on both databases, with a sender who has no seat in
// any community below (Italia's editor, not the operator who admins the whole tree): while the copy
// is being adapted the tally says so without a link and the copy stays with its team; once it is
// published, the editors of the origin's community may open it and find it in the family tree and
// in search, whatever audience the copy has. Nobody else gains anything.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import type {
  InboxResponse,
  LibraryItemDetail,
  LibrarySearchResponse,
  LibraryTally,
} from "@convivio/protocol";
import { startTestServer, type TestServer } from "../test/harness.js";
import { LIBRARY_TEST_ENV, createItem, createTree } from "../test/library.js";

type Tree = Awaited<ReturnType<typeof createTree>>;

describe.each(testDatabases())("adaptations seen from above on $driver", ({ open }) => {
  let database: TestDatabase;
  let server: TestServer;
  let tree: Tree;

  beforeAll(async () => {
    database = await open();
    server = await startTestServer({ database, env: LIBRARY_TEST_ENV });
    tree = await createTree(server);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  test("the origin's editors see a published adaptation; a copy being adapted shows without a link", async () => {
    const { italia, roma, viterbo, italiaEditor, italiaMember, romaEditor, viterboEditor, firenzeEditor } =
      tree;
    const sender = italiaEditor;
    const act = await createItem(sender, {
      communityId: italia.id,
      title: "Mozione sul trasporto pubblico gratuito",
      body: "Testo nazionale",
      status: "published",
    });
    expect(
      (await sender.client.post(`/api/library/items/${act.id}/send-down`, { target: [roma.id, viterbo.id] }))
        .status,
    ).toBe(200);
    const inbox = (await romaEditor.client.get(`/api/communities/${roma.slug}/inbox`)).body as InboxResponse;
    const delivery = inbox.entries.find((e) => e.item.id === act.id)!;
    const adopted = await romaEditor.client.post(`/api/library/deliveries/${delivery.id}/adopt`);
    const copy = (adopted.body as { item: LibraryItemDetail }).item;

    const tally = async () =>
      ((await sender.client.get(`/api/library/items/${act.id}/tally`)).body as { tally: LibraryTally }).tally;
    const romaRow = async () => (await tally()).rows.find((r) => r.community.id === roma.id)!;
    const read = (person: typeof sender, id: string) => person.client.get(`/api/library/items/${id}`);
    const adaptationsSeenBy = async (person: typeof sender) =>
      ((await read(person, act.id)).body as { item: LibraryItemDetail }).item.adaptations.map((a) => a.id);
    const found = async (person: typeof sender) =>
      (
        (await person.client.get(`/api/library/items?q=${encodeURIComponent("trasporto pubblico gratuito")}`))
          .body as LibrarySearchResponse
      ).items.map((i) => i.id);

    // Being adapted: adopted, a draft, no link, and the draft stays with Roma's team.
    expect(await romaRow()).toMatchObject({ status: "adopted", copyStatus: "draft", adoptedItemId: null });
    expect((await read(sender, copy.id)).status).toBe(404);
    expect(await adaptationsSeenBy(sender)).toEqual([]);

    // Published for Roma's members only: the sender may open it now, from the tally and the tree.
    const published = await romaEditor.client.patch(`/api/library/items/${copy.id}`, {
      body: "Testo adattato per Roma",
      status: "published",
    });
    expect(published.status).toBe(200);
    expect((published.body as { item: LibraryItemDetail }).item.audience).toBe("community");
    expect(await romaRow()).toMatchObject({
      status: "adopted",
      copyStatus: "published",
      adoptedItemId: copy.id,
    });
    const opened = await read(sender, copy.id);
    expect(opened.status).toBe(200);
    expect((opened.body as { item: LibraryItemDetail }).item).toMatchObject({
      body: "Testo adattato per Roma",
      origins: [{ id: act.id }],
      canEdit: false,
    });
    expect(await adaptationsSeenBy(sender)).toEqual([copy.id]);
    expect(await found(sender)).toContain(copy.id);

    // Nobody else gains a view: a plain member of Italia, a sibling that also received the act,
    // another community's editor.
    for (const person of [italiaMember, viterboEditor, firenzeEditor]) {
      expect((await read(person, copy.id)).status, person.name).toBe(404);
      expect(await found(person), person.name).not.toContain(copy.id);
    }
    expect(await adaptationsSeenBy(italiaMember)).toEqual([]);

    // Withdrawn, it goes back to Roma's team; the tally stops linking it.
    expect(
      (await romaEditor.client.patch(`/api/library/items/${copy.id}`, { status: "withdrawn" })).status,
    ).toBe(200);
    expect(await romaRow()).toMatchObject({ copyStatus: "withdrawn", adoptedItemId: null });
    expect((await read(sender, copy.id)).status).toBe(404);
  });
});
