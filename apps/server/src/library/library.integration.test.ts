// Communities and the library on both databases: visibility (a draft or a community-only item
// never reaches outsiders, search included), vertical sharing reaches exactly the chosen
// descendants, adoption keeps provenance, every edit is a version, Italian stemming in search,
// and bad input (script in Markdown, other communities' drafts, sending outside the tree).
import { describe, expect, test } from "vitest";
import { count, eq, libraryDeliveries, libraryItems, sql } from "@convivio/db";
import { testDatabases } from "@convivio/db/testing";
import {
  LIBRARY_LIMITS,
  type InboxResponse,
  type LibraryItemDetail,
  type LibrarySearchResponse,
  type LibraryTally,
  type ItemVersionsResponse,
} from "@convivio/protocol";
import type { TestServer } from "../test/harness.js";
import { createItem, signUp, useLibraryWorld } from "../test/library.js";

describe.each(testDatabases())("library on $driver", ({ open }) => {
  const world = useLibraryWorld(open);

  const search = async (client: TestServer["client"] extends () => infer C ? C : never, query: string) => {
    const res = await client.get(`/api/library/items?${query}`);
    expect(res.status).toBe(200);
    return res.body as LibrarySearchResponse;
  };
  const titles = (res: LibrarySearchResponse) => res.items.map((i) => i.title);

  test("takes a body at its length limit in accented text (two or three bytes a character)", async () => {
    const { roma, romaMember } = world.tree;
    // Italian prose is full of 2-byte letters, and a typographic apostrophe or quote takes 3: the
    // request size limit must not refuse what the schema allows.
    const pattern = "è’";
    const body = pattern.repeat(LIBRARY_LIMITS.bodyMaxLength / pattern.length);
    expect(Buffer.byteLength(JSON.stringify({ body }))).toBeGreaterThan(240_000);
    const item = await createItem(romaMember, { communityId: roma.id, title: "Atto lungo", body });
    expect(item.body).toHaveLength(LIBRARY_LIMITS.bodyMaxLength);
    const tooLong = await romaMember.client.post("/api/library/items", {
      kind: "act",
      communityId: roma.id,
      title: "Atto troppo lungo",
      body: `${body}x`,
    });
    expect(tooLong.status).toBe(400);
  });

  test("visibility: drafts and community-only items never reach outsiders, search included", async () => {
    const { roma, romaEditor, romaMember, viterboEditor, firenzeEditor, outsider } = world.tree;
    const tag = `vis${Date.now().toString(36)}`;
    const draft = await createItem(romaMember, { communityId: roma.id, title: `Bozza ${tag}`, tags: [tag] });
    const own = await createItem(romaEditor, {
      communityId: roma.id,
      title: `Solo Roma ${tag}`,
      tags: [tag],
      status: "published",
    });
    const siblings = await createItem(romaEditor, {
      communityId: roma.id,
      title: `Fratelli ${tag}`,
      tags: [tag],
      status: "published",
      audience: "siblings",
    });
    const everyone = await createItem(romaEditor, {
      communityId: roma.id,
      title: `Per tutti ${tag}`,
      tags: [tag],
      status: "published",
      audience: "everyone",
    });
    const anonymous = world.server.client();
    const seen = async (client: typeof anonymous) => new Set(titles(await search(client, `tag=${tag}`)));

    // The author and the community's editor see all four; a plain member not someone else's draft.
    expect(await seen(romaMember.client)).toEqual(
      new Set([draft.title, own.title, siblings.title, everyone.title]),
    );
    expect(await seen(romaEditor.client)).toEqual(
      new Set([draft.title, own.title, siblings.title, everyone.title]),
    );
    // Viterbo shares Roma's parent (Lazio): it sees the siblings item, not the community-only one.
    expect(await seen(viterboEditor.client)).toEqual(new Set([siblings.title, everyone.title]));
    // Firenze is a cousin, not a sibling.
    expect(await seen(firenzeEditor.client)).toEqual(new Set([everyone.title]));
    expect(await seen(outsider.client)).toEqual(new Set([everyone.title]));
    expect(await seen(anonymous)).toEqual(new Set([everyone.title]));

    // The same rule answers a direct read: 404, so an unseen item's existence does not leak.
    for (const item of [draft, own, siblings]) {
      expect((await outsider.client.get(`/api/library/items/${item.id}`)).status).toBe(404);
      expect((await anonymous.get(`/api/library/items/${item.id}`)).status).toBe(404);
      expect((await outsider.client.get(`/api/library/items/${item.id}/versions`)).status).toBe(404);
    }
    expect((await firenzeEditor.client.get(`/api/library/items/${draft.id}`)).status).toBe(404);
    // Full-text search with the draft's own words finds nothing for an outsider.
    expect(titles(await search(outsider.client, `q=${encodeURIComponent(`Bozza ${tag}`)}`))).toEqual([]);
    // Another community's editor may not edit, comment on or mark someone else's draft either.
    expect(
      (await firenzeEditor.client.patch(`/api/library/items/${draft.id}`, { title: "mine now" })).status,
    ).toBe(404);
    expect(
      (await outsider.client.post(`/api/library/items/${draft.id}/comments`, { body: "hi" })).status,
    ).toBe(404);
    expect((await outsider.client.put(`/api/library/items/${draft.id}/useful`)).status).toBe(404);
    const [row] = await world.database.db.select().from(libraryItems).where(eq(libraryItems.id, draft.id));
    expect(row?.title).toBe(draft.title);

    // Withdrawing takes a published item back to its team.
    expect(
      (await romaEditor.client.patch(`/api/library/items/${everyone.id}`, { status: "withdrawn" })).status,
    ).toBe(200);
    expect(await seen(outsider.client)).toEqual(new Set());
  });

  test("only editors publish; members write drafts; outsiders cannot write in a community", async () => {
    const { roma, romaMember, outsider } = world.tree;
    const refused = await romaMember.client.post("/api/library/items", {
      kind: "practice",
      communityId: roma.id,
      title: "Pubblico subito",
      status: "published",
    });
    expect(refused.status).toBe(403);
    const draft = await createItem(romaMember, { communityId: roma.id, title: "La mia bozza" });
    expect(
      (await romaMember.client.patch(`/api/library/items/${draft.id}`, { status: "published" })).status,
    ).toBe(403);
    const stranger = await outsider.client.post("/api/library/items", {
      kind: "act",
      communityId: roma.id,
      title: "Intruso",
    });
    expect(stranger.status).toBe(403);
  });

  test("every edit is kept as a version", async () => {
    const { roma, romaEditor } = world.tree;
    const item = await createItem(romaEditor, {
      communityId: roma.id,
      title: "Mozione sul verde pubblico",
      body: "Prima riga\nSeconda riga",
    });
    await romaEditor.client.patch(`/api/library/items/${item.id}`, {
      body: "Prima riga\nSeconda riga cambiata",
    });
    await romaEditor.client.patch(`/api/library/items/${item.id}`, { title: "Mozione sul verde urbano" });
    // A change of audience alone is not a new text version.
    await romaEditor.client.patch(`/api/library/items/${item.id}`, { audience: "siblings" });
    const res = await romaEditor.client.get(`/api/library/items/${item.id}/versions`);
    const { versions } = res.body as ItemVersionsResponse;
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions.map((v) => v.title)).toEqual([
      "Mozione sul verde urbano",
      "Mozione sul verde pubblico",
      "Mozione sul verde pubblico",
    ]);
    expect(versions[1]!.body).toBe("Prima riga\nSeconda riga cambiata");
    expect(versions[2]!.body).toBe("Prima riga\nSeconda riga");
    expect(versions[0]!.editedBy?.name).toBe("Romeo Roma");
  });

  test("concurrent edits each make a version; none is lost", async () => {
    const { roma, romaEditor } = world.tree;
    const item = await createItem(romaEditor, { communityId: roma.id, title: "Concorrenza" });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        romaEditor.client.patch(`/api/library/items/${item.id}`, { body: `testo ${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const { versions } = (await romaEditor.client.get(`/api/library/items/${item.id}/versions`))
      .body as ItemVersionsResponse;
    expect(versions.map((v) => v.version)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  test("script in Markdown is refused with 400 and nothing is stored", async () => {
    const { roma, romaEditor } = world.tree;
    const hostile = [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(2)">',
      "[link](javascript:alert(3))",
      '<a href="JaVaScRiPt:alert(4)">x</a>',
      "<iframe src=https://evil.example></iframe>",
      // What the sanitizer would cut however it is spelled: a handler after a slash, an
      // entity-encoded scheme in HTML and in a Markdown link.
      "<img/onerror=alert(1) src=x>",
      '<a href="jav&#x61;script:alert(5)">x</a>',
      "[x](jav&#x61;script:alert(6))",
    ];
    for (const [i, body] of hostile.entries()) {
      const title = `Ostile ${i} ${Date.now().toString(36)}`;
      const res = await romaEditor.client.post("/api/library/items", {
        kind: "act",
        communityId: roma.id,
        title,
        body,
      });
      expect(res.status, body).toBe(400);
      expect((res.body as { code: string }).code).toBe("validation_failed");
      const [row] = await world.database.db
        .select({ n: count() })
        .from(libraryItems)
        .where(eq(libraryItems.title, title));
      expect(Number(row?.n)).toBe(0);
    }
    const item = await createItem(romaEditor, {
      communityId: roma.id,
      title: "Testo pulito",
      body: "# Titolo\n\nUn [link](https://example.it) e **grassetto**.",
    });
    expect(item.bodyHtml).toContain("<strong>grassetto</strong>");
    expect(item.bodyHtml).toContain('href="https://example.it"');
    // Text that only mentions a tag, or uses "<" in prose, is text: stored and shown as typed.
    for (const body of ["Use `<form>` in HTML", "Se costo < 100 e onere = 5"]) {
      const mentioned = await createItem(romaEditor, { communityId: roma.id, title: `Prosa ${body}`, body });
      expect(mentioned.body).toBe(body);
      expect(mentioned.bodyHtml).toContain("&lt;");
      expect(mentioned.bodyHtml).not.toContain("<form>");
    }
    const edit = await romaEditor.client.patch(`/api/library/items/${item.id}`, {
      body: "<script>x</script>",
    });
    expect(edit.status).toBe(400);
    const after = (await romaEditor.client.get(`/api/library/items/${item.id}`)).body as {
      item: LibraryItemDetail;
    };
    expect(after.item).toMatchObject({ version: 1, body: item.body });
  });

  test("vertical send reaches exactly the chosen descendants, nothing outside the tree", async () => {
    const { national, italia, lazio, roma, viterbo, firenze, romaEditor, viterboEditor, firenzeEditor } =
      world.tree;
    const act = await createItem(national, {
      communityId: italia.id,
      title: "Mozione nazionale sulla partecipazione digitale",
      status: "published",
    });
    // Lazio's item cannot go to Firenze (not below Lazio): refused, nothing stored.
    const lazioAct = await createItem(national, {
      communityId: lazio.id,
      title: "Atto Lazio",
      status: "published",
    });
    const outside = await national.client.post(`/api/library/items/${lazioAct.id}/send-down`, {
      target: [roma.id, firenze.id],
    });
    expect(outside.status).toBe(400);
    const [stored] = await world.database.db
      .select({ n: count() })
      .from(libraryDeliveries)
      .where(eq(libraryDeliveries.itemId, lazioAct.id));
    expect(Number(stored?.n)).toBe(0);
    // Roma's editor cannot even see Italia's community-only act: 404, nothing sent. (That a
    // member of the sending community who is no editor gets 403 is in access.integration.test.ts.)
    expect(
      (await romaEditor.client.post(`/api/library/items/${act.id}/send-down`, { target: "all" })).status,
    ).toBe(404);

    const sent = await national.client.post(`/api/library/items/${act.id}/send-down`, {
      target: [roma.id, firenze.id],
      note: "Da presentare entro marzo",
    });
    expect(sent.status).toBe(200);
    const tally = (sent.body as { tally: LibraryTally }).tally;
    expect(tally.rows.map((r) => r.community.name).sort()).toEqual(["Firenze", "Roma"]);
    expect(tally.counts).toEqual({ received: 2, adopted: 0, declined: 0, outcomes: 0 });
    // Sending again to one already reached changes nothing.
    await national.client.post(`/api/library/items/${act.id}/send-down`, { target: [roma.id] });
    const inboxOf = async (person: typeof romaEditor, slug: string) =>
      ((await person.client.get(`/api/communities/${slug}/inbox`)).body as InboxResponse).entries.filter(
        (e) => e.item.id === act.id,
      );
    expect(await inboxOf(romaEditor, roma.slug)).toHaveLength(1);
    expect(await inboxOf(firenzeEditor, firenze.slug)).toHaveLength(1);
    expect(await inboxOf(viterboEditor, viterbo.slug)).toHaveLength(0);
    // The receivers may read the item even though its audience is Italia's own members.
    expect((await firenzeEditor.client.get(`/api/library/items/${act.id}`)).status).toBe(200);
    expect((await viterboEditor.client.get(`/api/library/items/${act.id}`)).status).toBe(404);

    // "all" reaches every descendant at any depth.
    const act2 = await createItem(national, {
      communityId: italia.id,
      title: "Seconda mozione",
      status: "published",
    });
    const all = await national.client.post(`/api/library/items/${act2.id}/send-down`, { target: "all" });
    expect((all.body as { tally: LibraryTally }).tally.rows.map((r) => r.community.name).sort()).toEqual([
      "Firenze",
      "Lazio",
      "Roma",
      "Toscana",
      "Viterbo",
    ]);
  });

  test("adoption keeps provenance; decline and outcome show on the sender's tally", async () => {
    const { national, italia, roma, firenze, romaEditor, romaMember, firenzeEditor } = world.tree;
    const act = await createItem(national, {
      communityId: italia.id,
      title: "Mozione per i bilanci partecipativi",
      body: "Testo nazionale",
      status: "published",
    });
    await national.client.post(`/api/library/items/${act.id}/send-down`, { target: [roma.id, firenze.id] });
    const entry = async (person: typeof romaEditor, slug: string) =>
      ((await person.client.get(`/api/communities/${slug}/inbox`)).body as InboxResponse).entries.find(
        (e) => e.item.id === act.id,
      )!;
    const romaEntry = await entry(romaEditor, roma.slug);
    // A plain member of the receiving community may not act for it; an outsider learns nothing.
    expect((await romaMember.client.post(`/api/library/deliveries/${romaEntry.id}/adopt`)).status).toBe(403);
    expect((await firenzeEditor.client.post(`/api/library/deliveries/${romaEntry.id}/adopt`)).status).toBe(
      404,
    );

    const adopted = await romaEditor.client.post(`/api/library/deliveries/${romaEntry.id}/adopt`);
    expect(adopted.status).toBe(201);
    const copy = (adopted.body as { item: LibraryItemDetail }).item;
    expect(copy).toMatchObject({ status: "draft", adaptedFromId: act.id, community: { id: roma.id } });
    expect(copy.origins.map((o) => o.id)).toEqual([act.id]);
    expect((await romaEditor.client.post(`/api/library/deliveries/${romaEntry.id}/adopt`)).status).toBe(409);
    // Adapt it: the copy changes, the original does not.
    await romaEditor.client.patch(`/api/library/items/${copy.id}`, {
      body: "Testo adattato per Roma",
      status: "published",
    });
    const original = (await national.client.get(`/api/library/items/${act.id}`)).body as {
      item: LibraryItemDetail;
    };
    expect(original.item.body).toBe("Testo nazionale");
    expect(original.item.adaptations.map((a) => a.id)).toEqual([copy.id]);

    const firenzeEntry = await entry(firenzeEditor, firenze.slug);
    const outcome = await firenzeEditor.client.post(`/api/library/deliveries/${firenzeEntry.id}/outcome`, {
      outcome: "approved",
      on: "2026-03-12",
      note: "Approvata all'unanimità",
    });
    expect(outcome.status).toBe(200);
    const tally = (
      (await national.client.get(`/api/library/items/${act.id}/tally`)).body as { tally: LibraryTally }
    ).tally;
    expect(tally.counts).toEqual({ received: 2, adopted: 1, declined: 0, outcomes: 1 });
    const byName = Object.fromEntries(tally.rows.map((r) => [r.community.name, r]));
    expect(byName.Roma).toMatchObject({ status: "adopted", adoptedItemId: copy.id, outcome: null });
    expect(byName.Firenze).toMatchObject({
      status: "received",
      outcome: "approved",
      outcomeOn: "2026-03-12",
      outcomeNote: "Approvata all'unanimità",
    });
    // Only the sending side sees the tally.
    expect((await romaEditor.client.get(`/api/library/items/${act.id}/tally`)).status).toBe(403);
    const declined = await firenzeEditor.client.post(`/api/library/deliveries/${firenzeEntry.id}/decline`);
    expect(declined.status).toBe(200);
    expect((await romaEditor.client.post(`/api/library/deliveries/${romaEntry.id}/decline`)).status).toBe(
      409,
    );
  });

  test("search: Italian stemming, English, filters, sort and pages", async () => {
    const { roma, lazio, national, romaEditor } = world.tree;
    const tag = `srch${Date.now().toString(36)}`;
    const base = { tags: [tag], status: "published" as const, audience: "everyone" as const };
    await createItem(romaEditor, {
      ...base,
      communityId: roma.id,
      title: "Mozione sulla mobilità sostenibile",
      territory: "Roma",
    });
    await createItem(romaEditor, {
      ...base,
      kind: "practice",
      communityId: roma.id,
      title: "Bilancio partecipativo di quartiere",
      body: "Abbiamo presentato due mozioni e una interrogazione.",
    });
    await createItem(national, {
      ...base,
      kind: "resource",
      communityId: lazio.id,
      title: "Participatory budgeting motions",
      language: "en",
      territory: "Lazio",
    });
    const q = (query: string) => search(romaEditor.client, `tag=${tag}&${query}`);
    // "mozioni" (plural) finds "mozione" (singular) and the body's "mozioni".
    expect(new Set(titles(await q("q=mozioni")))).toEqual(
      new Set(["Mozione sulla mobilità sostenibile", "Bilancio partecipativo di quartiere"]),
    );
    // English stemming on an English item: "motion" finds "motions".
    expect(titles(await q("q=motion"))).toEqual(["Participatory budgeting motions"]);
    // The title weighs more than the body.
    expect(titles(await q("q=mozione&sort=relevance"))[0]).toBe("Mozione sulla mobilità sostenibile");
    expect(titles(await q("kind=practice"))).toEqual(["Bilancio partecipativo di quartiere"]);
    expect(titles(await q("territory=lazio"))).toEqual(["Participatory budgeting motions"]);
    expect(titles(await q(`community=${lazio.slug}`))).toEqual(["Participatory budgeting motions"]);
    expect(titles(await q("sort=date"))[0]).toBe("Participatory budgeting motions");
    const today = new Date().toISOString().slice(0, 10);
    expect((await q(`from=${today}&to=${today}`)).total).toBe(3);
    expect((await q("from=2001-01-01&to=2001-12-31")).total).toBe(0);
    const page1 = await q("pageSize=2&page=1&sort=date");
    const page2 = await q("pageSize=2&page=2&sort=date");
    expect(page1.total).toBe(3);
    expect(page1.items).toHaveLength(2);
    expect(page2.items).toHaveLength(1);
    // The snippet marks the matched words and escapes the rest.
    const hit = (await q("q=mozioni")).items.find((i) => i.title.startsWith("Bilancio"));
    expect(hit?.snippet).toContain("<mark>mozioni</mark>");
    // "il" is only a stop word in Italian: it filters no Italian item, and the English one lacks it.
    expect(new Set(titles(await q("q=il")))).toEqual(
      new Set(["Mozione sulla mobilità sostenibile", "Bilancio partecipativo di quartiere"]),
    );
    // Hostile query text is just words.
    expect(
      (await romaEditor.client.get(`/api/library/items?q=${encodeURIComponent("')) OR 1=1 --")}`)).status,
    ).toBe(200);
    expect((await romaEditor.client.get("/api/library/items?kind=poem")).status).toBe(400);
  });

  test("communities: only a parent's admin adds a child; the last admin stays", async () => {
    const { italia, romaEditor, national, roma } = world.tree;
    const refused = await romaEditor.client.post("/api/communities", {
      slug: `abusivo-${Date.now().toString(36)}`,
      name: "Abusivo",
      kind: "local",
      parentId: italia.id,
    });
    expect(refused.status).toBe(403);
    expect(
      (await national.client.delete(`/api/communities/${roma.slug}/members/${national.id}`)).status,
    ).toBe(409);
    const detail = await romaEditor.client.get(`/api/communities/${roma.slug}`);
    expect(
      (detail.body as { community: { ancestors: { name: string }[] } }).community.ancestors.map(
        (a) => a.name,
      ),
    ).toEqual(["Italia", "Lazio"]);
    const someone = await signUp(world.server, "Sam Someone");
    const hidden = await someone.client.get(`/api/communities/${roma.slug}`);
    expect(
      (hidden.body as { community: { members: unknown[]; memberCount: number } }).community.members,
    ).toEqual([]);
  });

  test("an organizer who edits a community ties an event to it; others may not", async () => {
    const { roma, romaEditor, romaMember } = world.tree;
    const organizer = romaEditor;
    const slug = `evento-${Date.now().toString(36)}`;
    const created = await organizer.client.post("/api/events", {
      slug,
      title: "Assemblea cittadina",
      timeZone: "Europe/Rome",
      startsAt: "2027-03-01T09:00:00",
      endsAt: "2027-03-01T13:00:00",
      languages: ["it"],
    });
    expect(created.status).toBe(201);
    // A plain member of the community organizing their own event may not put it in the community.
    const memberEvent = `evento-m-${Date.now().toString(36)}`;
    await romaMember.client.post("/api/events", {
      slug: memberEvent,
      title: "Evento di un membro",
      timeZone: "Europe/Rome",
      startsAt: "2027-03-01T09:00:00",
      endsAt: "2027-03-01T13:00:00",
      languages: ["it"],
    });
    expect(
      (await romaMember.client.put(`/api/events/${memberEvent}/community`, { communityId: roma.id })).status,
    ).toBe(403);
    // Someone outside the event's team may not either (the draft is not even visible to them).
    expect(
      (await romaMember.client.put(`/api/events/${slug}/community`, { communityId: roma.id })).status,
    ).toBe(404);
    const tied = await organizer.client.put(`/api/events/${slug}/community`, { communityId: roma.id });
    expect(tied.status).toBe(200);
    expect((tied.body as { community: { name: string } }).community.name).toBe("Roma");
    const read = await organizer.client.get(`/api/events/${slug}/community`);
    expect((read.body as { community: { id: string } | null }).community?.id).toBe(roma.id);
    const [row] = await world.database.db
      .execute<{ community_id: string }>(sql`SELECT community_id FROM events WHERE slug = ${slug}`)
      .then((r) => r.rows);
    expect(row?.community_id).toBe(roma.id);
    expect((await organizer.client.put(`/api/events/${slug}/community`, { communityId: null })).status).toBe(
      200,
    );
    expect(
      ((await organizer.client.get(`/api/events/${slug}/community`)).body as { community: null }).community,
    ).toBeNull();
  });

  test("the stored search vector uses the item's language", async () => {
    const { roma, romaEditor } = world.tree;
    const item = await createItem(romaEditor, { communityId: roma.id, title: "Le mozioni approvate" });
    const rows = await world.database.db.execute<{ v: string }>(
      sql`SELECT search::text AS v FROM library_items WHERE id = ${item.id}`,
    );
    expect(rows.rows[0]?.v).toContain("'mozion'");
  });
});
