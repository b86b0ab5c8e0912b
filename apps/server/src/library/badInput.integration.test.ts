// Invariant 10 for communities and the library: malformed JSON, unknown fields, wrong types,
// oversize titles, comments and outcome notes, NUL characters (PostgreSQL text cannot hold them),
// impossible dates, ids of things in other
// communities or another tree, and other people's drafts and deliveries are each answered with a
// clear 4xx problem, and the database is exactly as before (every table compared), on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { libraryDigestWeeks } from "@convivio/db";
import { testDatabases, type TestDatabase } from "@convivio/db/testing";
import { LIBRARY_LIMITS, type InboxResponse, type ItemComment } from "@convivio/protocol";
import { expectRefusedAndUnchanged, snapshot, type BadInputCase } from "../test/badInput.js";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import { createEvent, signUpOrganizer } from "../test/events.js";
import { LIBRARY_TEST_ENV, createCommunity, createItem, createTree } from "../test/library.js";

const NIL = "00000000-0000-4000-8000-000000000000";

type Case = BadInputCase<
  | "operator"
  | "italiaEditor"
  | "romaEditor"
  | "romaMember"
  | "firenzeEditor"
  | "outsider"
  | "organizer"
  | "anon"
>;

describe.each(testDatabases())("library bad input on $driver", ({ open }) => {
  let database: TestDatabase;
  let server: TestServer;
  let clients: Record<Case["as"], TestClient>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await open();
    server = await startTestServer({ database, env: LIBRARY_TEST_ENV });
    const tree = await createTree(server);
    const { national, italia, lazio, roma, firenze, italiaEditor, romaEditor, romaMember, firenzeEditor } =
      tree;
    const organizer = await signUpOrganizer(server, "Olga Organizer");
    clients = {
      operator: national.client,
      italiaEditor: italiaEditor.client,
      romaEditor: romaEditor.client,
      romaMember: romaMember.client,
      firenzeEditor: firenzeEditor.client,
      outsider: tree.outsider.client,
      organizer,
      anon: server.client(),
    };
    Object.assign(ids, {
      italia: italia.id,
      lazio: lazio.id,
      roma: roma.id,
      romaSlug: roma.slug,
      firenze: firenze.id,
      firenzeSlug: firenze.slug,
      italiaSlug: italia.slug,
      romaEditorId: romaEditor.id,
      romaMemberId: romaMember.id,
      nationalId: national.id,
    });
    // Another tree: a top-level community of its own, with a child.
    const elsewhere = await createCommunity(national, "Altrove", "national");
    const elsewhereChild = await createCommunity(national, "Altrove sud", "regional", elsewhere.id);
    ids.elsewhereChild = elsewhereChild.id;

    ids.draft = (await createItem(romaMember, { communityId: roma.id, title: "Bozza di Rita" })).id;
    ids.romaOnly = (
      await createItem(romaEditor, { communityId: roma.id, title: "Solo Roma", status: "published" })
    ).id;
    ids.unpublished = (await createItem(italiaEditor, { communityId: italia.id, title: "Non ancora" })).id;
    const act = await createItem(italiaEditor, {
      communityId: italia.id,
      title: "Atto nazionale",
      status: "published",
      audience: "everyone",
    });
    ids.act = act.id;
    const sent = await italiaEditor.client.post(`/api/library/items/${act.id}/send-down`, {
      target: [roma.id, firenze.id],
    });
    if (sent.status !== 200) throw new Error(sent.text);
    const deliveryIn = async (client: TestClient, slug: string) =>
      ((await client.get(`/api/communities/${slug}/inbox`)).body as InboxResponse).entries.find(
        (e) => e.item.id === act.id,
      )!.id;
    ids.romaDelivery = await deliveryIn(romaEditor.client, roma.slug);
    ids.firenzeDelivery = await deliveryIn(firenzeEditor.client, firenze.slug);
    const adopted = await romaEditor.client.post(`/api/library/deliveries/${ids.romaDelivery}/adopt`);
    if (adopted.status !== 201) throw new Error(adopted.text);

    // Sent down to Firenze, then withdrawn by its community before Firenze decided.
    const withdrawn = await createItem(italiaEditor, {
      communityId: italia.id,
      title: "Ritirato",
      status: "published",
    });
    await italiaEditor.client.post(`/api/library/items/${withdrawn.id}/send-down`, { target: [firenze.id] });
    await italiaEditor.client.patch(`/api/library/items/${withdrawn.id}`, { status: "withdrawn" });
    ids.withdrawnDelivery = (
      (await firenzeEditor.client.get(`/api/communities/${firenze.slug}/inbox`)).body as InboxResponse
    ).entries.find((e) => e.item.id === withdrawn.id)!.id;

    const comment = async (client: TestClient, itemId: string, body: string) =>
      (
        (await client.post(`/api/library/items/${itemId}/comments`, { body })).body as {
          comment: ItemComment;
        }
      ).comment.id;
    ids.firenzeComment = await comment(firenzeEditor.client, act.id, "Da Firenze");
    ids.romaOnlyComment = await comment(romaMember.client, ids.romaOnly, "Tra noi");
    await romaMember.client.post("/api/library/follows", { kind: "tag", target: "bilancio" });
    ids.event = (await createEvent(organizer)).slug;
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it("answers every bad request with a clear 4xx and changes nothing", { timeout: 180_000 }, async () => {
    const long = (n: number) => "x".repeat(n);
    const I = `/api/library/items`;
    const ACT = `${I}/${ids.act}`;
    const item = { kind: "act", communityId: ids.roma, title: "Nuovo" };
    const D = (id: string) => `/api/library/deliveries/${id}`;
    const outcome = { outcome: "approved", on: "2026-03-12", note: "" };
    const community = {
      slug: `nuova-${Date.now().toString(36)}`,
      name: "Nuova",
      kind: "local",
      parentId: ids.roma,
    };
    const cases: Case[] = [
      // ---- communities ----
      {
        name: "community: malformed JSON",
        as: "operator",
        method: "POST",
        path: "/api/communities",
        body: '{"slug": ',
        status: 400,
        code: "bad_request",
      },
      {
        name: "community: unknown field",
        as: "operator",
        method: "POST",
        path: "/api/communities",
        body: { ...community, owner: "me" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "community: name a number",
        as: "operator",
        method: "POST",
        path: "/api/communities",
        body: { ...community, name: 42 },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "community: oversize name",
        as: "operator",
        method: "POST",
        path: "/api/communities",
        body: { ...community, name: long(121) },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "community: oversize description",
        as: "operator",
        method: "POST",
        path: "/api/communities",
        body: { ...community, description: long(4_001) },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "community: unknown kind",
        as: "operator",
        method: "POST",
        path: "/api/communities",
        body: { ...community, kind: "galactic" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "community: slug with spaces",
        as: "operator",
        method: "POST",
        path: "/api/communities",
        body: { ...community, slug: "con spazi" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "community: slug taken",
        as: "operator",
        method: "POST",
        path: "/api/communities",
        body: { ...community, slug: ids.romaSlug },
        status: 409,
        code: "conflict",
      },
      {
        name: "community: parent unknown",
        as: "operator",
        method: "POST",
        path: "/api/communities",
        body: { ...community, parentId: NIL },
        status: 404,
        code: "not_found",
      },
      {
        name: "community: below a community one does not admin",
        as: "romaEditor",
        method: "POST",
        path: "/api/communities",
        body: community,
        status: 403,
        code: "forbidden",
      },
      {
        name: "community: top-level by someone who is no operator",
        as: "italiaEditor",
        method: "POST",
        path: "/api/communities",
        body: { ...community, parentId: null },
        status: 403,
        code: "forbidden",
      },
      {
        name: "community: anonymous",
        as: "anon",
        method: "POST",
        path: "/api/communities",
        body: community,
        status: 401,
        code: "unauthenticated",
      },
      {
        name: "community: unknown slug",
        as: "anon",
        method: "GET",
        path: "/api/communities/nessuna-comunita",
        status: 404,
        code: "not_found",
      },
      // ---- members ----
      {
        name: "member: bad email",
        as: "operator",
        method: "POST",
        path: `/api/communities/${ids.romaSlug}/members`,
        body: { email: "nope", role: "member" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "member: unknown role",
        as: "operator",
        method: "POST",
        path: `/api/communities/${ids.romaSlug}/members`,
        body: { email: "x@example.it", role: "owner" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "member: nobody with that email",
        as: "operator",
        method: "POST",
        path: `/api/communities/${ids.romaSlug}/members`,
        body: { email: "nessuno@example.it", role: "member" },
        status: 404,
        code: "not_found",
      },
      {
        name: "member: added by an editor who is no admin",
        as: "romaEditor",
        method: "POST",
        path: `/api/communities/${ids.romaSlug}/members`,
        body: { email: "x@example.it", role: "member" },
        status: 403,
        code: "forbidden",
      },
      {
        name: "member: role change by a plain member",
        as: "romaMember",
        method: "PATCH",
        path: `/api/communities/${ids.romaSlug}/members/${ids.romaMemberId}`,
        body: { role: "admin" },
        status: 403,
        code: "forbidden",
      },
      {
        name: "member: id not a uuid",
        as: "operator",
        method: "PATCH",
        path: `/api/communities/${ids.romaSlug}/members/42`,
        body: { role: "editor" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "member: someone of another community",
        as: "operator",
        method: "PATCH",
        path: `/api/communities/${ids.firenzeSlug}/members/${ids.romaEditorId}`,
        body: { role: "admin" },
        status: 404,
        code: "not_found",
      },
      {
        name: "member: the last admin demoted",
        as: "operator",
        method: "PATCH",
        path: `/api/communities/${ids.romaSlug}/members/${ids.nationalId}`,
        body: { role: "member" },
        status: 409,
        code: "conflict",
      },
      {
        name: "member: the last admin leaves",
        as: "operator",
        method: "DELETE",
        path: `/api/communities/${ids.romaSlug}/members/${ids.nationalId}`,
        status: 409,
        code: "conflict",
      },
      {
        name: "member: removed by someone who is no admin",
        as: "romaEditor",
        method: "DELETE",
        path: `/api/communities/${ids.romaSlug}/members/${ids.romaMemberId}`,
        status: 403,
        code: "forbidden",
      },
      {
        name: "inbox: of a community one does not edit",
        as: "romaMember",
        method: "GET",
        path: `/api/communities/${ids.romaSlug}/inbox`,
        status: 403,
        code: "forbidden",
      },
      {
        name: "event community: one the organizer does not edit",
        as: "organizer",
        method: "PUT",
        path: `/api/events/${ids.event}/community`,
        body: { communityId: ids.roma },
        status: 403,
        code: "forbidden",
      },
      {
        name: "event community: id not a uuid",
        as: "organizer",
        method: "PUT",
        path: `/api/events/${ids.event}/community`,
        body: { communityId: "roma" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "event community: another organizer's event",
        as: "romaEditor",
        method: "PUT",
        path: `/api/events/${ids.event}/community`,
        body: { communityId: ids.roma },
        status: 403,
        code: "forbidden",
      },
      // ---- items ----
      {
        name: "item: malformed JSON",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: '{"title": "x",',
        status: 400,
        code: "bad_request",
      },
      {
        name: "item: not JSON",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: "title=x",
        headers: { "content-type": "text/plain" },
        status: 415,
        code: "unsupported_media_type",
      },
      {
        name: "item: unknown field",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, authorId: ids.nationalId },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: title a number",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, title: 7 },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: tags a string",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, tags: "bilancio" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: oversize title",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, title: long(LIBRARY_LIMITS.titleMaxLength + 1) },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: blank title",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, title: "   " },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: oversize summary",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, summary: long(LIBRARY_LIMITS.summaryMaxLength + 1) },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: too many tags",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, tags: Array.from({ length: LIBRARY_LIMITS.maxTags + 1 }, (_, i) => `t${i}`) },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: tag with markup",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, tags: ["<b>"] },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: created withdrawn",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, status: "withdrawn" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: unknown language",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, language: "xx" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: community id not a uuid",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, communityId: "roma" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: in another community",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, communityId: ids.firenze },
        status: 403,
        code: "forbidden",
      },
      {
        name: "item: in a community that does not exist",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, communityId: NIL },
        status: 403,
        code: "forbidden",
      },
      {
        name: "item: published by a plain member",
        as: "romaMember",
        method: "POST",
        path: I,
        body: { ...item, status: "published" },
        status: 403,
        code: "forbidden",
      },
      {
        name: "item: for the siblings of a top-level community",
        as: "italiaEditor",
        method: "POST",
        path: I,
        body: { ...item, communityId: ids.italia, audience: "siblings" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: script in Markdown",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, body: "Ciao <script>alert(1)</script>" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: body one character over its length limit",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, body: long(LIBRARY_LIMITS.bodyMaxLength + 1) },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "item: body over the request limit",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, body: long(600_000) },
        status: 413,
        code: "payload_too_large",
      },
      {
        name: "item: anonymous",
        as: "anon",
        method: "POST",
        path: I,
        body: item,
        status: 401,
        code: "unauthenticated",
      },
      {
        name: "edit: nothing to change",
        as: "romaEditor",
        method: "PATCH",
        path: `${I}/${ids.romaOnly}`,
        body: {},
        status: 400,
        code: "validation_failed",
      },
      {
        name: "edit: unknown field",
        as: "romaEditor",
        method: "PATCH",
        path: `${I}/${ids.romaOnly}`,
        body: { communityId: ids.firenze },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "edit: oversize title",
        as: "romaEditor",
        method: "PATCH",
        path: `${I}/${ids.romaOnly}`,
        body: { title: long(LIBRARY_LIMITS.titleMaxLength + 1) },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "edit: unknown status",
        as: "romaEditor",
        method: "PATCH",
        path: `${I}/${ids.romaOnly}`,
        body: { status: "archived" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "edit: another community's draft",
        as: "firenzeEditor",
        method: "PATCH",
        path: `${I}/${ids.draft}`,
        body: { title: "Mia" },
        status: 404,
        code: "not_found",
      },
      {
        name: "edit: a draft of one's community by a plain member who did not write it",
        as: "romaMember",
        method: "PATCH",
        path: `${I}/${ids.romaOnly}`,
        body: { title: "Mia" },
        status: 403,
        code: "forbidden",
      },
      {
        name: "edit: script in Markdown",
        as: "romaEditor",
        method: "PATCH",
        path: `${I}/${ids.romaOnly}`,
        body: { body: '<iframe src="https://example.com"></iframe>' },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "edit: id not a uuid",
        as: "romaEditor",
        method: "PATCH",
        path: `${I}/42`,
        body: { title: "x" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "read: another community's draft",
        as: "firenzeEditor",
        method: "GET",
        path: `${I}/${ids.draft}`,
        status: 404,
        code: "not_found",
      },
      {
        name: "read: versions of another community's draft",
        as: "anon",
        method: "GET",
        path: `${I}/${ids.draft}/versions`,
        status: 404,
        code: "not_found",
      },
      // ---- search ----
      {
        name: "search: unknown parameter",
        as: "anon",
        method: "GET",
        path: `${I}?owner=me`,
        status: 400,
        code: "validation_failed",
      },
      {
        name: "search: page too large",
        as: "anon",
        method: "GET",
        path: `${I}?pageSize=1000`,
        status: 400,
        code: "validation_failed",
      },
      {
        name: "search: 31 April",
        as: "anon",
        method: "GET",
        path: `${I}?from=2026-04-31`,
        status: 400,
        code: "validation_failed",
      },
      {
        name: "search: oversize query",
        as: "anon",
        method: "GET",
        path: `${I}?q=${long(LIBRARY_LIMITS.queryMaxLength + 1)}`,
        status: 400,
        code: "validation_failed",
      },
      // ---- vertical sharing ----
      {
        name: "send down: to a community of another tree",
        as: "italiaEditor",
        method: "POST",
        path: `${ACT}/send-down`,
        body: { target: [ids.elsewhereChild] },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "send down: to its own community",
        as: "italiaEditor",
        method: "POST",
        path: `${ACT}/send-down`,
        body: { target: [ids.italia] },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "send down: to nobody",
        as: "italiaEditor",
        method: "POST",
        path: `${ACT}/send-down`,
        body: { target: [] },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "send down: target a string",
        as: "italiaEditor",
        method: "POST",
        path: `${ACT}/send-down`,
        body: { target: "some" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "send down: oversize note",
        as: "italiaEditor",
        method: "POST",
        path: `${ACT}/send-down`,
        body: { target: "all", note: long(LIBRARY_LIMITS.noteMaxLength + 1) },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "send down: an item not published yet",
        as: "italiaEditor",
        method: "POST",
        path: `${I}/${ids.unpublished}/send-down`,
        body: { target: "all" },
        status: 409,
        code: "conflict",
      },
      {
        name: "send down: by an editor of a community below",
        as: "romaEditor",
        method: "POST",
        path: `${ACT}/send-down`,
        body: { target: [ids.roma] },
        status: 403,
        code: "forbidden",
      },
      {
        name: "tally: by a receiver",
        as: "firenzeEditor",
        method: "GET",
        path: `${ACT}/tally`,
        status: 403,
        code: "forbidden",
      },
      {
        name: "adopt: another community's delivery",
        as: "firenzeEditor",
        method: "POST",
        path: `${D(ids.romaDelivery!)}/adopt`,
        status: 404,
        code: "not_found",
      },
      {
        name: "adopt: twice",
        as: "romaEditor",
        method: "POST",
        path: `${D(ids.romaDelivery!)}/adopt`,
        status: 409,
        code: "conflict",
      },
      {
        name: "adopt: with a body",
        as: "firenzeEditor",
        method: "POST",
        path: `${D(ids.firenzeDelivery!)}/adopt`,
        body: { title: "Mia" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "decline: once adopted",
        as: "romaEditor",
        method: "POST",
        path: `${D(ids.romaDelivery!)}/decline`,
        status: 409,
        code: "conflict",
      },
      {
        name: "decline: an unknown delivery",
        as: "romaEditor",
        method: "POST",
        path: `${D(NIL)}/decline`,
        status: 404,
        code: "not_found",
      },
      {
        name: "outcome: unknown value",
        as: "firenzeEditor",
        method: "POST",
        path: `${D(ids.firenzeDelivery!)}/outcome`,
        body: { ...outcome, outcome: "vetoed" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "outcome: 30 February",
        as: "firenzeEditor",
        method: "POST",
        path: `${D(ids.firenzeDelivery!)}/outcome`,
        body: { ...outcome, on: "2026-02-30" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "outcome: oversize note",
        as: "firenzeEditor",
        method: "POST",
        path: `${D(ids.firenzeDelivery!)}/outcome`,
        body: { ...outcome, note: long(LIBRARY_LIMITS.noteMaxLength + 1) },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "outcome: unknown field",
        as: "firenzeEditor",
        method: "POST",
        path: `${D(ids.firenzeDelivery!)}/outcome`,
        body: { ...outcome, votes: 12 },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "outcome: for another community's delivery",
        as: "romaEditor",
        method: "POST",
        path: `${D(ids.firenzeDelivery!)}/outcome`,
        body: outcome,
        status: 404,
        code: "not_found",
      },
      {
        name: "outcome: by a plain member of the receiver",
        as: "romaMember",
        method: "POST",
        path: `${D(ids.romaDelivery!)}/outcome`,
        body: outcome,
        status: 403,
        code: "forbidden",
      },
      {
        name: "item: NUL in the title",
        as: "romaEditor",
        method: "POST",
        path: I,
        body: { ...item, title: "Mozione\u0000" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "edit: NUL in the body",
        as: "romaEditor",
        method: "PATCH",
        path: `${I}/${ids.romaOnly}`,
        body: { body: "Testo\u0000" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "search: NUL in the words",
        as: "anon",
        method: "GET",
        path: `${I}?q=bilancio%00`,
        status: 400,
        code: "validation_failed",
      },
      {
        name: "comment: NUL in it",
        as: "firenzeEditor",
        method: "POST",
        path: `${ACT}/comments`,
        body: { body: "Ciao\u0000" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "outcome: NUL in the note",
        as: "firenzeEditor",
        method: "POST",
        path: `${D(ids.firenzeDelivery!)}/outcome`,
        body: { ...outcome, note: "Approvata\u0000" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "community: NUL in the name",
        as: "operator",
        method: "POST",
        path: "/api/communities",
        body: { ...community, name: "Nuova\u0000" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "adopt: an item withdrawn since it was sent",
        as: "firenzeEditor",
        method: "POST",
        path: `${D(ids.withdrawnDelivery!)}/adopt`,
        status: 409,
        code: "conflict",
      },
      // ---- feedback ----
      {
        name: "comment: empty",
        as: "firenzeEditor",
        method: "POST",
        path: `${ACT}/comments`,
        body: { body: "   " },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "comment: oversize",
        as: "firenzeEditor",
        method: "POST",
        path: `${ACT}/comments`,
        body: { body: long(LIBRARY_LIMITS.commentMaxLength + 1) },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "comment: a number",
        as: "firenzeEditor",
        method: "POST",
        path: `${ACT}/comments`,
        body: { body: 5 },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "comment: unknown field",
        as: "firenzeEditor",
        method: "POST",
        path: `${ACT}/comments`,
        body: { body: "Ciao", authorId: ids.nationalId },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "comment: malformed JSON",
        as: "firenzeEditor",
        method: "POST",
        path: `${ACT}/comments`,
        body: '{"body": "Ciao"',
        status: 400,
        code: "bad_request",
      },
      {
        name: "comment: on an item one may not see",
        as: "firenzeEditor",
        method: "POST",
        path: `${I}/${ids.romaOnly}/comments`,
        body: { body: "Ciao" },
        status: 404,
        code: "not_found",
      },
      {
        name: "comment: anonymous",
        as: "anon",
        method: "POST",
        path: `${ACT}/comments`,
        body: { body: "Ciao" },
        status: 401,
        code: "unauthenticated",
      },
      {
        name: "remove comment: someone else's",
        as: "romaEditor",
        method: "DELETE",
        path: `${ACT}/comments/${ids.firenzeComment}`,
        status: 403,
        code: "forbidden",
      },
      {
        name: "remove comment: through another item",
        as: "romaEditor",
        method: "DELETE",
        path: `${I}/${ids.romaOnly}/comments/${ids.firenzeComment}`,
        status: 404,
        code: "not_found",
      },
      {
        name: "remove comment: of an item one may not see",
        as: "firenzeEditor",
        method: "DELETE",
        path: `${I}/${ids.romaOnly}/comments/${ids.romaOnlyComment}`,
        status: 404,
        code: "not_found",
      },
      {
        name: "remove comment: id not a uuid",
        as: "firenzeEditor",
        method: "DELETE",
        path: `${ACT}/comments/1`,
        status: 400,
        code: "validation_failed",
      },
      {
        name: "useful: with a body",
        as: "firenzeEditor",
        method: "PUT",
        path: `${ACT}/useful`,
        body: { count: 10 },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "useful: an item one may not see",
        as: "firenzeEditor",
        method: "PUT",
        path: `${I}/${ids.romaOnly}/useful`,
        status: 404,
        code: "not_found",
      },
      {
        name: "follow: unknown kind",
        as: "romaMember",
        method: "POST",
        path: "/api/library/follows",
        body: { kind: "person", target: ids.nationalId },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "follow: tag with markup",
        as: "romaMember",
        method: "POST",
        path: "/api/library/follows",
        body: { kind: "tag", target: "<script>" },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "follow: community that does not exist",
        as: "romaMember",
        method: "POST",
        path: "/api/library/follows",
        body: { kind: "community", target: NIL },
        status: 404,
        code: "not_found",
      },
      {
        name: "follow: community by slug, not id",
        as: "romaMember",
        method: "POST",
        path: "/api/library/follows",
        body: { kind: "community", target: ids.romaSlug },
        status: 400,
        code: "validation_failed",
      },
      {
        name: "unfollow: unknown field",
        as: "romaMember",
        method: "POST",
        path: "/api/library/follows/remove",
        body: { kind: "tag", target: "bilancio", all: true },
        status: 400,
        code: "validation_failed",
      },
      // ---- attachments and boards ----
      {
        name: "attachment: HTML",
        as: "romaEditor",
        method: "POST",
        path: `${I}/${ids.romaOnly}/attachments?filename=x.html`,
        body: "<script>alert(1)</script>",
        headers: { "content-type": "text/html" },
        status: 415,
        code: "unsupported_media_type",
      },
      {
        name: "attachment: text sent as a PDF",
        as: "romaEditor",
        method: "POST",
        path: `${I}/${ids.romaOnly}/attachments?filename=x.pdf`,
        body: "not a pdf",
        headers: { "content-type": "application/pdf" },
        status: 415,
        code: "unsupported_media_type",
      },
      {
        name: "attachment: to another community's draft",
        as: "firenzeEditor",
        method: "POST",
        path: `${I}/${ids.draft}/attachments?filename=x.pdf`,
        body: "%PDF-1.4\n",
        headers: { "content-type": "application/pdf" },
        status: 404,
        code: "not_found",
      },
      {
        name: "attachment: unknown one",
        as: "anon",
        method: "GET",
        path: `${ACT}/attachments/${NIL}`,
        status: 404,
        code: "not_found",
      },
      {
        name: "board results: unknown board",
        as: "romaEditor",
        method: "POST",
        path: `/api/boards/${NIL}/library`,
        body: {},
        status: 404,
        code: "not_found",
      },
      {
        name: "board results: board id not a uuid",
        as: "romaEditor",
        method: "POST",
        path: "/api/boards/1/library",
        body: {},
        status: 400,
        code: "validation_failed",
      },
      {
        name: "promote idea: unknown field",
        as: "romaEditor",
        method: "POST",
        path: `/api/boards/${NIL}/ideas/${NIL}/library`,
        body: { kind: "practice", title: "x" },
        status: 400,
        code: "validation_failed",
      },
    ];

    // The start-up's digest catch-up writes its week once; let it land before the snapshot.
    await expect
      .poll(async () => (await database.db.select().from(libraryDigestWeeks)).length, { timeout: 15_000 })
      .toBe(1);
    const before = await expectRefusedAndUnchanged(database, clients, cases);
    // The snapshot does see a change: one good request afterwards moves it.
    expect((await clients.firenzeEditor.post(`${ACT}/comments`, { body: "Un commento valido" })).status).toBe(
      201,
    );
    expect((await snapshot(database)).library_comments).not.toEqual(before.library_comments);
  });
});
