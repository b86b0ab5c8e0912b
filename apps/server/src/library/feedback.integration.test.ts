// Feedback on items, on both databases: a member comments and everyone who may see the item reads
// the comments back in order with their authors' names; "useful" marks count once per person and
// can be taken back; someone who may not see an item can neither read nor leave feedback on it; a
// comment is removed by its author or by an editor of the item's community (moderation), nobody else.
import { describe, expect, test } from "vitest";
import { count, eq, libraryComments, libraryUsefulMarks } from "@convivio/db";
import { testDatabases } from "@convivio/db/testing";
import type { ItemComment, LibraryItemDetail } from "@convivio/protocol";
import { createItem, type LibraryPerson, useLibraryWorld } from "../test/library.js";

describe.each(testDatabases())("item feedback on $driver", ({ open }) => {
  const world = useLibraryWorld(open);

  const read = async (person: LibraryPerson | null, itemId: string) => {
    const res = await (person?.client ?? world.server.client()).get(`/api/library/items/${itemId}`);
    expect(res.status).toBe(200);
    return (res.body as { item: LibraryItemDetail }).item;
  };
  const comment = async (person: LibraryPerson, itemId: string, body: string) => {
    const res = await person.client.post(`/api/library/items/${itemId}/comments`, { body });
    expect(res.status, res.text).toBe(201);
    return (res.body as { comment: ItemComment }).comment;
  };
  const commentRows = async (itemId: string) =>
    (
      await world.database.db
        .select({ n: count() })
        .from(libraryComments)
        .where(eq(libraryComments.itemId, itemId))
    )[0]!.n;

  test("members comment and read the comments back, in order, with their authors' names", async () => {
    const { roma, romaEditor, romaMember } = world.tree;
    const item = await createItem(romaEditor, {
      communityId: roma.id,
      title: "Mozione sulle piste ciclabili",
      status: "published",
    });
    const first = await comment(romaMember, item.id, "  Ottima idea, la proponiamo anche noi.  ");
    expect(first).toMatchObject({
      author: { id: romaMember.id, name: romaMember.name },
      body: "Ottima idea, la proponiamo anche noi.",
    });
    await comment(romaEditor, item.id, "Grazie: la portiamo in consiglio a marzo.");
    await comment(romaMember, item.id, "Allego il testo del nostro comune.");

    for (const person of [romaMember, romaEditor]) {
      const seen = await read(person, item.id);
      expect(seen.comments.map((c) => [c.author?.name, c.body])).toEqual([
        [romaMember.name, "Ottima idea, la proponiamo anche noi."],
        [romaEditor.name, "Grazie: la portiamo in consiglio a marzo."],
        [romaMember.name, "Allego il testo del nostro comune."],
      ]);
      expect(seen.comments[0]!.id).toBe(first.id);
    }
  });

  test("useful marks count once per person, can be taken back, and show who marked", async () => {
    const { roma, romaEditor, romaMember, firenzeEditor } = world.tree;
    const item = await createItem(romaEditor, {
      communityId: roma.id,
      title: "Pratica: assemblee di quartiere",
      status: "published",
      audience: "everyone",
    });
    const mark = (person: LibraryPerson) => person.client.put(`/api/library/items/${item.id}/useful`);
    const unmark = (person: LibraryPerson) => person.client.delete(`/api/library/items/${item.id}/useful`);

    expect((await mark(romaMember)).body).toEqual({ usefulCount: 1, usefulByMe: true });
    // Twice is the same as once.
    expect((await mark(romaMember)).body).toEqual({ usefulCount: 1, usefulByMe: true });
    // Anyone who may see the item may mark it: here a published item for everyone.
    expect((await mark(firenzeEditor)).body).toEqual({ usefulCount: 2, usefulByMe: true });
    expect(await read(romaMember, item.id)).toMatchObject({ usefulCount: 2, usefulByMe: true });
    expect(await read(romaEditor, item.id)).toMatchObject({ usefulCount: 2, usefulByMe: false });
    expect(await read(null, item.id)).toMatchObject({ usefulCount: 2, usefulByMe: false });

    expect((await unmark(romaMember)).body).toEqual({ usefulCount: 1, usefulByMe: false });
    // Taking back a mark one does not have changes nothing.
    expect((await unmark(romaMember)).body).toEqual({ usefulCount: 1, usefulByMe: false });
    expect(await read(romaMember, item.id)).toMatchObject({ usefulCount: 1, usefulByMe: false });
    const rows = await world.database.db
      .select({ userId: libraryUsefulMarks.userId })
      .from(libraryUsefulMarks)
      .where(eq(libraryUsefulMarks.itemId, item.id));
    expect(rows).toEqual([{ userId: firenzeEditor.id }]);
    // The search summary counts the same.
    const found = await romaMember.client.get(`/api/library/items?q=${encodeURIComponent("assemblee")}`);
    const hit = (found.body as { items: { id: string; usefulCount: number }[] }).items.find(
      (i) => i.id === item.id,
    );
    expect(hit?.usefulCount).toBe(1);
  });

  test("someone who may not see an item neither reads nor leaves feedback on it", async () => {
    const { roma, romaEditor, romaMember, firenzeEditor, outsider } = world.tree;
    const item = await createItem(romaEditor, {
      communityId: roma.id,
      title: "Solo per Roma",
      status: "published",
    });
    await comment(romaMember, item.id, "Commento interno");
    await romaMember.client.put(`/api/library/items/${item.id}/useful`);
    for (const person of [outsider, firenzeEditor]) {
      expect((await person.client.get(`/api/library/items/${item.id}`)).status).toBe(404);
      const refused = await person.client.post(`/api/library/items/${item.id}/comments`, { body: "Ciao" });
      expect(refused.status).toBe(404);
      expect((refused.body as { code: string }).code).toBe("not_found");
      expect((await person.client.put(`/api/library/items/${item.id}/useful`)).status).toBe(404);
      expect((await person.client.delete(`/api/library/items/${item.id}/useful`)).status).toBe(404);
    }
    expect((await world.server.client().get(`/api/library/items/${item.id}`)).status).toBe(404);
    expect(
      (await world.server.client().post(`/api/library/items/${item.id}/comments`, { body: "x" })).status,
    ).toBe(401);
    expect(await commentRows(item.id)).toBe(1);
    expect((await read(romaMember, item.id)).usefulCount).toBe(1);
  });

  test("a comment is removed by its author or an editor of the item's community, nobody else", async () => {
    const { roma, romaEditor, romaMember, firenzeEditor, viterboEditor, italiaEditor } = world.tree;
    const item = await createItem(romaEditor, {
      communityId: roma.id,
      title: "Atto aperto ai commenti",
      status: "published",
      audience: "everyone",
    });
    const own = await comment(romaMember, item.id, "Lo rileggo domani.");
    const abusive = await comment(firenzeEditor, item.id, "Parole offensive");
    const kept = await comment(viterboEditor, item.id, "Un commento utile");
    const remove = (person: LibraryPerson, commentId: string, itemId = item.id) =>
      person.client.delete(`/api/library/items/${itemId}/comments/${commentId}`);

    // Who may moderate: the item's page says so to its community's editors only.
    expect((await read(romaEditor, item.id)).canModerateComments).toBe(true);
    for (const person of [romaMember, firenzeEditor, italiaEditor]) {
      expect((await read(person, item.id)).canModerateComments, person.name).toBe(false);
    }

    // Another commenter, a plain member, and an editor of another community (even the one above) may not.
    for (const person of [viterboEditor, romaMember, italiaEditor]) {
      const refused = await remove(person, abusive.id);
      expect(refused.status, person.name).toBe(403);
      expect((refused.body as { code: string }).code).toBe("forbidden");
    }
    // A comment of another item is not found through this one.
    const other = await createItem(romaEditor, { communityId: roma.id, title: "Altro", status: "published" });
    expect((await remove(romaEditor, abusive.id, other.id)).status).toBe(404);
    expect(await commentRows(item.id)).toBe(3);

    // The author removes their own; an editor of Roma removes the abusive one.
    expect((await remove(romaMember, own.id)).status).toBe(204);
    expect((await remove(romaEditor, abusive.id)).status).toBe(204);
    expect((await remove(romaEditor, abusive.id)).status).toBe(404);
    const left = await read(null, item.id);
    expect(left.comments.map((c) => c.id)).toEqual([kept.id]);
    expect(await commentRows(item.id)).toBe(1);
    expect(await commentRows(other.id)).toBe(0);
  });
});
