// "Sibling communities" on both databases: communities are siblings when they share a parent, so a
// top-level community has none. Its items may be for the community or for everyone; "siblings" is
// refused with a 400 naming the field, on create and edit, and nothing is stored. Below the top the
// audience reaches the parent's other children. Migration 0011 turns the "siblings" items of
// top-level communities (which reached nobody beyond the community) into "community" items.
import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { MIGRATIONS_DIR, count, eq, libraryItems, migrate, sql } from "@convivio/db";
import { testDatabases } from "@convivio/db/testing";
import type { LibraryItemDetail } from "@convivio/protocol";
import { createCommunity, createItem, useLibraryWorld } from "../test/library.js";

describe.each(testDatabases())("sibling communities on $driver", ({ open }) => {
  const world = useLibraryWorld(open);

  const itemsTitled = async (title: string) =>
    (
      await world.database.db.select({ n: count() }).from(libraryItems).where(eq(libraryItems.title, title))
    )[0]!.n;

  test("an item of a top-level community cannot be for its siblings: a clear 400, nothing stored", async () => {
    const { italia, italiaEditor, national } = world.tree;
    const thematic = await createCommunity(national, "Beni comuni", "thematic");
    for (const [community, status] of [
      [italia, "published"],
      [thematic, "draft"],
    ] as const) {
      const title = `Per i fratelli di ${community.name}`;
      const refused = await national.client.post("/api/library/items", {
        kind: "act",
        communityId: community.id,
        title,
        status,
        audience: "siblings",
      });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({
        code: "validation_failed",
        issues: [{ path: "audience" }],
      });
      expect(await itemsTitled(title)).toBe(0);
    }

    // Editing an item of a top-level community into "siblings" is refused whole: nothing changes.
    const item = await createItem(italiaEditor, { communityId: italia.id, title: "Atto di Italia" });
    const edit = await italiaEditor.client.patch(`/api/library/items/${item.id}`, {
      title: "Atto di Italia, rivisto",
      audience: "siblings",
    });
    expect(edit.status).toBe(400);
    expect((edit.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(["audience"]);
    const [row] = await world.database.db.select().from(libraryItems).where(eq(libraryItems.id, item.id));
    expect(row).toMatchObject({ title: "Atto di Italia", audience: "community", version: 1 });
    // The two audiences a top-level community has still work.
    for (const audience of ["everyone", "community"] as const) {
      expect((await italiaEditor.client.patch(`/api/library/items/${item.id}`, { audience })).status).toBe(
        200,
      );
    }
  });

  test("below the top, siblings are the parent's other children, and only they", async () => {
    const { lazio, toscana, national, firenzeEditor, romaEditor, outsider } = world.tree;
    const regional = await createItem(national, {
      communityId: lazio.id,
      title: "Pratica del Lazio per le regioni sorelle",
      status: "published",
      audience: "siblings",
    });
    expect(regional.audience).toBe("siblings");
    const read = (person: typeof outsider) => person.client.get(`/api/library/items/${regional.id}`);
    // Firenze is below Toscana, a cousin of Lazio's: not a sibling.
    expect((await read(firenzeEditor)).status).toBe(404);
    // Give Firenze's editor a seat in Toscana, Lazio's sibling under Italia.
    const res = await national.client.post(`/api/communities/${toscana.slug}/members`, {
      email: firenzeEditor.email,
      role: "member",
    });
    expect(res.status).toBe(201);
    expect((await read(firenzeEditor)).status).toBe(200);
    // Roma is Lazio's child, not its sibling; an outsider is nobody's.
    expect((await read(romaEditor)).status).toBe(404);
    expect((await read(outsider)).status).toBe(404);
    const item = ((await read(firenzeEditor)).body as { item: LibraryItemDetail }).item;
    expect(item.community.id).toBe(lazio.id);
  });
});

describe.each(testDatabases())("migration 0011 on $driver", ({ open }) => {
  test("a top-level community's 'siblings' items become 'community'; others keep their audience", async () => {
    const database = await open({ migrate: false });
    const before = await mkdtemp(join(tmpdir(), "convivio-migrations-"));
    try {
      for (const name of await readdir(MIGRATIONS_DIR)) {
        if (name.endsWith(".sql") && name < "0011") {
          await copyFile(new URL(name, MIGRATIONS_DIR), join(before, name));
        }
      }
      await migrate(database, { dir: pathToFileURL(`${before}/`) });
      const db = database.db;
      await db.execute(sql`
        INSERT INTO communities (id, slug, name, kind, parent_id) VALUES
          ('00000000-0000-4000-8000-0000000000a1', 'radice', 'Radice', 'national', NULL),
          ('00000000-0000-4000-8000-0000000000a2', 'figlia', 'Figlia', 'regional', '00000000-0000-4000-8000-0000000000a1')`);
      await db.execute(sql`
        INSERT INTO library_items (id, kind, title, community_id, status, audience, version) VALUES
          ('00000000-0000-4000-8000-0000000000b1', 'act', 'Radice fratelli', '00000000-0000-4000-8000-0000000000a1', 'published', 'siblings', 1),
          ('00000000-0000-4000-8000-0000000000b2', 'act', 'Radice tutti', '00000000-0000-4000-8000-0000000000a1', 'published', 'everyone', 1),
          ('00000000-0000-4000-8000-0000000000b3', 'act', 'Figlia fratelli', '00000000-0000-4000-8000-0000000000a2', 'draft', 'siblings', 1)`);
      expect(await migrate(database)).toContainEqual(expect.stringMatching(/^0011_/));
      const rows = await db
        .select({ title: libraryItems.title, audience: libraryItems.audience })
        .from(libraryItems)
        .orderBy(libraryItems.title);
      expect(rows).toEqual([
        { title: "Figlia fratelli", audience: "siblings" },
        { title: "Radice fratelli", audience: "community" },
        { title: "Radice tutti", audience: "everyone" },
      ]);
    } finally {
      await rm(before, { recursive: true, force: true });
      await database.close();
    }
  });
});
