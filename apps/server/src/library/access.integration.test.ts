// Who may do what in communities and the library, on both databases: a published item's audience
// is its editors' call; the sending side's tools (send down, tally, descendants) are for its
// editors, not for any member who can read the item; members' tools are for admins; only a
// platform operator starts a top-level community; and a community's page lists its public events.
import { describe, expect, test } from "vitest";
import { communities, count, eq, libraryDeliveries, libraryItems, users } from "@convivio/db";
import { testDatabases } from "@convivio/db/testing";
import type {
  CommunityListResponse,
  CommunityMember,
  CommunityResponse,
  LibraryItemDetail,
} from "@convivio/protocol";
import { DAY_MS, createEvent } from "../test/events.js";
import { addMember, createCommunity, createItem, signUp, useLibraryWorld } from "../test/library.js";

describe.each(testDatabases())("library access on $driver", ({ open }) => {
  const world = useLibraryWorld(open);

  const audienceOf = async (itemId: string) =>
    (
      await world.database.db
        .select({ audience: libraryItems.audience })
        .from(libraryItems)
        .where(eq(libraryItems.id, itemId))
    )[0]?.audience;

  test("a plain member may fix a published item's text but not change who sees it", async () => {
    const { roma, romaEditor, romaMember, outsider } = world.tree;
    const draft = await createItem(romaMember, { communityId: roma.id, title: "Proposta di Rita" });
    // On a draft the audience reaches nobody yet: its author may set it.
    const own = await romaMember.client.patch(`/api/library/items/${draft.id}`, { audience: "siblings" });
    expect(own.status).toBe(200);
    expect(
      (await romaEditor.client.patch(`/api/library/items/${draft.id}`, { status: "published" })).status,
    ).toBe(200);

    for (const audience of ["everyone", "community"] as const) {
      const refused = await romaMember.client.patch(`/api/library/items/${draft.id}`, { audience });
      expect(refused.status, audience).toBe(403);
      expect((refused.body as { code: string }).code).toBe("forbidden");
    }
    expect(await audienceOf(draft.id)).toBe("siblings");
    expect((await outsider.client.get(`/api/library/items/${draft.id}`)).status).toBe(404);
    // Widening slipped into a text edit is refused whole: neither the text nor the audience change.
    const sneaky = await romaMember.client.patch(`/api/library/items/${draft.id}`, {
      body: "Testo nuovo",
      audience: "everyone",
    });
    expect(sneaky.status).toBe(403);
    expect(await audienceOf(draft.id)).toBe("siblings");

    const fixed = await romaMember.client.patch(`/api/library/items/${draft.id}`, {
      body: "Refuso corretto",
    });
    expect(fixed.status).toBe(200);
    expect((fixed.body as { item: LibraryItemDetail }).item).toMatchObject({
      body: "Refuso corretto",
      audience: "siblings",
      version: 2,
    });
    // The community's editor decides it.
    expect(
      (await romaEditor.client.patch(`/api/library/items/${draft.id}`, { audience: "everyone" })).status,
    ).toBe(200);
    expect((await outsider.client.get(`/api/library/items/${draft.id}`)).status).toBe(200);
  });

  test("a member of the sending community who is no editor gets 403 on send-down, tally and descendants", async () => {
    const { national, italia, roma, italiaMember, italiaEditor } = world.tree;
    const act = await createItem(national, {
      communityId: italia.id,
      title: "Atto per i soli membri di Italia",
      status: "published",
    });
    // The member can read it: the refusals below are about the role, not about seeing the item.
    expect((await italiaMember.client.get(`/api/library/items/${act.id}`)).status).toBe(200);
    const send = await italiaMember.client.post(`/api/library/items/${act.id}/send-down`, {
      target: [roma.id],
    });
    expect(send.status).toBe(403);
    expect((send.body as { code: string }).code).toBe("forbidden");
    expect((await italiaMember.client.get(`/api/library/items/${act.id}/tally`)).status).toBe(403);
    expect((await italiaMember.client.get(`/api/library/items/${act.id}/descendants`)).status).toBe(403);
    const [stored] = await world.database.db
      .select({ n: count() })
      .from(libraryDeliveries)
      .where(eq(libraryDeliveries.itemId, act.id));
    expect(Number(stored?.n)).toBe(0);
    // An editor of the same community may.
    expect(
      (await italiaEditor.client.post(`/api/library/items/${act.id}/send-down`, { target: [roma.id] }))
        .status,
    ).toBe(200);
    expect((await italiaEditor.client.get(`/api/library/items/${act.id}/tally`)).status).toBe(200);
  });

  test("a plain member gets 403 on adding, changing and removing members, and on the inbox", async () => {
    const { national, roma, romaEditor, romaMember, outsider } = world.tree;
    const members = async () =>
      ((await national.client.get(`/api/communities/${roma.slug}`)).body as CommunityResponse).community
        .members;
    const before = await members();
    const add = await romaMember.client.post(`/api/communities/${roma.slug}/members`, {
      email: outsider.email,
      role: "admin",
    });
    expect(add.status).toBe(403);
    const change = await romaMember.client.patch(`/api/communities/${roma.slug}/members/${romaEditor.id}`, {
      role: "member",
    });
    expect(change.status).toBe(403);
    const remove = await romaMember.client.delete(`/api/communities/${roma.slug}/members/${romaEditor.id}`);
    expect(remove.status).toBe(403);
    expect((await romaMember.client.get(`/api/communities/${roma.slug}/inbox`)).status).toBe(403);
    // An editor is no admin either.
    expect(
      (
        await romaEditor.client.post(`/api/communities/${roma.slug}/members`, {
          email: outsider.email,
          role: "member",
        })
      ).status,
    ).toBe(403);
    expect(await members()).toEqual(before);
  });

  test("admins change roles and remove members; the last admin stays", async () => {
    const { national, lazio } = world.tree;
    const ostia = await createCommunity(national, "Ostia", "local", lazio.id);
    const anna = await signUp(world.server, "Anna Ostia");
    await addMember(national, ostia, anna, "member");
    const path = (userId: string) => `/api/communities/${ostia.slug}/members/${userId}`;
    const promoted = await national.client.patch(path(anna.id), { role: "editor" });
    expect(promoted.status).toBe(200);
    expect((promoted.body as { member: CommunityMember }).member).toMatchObject({
      userId: anna.id,
      name: "Anna Ostia",
      role: "editor",
    });
    // The only admin cannot step down.
    expect((await national.client.patch(path(national.id), { role: "member" })).status).toBe(409);
    // Someone who is not a member: nothing to change.
    expect((await national.client.patch(path(world.tree.outsider.id), { role: "admin" })).status).toBe(404);
    expect((await national.client.patch(path(anna.id), { role: "admin" })).status).toBe(200);
    expect((await national.client.patch(path(national.id), { role: "editor" })).status).toBe(200);
    // Now Anna is the admin: she removes the former one, who can no longer manage members.
    expect((await national.client.delete(path(anna.id))).status).toBe(403);
    expect((await anna.client.delete(path(national.id))).status).toBe(204);
    expect((await anna.client.delete(path(anna.id))).status).toBe(409);
    const detail = ((await anna.client.get(`/api/communities/${ostia.slug}`)).body as CommunityResponse)
      .community;
    expect(detail.members).toEqual([{ userId: anna.id, name: "Anna Ostia", role: "admin" }]);
  });

  test("only a platform operator with a verified email starts a top-level community", async () => {
    const { national, romaEditor, outsider } = world.tree;
    const slug = (name: string) => `${name}-${Date.now().toString(36)}`;
    const stored = async (s: string) =>
      (await world.database.db.select().from(communities).where(eq(communities.slug, s))).length;
    const list = async (client: typeof outsider.client) =>
      (await client.get("/api/communities")).body as CommunityListResponse;

    for (const person of [outsider, romaEditor]) {
      const s = slug("abusiva");
      const res = await person.client.post("/api/communities", {
        slug: s,
        name: "Abusiva",
        kind: "thematic",
      });
      expect(res.status, person.name).toBe(403);
      expect(await stored(s)).toBe(0);
      expect((await list(person.client)).canCreateTopLevel).toBe(false);
    }
    expect((await list(world.server.client())).canCreateTopLevel).toBe(false);
    expect((await list(national.client)).canCreateTopLevel).toBe(true);

    // The operator's address alone is not enough: it must be verified (someone could have signed
    // up with it first).
    await world.database.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, national.id));
    const unverified = slug("pratica");
    expect(
      (
        await national.client.post("/api/communities", {
          slug: unverified,
          name: "Pratica",
          kind: "thematic",
        })
      ).status,
    ).toBe(403);
    expect(await stored(unverified)).toBe(0);
    await world.database.db
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(eq(users.id, national.id));

    const s = slug("pratica");
    const created = await national.client.post("/api/communities", {
      slug: s,
      name: "Pratica",
      kind: "thematic",
    });
    expect(created.status).toBe(201);
    expect((created.body as CommunityResponse).community).toMatchObject({ myRole: "admin", parentId: null });
  });

  test("a community's page lists its public events, coming ones first; the event names its community", async () => {
    const { romaEditor, roma } = world.tree;
    const now = Date.now();
    const soon = await createEvent(romaEditor.client, {
      title: "Assemblea tra una settimana",
      startsAt: now + 7 * DAY_MS,
    });
    const later = await createEvent(romaEditor.client, {
      title: "Assemblea tra un mese",
      startsAt: now + 30 * DAY_MS,
    });
    const past = await createEvent(romaEditor.client, {
      title: "Assemblea passata",
      startsAt: now - 30 * DAY_MS,
    });
    const unlisted = await createEvent(romaEditor.client, {
      title: "Riunione riservata",
      visibility: "unlisted",
    });
    const draft = await createEvent(romaEditor.client, { title: "Bozza di evento", visibility: "draft" });
    for (const event of [later, past, soon, unlisted, draft]) {
      const tied = await romaEditor.client.put(`/api/events/${event.slug}/community`, {
        communityId: roma.id,
      });
      expect(tied.status).toBe(200);
    }
    const page = (await world.server.client().get(`/api/communities/${roma.slug}`)).body as CommunityResponse;
    expect(page.community.events.map((e) => e.title)).toEqual([
      "Assemblea tra una settimana",
      "Assemblea tra un mese",
      "Assemblea passata",
    ]);
    expect(page.community.events[0]).toMatchObject({ slug: soon.slug, timeZone: "Europe/Rome" });
    // The public event page asks which community the event belongs to, signed in or not.
    const of = await world.server.client().get(`/api/events/${soon.slug}/community`);
    expect(of.status).toBe(200);
    expect((of.body as { community: { name: string; slug: string } }).community).toMatchObject({
      name: "Roma",
      slug: roma.slug,
    });
    expect((await world.server.client().get(`/api/events/${draft.slug}/community`)).status).toBe(404);
  });
});
