// The sending side sees who adapted its item, on both databases, with a sender who has no seat in
// any community below (Italia's editor, not the operator who admins the whole tree): while the copy
// is being adapted the tally says so without a link and the copy stays with its team; once it is
// published, the editors of the origin's community may open it and find it in the family tree and
// in search, whatever audience the copy has. Nobody else gains anything. The item page shows the
// whole tree of adaptations below (national -> regional -> local), each viewer the copies they
// may see, with a count of the others, bounded in depth and size.
import { describe, expect, test } from "vitest";
import { testDatabases } from "@convivio/db/testing";
import {
  LIBRARY_LIMITS,
  type AdaptationNode,
  type InboxResponse,
  type LibraryItemDetail,
  type LibrarySearchResponse,
  type LibraryTally,
} from "@convivio/protocol";
import { createItem, type LibraryPerson, useLibraryWorld } from "../test/library.js";
import { insertItem, type NewItem } from "./items.js";

describe.each(testDatabases())("adaptations seen from above on $driver", ({ open }) => {
  const world = useLibraryWorld(open);

  test("the origin's editors see a published adaptation; a copy being adapted shows without a link", async () => {
    const { italia, roma, viterbo, italiaEditor, italiaMember, romaEditor, viterboEditor, firenzeEditor } =
      world.tree;
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
  /** Adopts the delivery of `itemId` in `community` as `editor` and publishes the copy for `audience`. */
  async function adoptAndPublish(
    editor: LibraryPerson,
    community: { slug: string },
    itemId: string,
    audience: "community" | "everyone" | null,
  ): Promise<string> {
    const inbox = (await editor.client.get(`/api/communities/${community.slug}/inbox`)).body as InboxResponse;
    const delivery = inbox.entries.find((e) => e.item.id === itemId)!;
    const adopted = await editor.client.post(`/api/library/deliveries/${delivery.id}/adopt`);
    expect(adopted.status, adopted.text).toBe(201);
    const copy = (adopted.body as { item: LibraryItemDetail }).item;
    if (audience) {
      const published = await editor.client.patch(`/api/library/items/${copy.id}`, {
        status: "published",
        audience,
      });
      expect(published.status, published.text).toBe(200);
    }
    return copy.id;
  }

  test("the family tree shows every level of adaptations below, as far as each viewer may see", async () => {
    const {
      national,
      italiaEditor,
      italia,
      lazio,
      toscana,
      roma,
      viterbo,
      romaEditor,
      viterboEditor,
      outsider,
    } = world.tree;
    const act = await createItem(italiaEditor, {
      communityId: italia.id,
      title: "Atto nazionale sulle mense scolastiche",
      status: "published",
      audience: "everyone",
    });
    await italiaEditor.client.post(`/api/library/items/${act.id}/send-down`, {
      target: [lazio.id, toscana.id],
    });
    // The operator admins the regions: Lazio adapts it for its members, Toscana for everyone.
    const lazioCopy = await adoptAndPublish(national, lazio, act.id, "community");
    const toscanaCopy = await adoptAndPublish(national, toscana, act.id, "everyone");
    // Lazio sends its own version down: Roma publishes it for everyone, Viterbo is still adapting.
    const sent = await national.client.post(`/api/library/items/${lazioCopy}/send-down`, {
      target: [roma.id, viterbo.id],
    });
    expect(sent.status, sent.text).toBe(200);
    const romaCopy = await adoptAndPublish(romaEditor, roma, lazioCopy, "everyone");
    const viterboCopy = await adoptAndPublish(viterboEditor, viterbo, lazioCopy, null);

    const treeSeenBy = async (person: LibraryPerson | null) => {
      const res = await (person?.client ?? world.server.client()).get(`/api/library/items/${act.id}`);
      expect(res.status).toBe(200);
      const item = (res.body as { item: LibraryItemDetail }).item;
      const shape = (n: AdaptationNode) => [n.id, n.parentId, n.depth];
      return {
        nodes: item.adaptations.map(shape),
        hidden: item.hiddenAdaptations,
        truncated: item.adaptationsTruncated,
      };
    };

    // The operator admins every level: the whole tree, in tree order, siblings by community name.
    expect(await treeSeenBy(national)).toEqual({
      nodes: [
        [lazioCopy, act.id, 1],
        [romaCopy, lazioCopy, 2],
        [viterboCopy, lazioCopy, 2],
        [toscanaCopy, act.id, 1],
      ],
      hidden: 0,
      truncated: false,
    });
    // The origin's editor sees the published adaptations of its act, and Roma's (for everyone)
    // below Lazio's; Viterbo's draft stays with Viterbo's team, counted only.
    expect(await treeSeenBy(italiaEditor)).toEqual({
      nodes: [
        [lazioCopy, act.id, 1],
        [romaCopy, lazioCopy, 2],
        [toscanaCopy, act.id, 1],
      ],
      hidden: 1,
      truncated: false,
    });
    // Outside: Lazio's copy is for its members, so Roma's shows under the act itself (its nearest
    // origin they may see), still two levels down.
    const outside = {
      nodes: [
        [romaCopy, act.id, 2],
        [toscanaCopy, act.id, 1],
      ],
      hidden: 2,
      truncated: false,
    };
    expect(await treeSeenBy(outsider)).toEqual(outside);
    expect(await treeSeenBy(null)).toEqual(outside);
    // Lazio's own page lists its two local copies to its admin, and only Roma's to an outsider.
    const below = async (person: LibraryPerson, id: string) =>
      ((await person.client.get(`/api/library/items/${id}`)).body as { item: LibraryItemDetail }).item;
    expect((await below(national, lazioCopy)).adaptations.map((a) => a.id)).toEqual([romaCopy, viterboCopy]);
    expect((await below(outsider, romaCopy)).origins).toEqual([]);
  });

  test("the family tree is bounded in size and depth, and says when it goes on", async () => {
    const { national, italia } = world.tree;
    const base: Omit<NewItem, "title" | "adaptedFromId"> = {
      kind: "act",
      summary: "",
      body: "",
      tags: [],
      territory: null,
      language: "it",
      communityId: italia.id,
      status: "published",
      audience: "everyone",
      authorId: national.id,
      sourceBoardId: null,
    };
    const now = world.server.clock.now();
    const root = await world.database.db.transaction((tx) =>
      insertItem(tx, { ...base, title: "Molto adattato", adaptedFromId: null }, now),
    );
    await world.database.db.transaction(async (tx) => {
      for (let i = 0; i <= LIBRARY_LIMITS.adaptationsShownMax; i++) {
        await insertItem(tx, { ...base, title: `Copia ${i}`, adaptedFromId: root.id }, now);
      }
    });
    const wide = (
      (await national.client.get(`/api/library/items/${root.id}`)).body as { item: LibraryItemDetail }
    ).item;
    expect(wide.adaptations).toHaveLength(LIBRARY_LIMITS.adaptationsShownMax);
    expect(wide.adaptationsTruncated).toBe(true);

    // A chain one level deeper than a page walks.
    const chainRoot = await world.database.db.transaction((tx) =>
      insertItem(tx, { ...base, title: "Capostipite", adaptedFromId: null }, now),
    );
    const chain = [chainRoot.id];
    await world.database.db.transaction(async (tx) => {
      for (let depth = 1; depth <= LIBRARY_LIMITS.adaptationDepthMax + 1; depth++) {
        const copy = await insertItem(
          tx,
          { ...base, title: `Livello ${depth}`, adaptedFromId: chain.at(-1)! },
          now,
        );
        chain.push(copy.id);
      }
    });
    const detail = async (id: string) =>
      ((await national.client.get(`/api/library/items/${id}`)).body as { item: LibraryItemDetail }).item;
    const deep = await detail(chainRoot.id);
    expect(deep.adaptations.map((a) => [a.id, a.parentId, a.depth])).toEqual(
      chain.slice(1, 1 + LIBRARY_LIMITS.adaptationDepthMax).map((id, i) => [id, chain[i], i + 1]),
    );
    expect(deep.adaptationsTruncated).toBe(true);
    // One level down, the whole rest fits.
    const tail = await detail(chain[1]!);
    expect(tail.adaptations).toHaveLength(LIBRARY_LIMITS.adaptationDepthMax);
    expect(tail.adaptationsTruncated).toBe(false);
  });
});
