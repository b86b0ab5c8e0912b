// Attachments of library items on one server (PGlite, disk store): PDFs and images stored on disk
// and served to those who may see the item; size and type checked by the bytes, refused uploads
// storing nothing; nothing read before the sender is known to be allowed; an adopted copy carrying
// the original's files, whose bytes go only with the last row naming them.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { count, eq, libraryAttachments } from "@convivio/db";
import type { InboxResponse, LibraryItemDetail } from "@convivio/protocol";
import { startTestServer, type TestClient, type TestServer } from "../test/harness.js";
import { LIBRARY_TEST_ENV, createItem, createTree } from "../test/library.js";
import { createDiskBlobStore } from "./blobStore.js";

let server: TestServer;
let dataDir: string;
let tree: Awaited<ReturnType<typeof createTree>>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "convivio-attachments-"));
  server = await startTestServer({ env: { ...LIBRARY_TEST_ENV, DATA_DIR: dataDir } });
  tree = await createTree(server);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("attachments", () => {
  const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(2048, 0x20), Buffer.from("\n%%EOF\n")]);
  const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");
  const upload = (client: TestClient, itemId: string, type: string, bytes: Buffer, filename = "atto.pdf") =>
    fetch(`${server.url}/api/library/items/${itemId}/attachments?filename=${encodeURIComponent(filename)}`, {
      method: "POST",
      headers: { "content-type": type, cookie: client.cookie! },
      body: bytes,
    });
  const stored = async (itemId: string) => {
    const [row] = await server.database.db
      .select({ n: count() })
      .from(libraryAttachments)
      .where(eq(libraryAttachments.itemId, itemId));
    return Number(row?.n);
  };
  const filesUnder = async (itemId: string) =>
    readdir(join(dataDir, "blobs", "library", itemId)).catch(() => [] as string[]);

  test("a PDF and an image are stored on disk and served to those who may see the item", async () => {
    const { roma, romaEditor, outsider } = tree;
    const item = await createItem(romaEditor, { communityId: roma.id, title: "Con allegati" });
    const res = await upload(romaEditor.client, item.id, "application/pdf", pdf);
    expect(res.status).toBe(201);
    const { attachment } = (await res.json()) as { attachment: { url: string; sizeBytes: number } };
    expect(attachment.sizeBytes).toBe(pdf.length);
    expect((await upload(romaEditor.client, item.id, "image/png", png, "foto.png")).status).toBe(201);
    expect(await filesUnder(item.id)).toHaveLength(2);
    const back = await fetch(`${server.url}${attachment.url}`, {
      headers: { cookie: romaEditor.client.cookie! },
    });
    expect(back.status).toBe(200);
    expect(back.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await back.arrayBuffer()).equals(pdf)).toBe(true);
    // The draft's attachment is as invisible to outsiders as the draft.
    const denied = await fetch(`${server.url}${attachment.url}`, {
      headers: { cookie: outsider.client.cookie! },
    });
    expect(denied.status).toBe(404);
  });

  test("oversize, wrong-type and disguised uploads get a clear 4xx and nothing is stored", async () => {
    const { roma, romaEditor, firenzeEditor } = tree;
    const item = await createItem(romaEditor, { communityId: roma.id, title: "Allegati rifiutati" });
    const oversize = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(10 * 1024 * 1024 + 1)]);
    expect((await upload(romaEditor.client, item.id, "application/pdf", oversize)).status).toBe(413);
    // A type not accepted at all.
    expect(
      (await upload(romaEditor.client, item.id, "text/html", Buffer.from("<script>x</script>"))).status,
    ).toBe(415);
    // An HTML file declared as a PDF: the bytes decide.
    expect(
      (await upload(romaEditor.client, item.id, "application/pdf", Buffer.from("<html><script>x</script>")))
        .status,
    ).toBe(415);
    // A PDF declared as an image.
    expect((await upload(romaEditor.client, item.id, "image/png", pdf, "x.png")).status).toBe(415);
    // A path as the file name.
    expect(
      (await upload(romaEditor.client, item.id, "application/pdf", pdf, "../../etc/passwd")).status,
    ).toBe(400);
    // Someone from another community, on a draft they cannot see.
    expect((await upload(firenzeEditor.client, item.id, "application/pdf", pdf)).status).toBe(404);
    expect(await stored(item.id)).toBe(0);
    expect(await filesUnder(item.id)).toEqual([]);
  });

  test("nothing is read from an upload before its sender is known to be allowed", async () => {
    const { roma, romaEditor, romaMember, firenzeEditor } = tree;
    const draft = await createItem(romaEditor, { communityId: roma.id, title: "Bozza con allegati" });
    const published = await createItem(romaEditor, {
      communityId: roma.id,
      title: "Pubblicato senza allegati",
      status: "published",
    });
    const big = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(10 * 1024 * 1024 + 1)]);
    const send = (client: TestClient | null, itemId: string, type: string, bytes: Buffer) =>
      fetch(`${server.url}/api/library/items/${itemId}/attachments?filename=x.pdf`, {
        method: "POST",
        headers: { "content-type": type, ...(client?.cookie ? { cookie: client.cookie } : {}) },
        body: bytes,
      });
    // Signed out: 401 whatever the body (an oversize or wrong-type body was answered 413 / 415,
    // i.e. read, before).
    for (const [type, bytes] of [
      ["application/pdf", big],
      ["text/html", Buffer.from("<script>x</script>")],
    ] as const) {
      const res = await send(null, draft.id, type, bytes);
      expect(res.status, type).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe("unauthenticated");
    }
    // Someone who cannot see the item, and a member who may read but not edit it.
    expect((await send(firenzeEditor.client, draft.id, "application/pdf", big)).status).toBe(404);
    expect((await send(romaMember.client, published.id, "application/pdf", big)).status).toBe(403);
    expect(await stored(draft.id)).toBe(0);
    expect(await stored(published.id)).toBe(0);
  });

  test("an adopted copy carries the original's attachments; the bytes go with the last row naming them", async () => {
    const { national, italia, roma, romaEditor } = tree;
    const act = await createItem(national, {
      communityId: italia.id,
      title: "Atto con allegato",
      status: "published",
    });
    const up = await upload(national.client, act.id, "application/pdf", pdf, "mozione.pdf");
    expect(up.status).toBe(201);
    const original = ((await up.json()) as { attachment: { id: string; url: string } }).attachment;
    await national.client.post(`/api/library/items/${act.id}/send-down`, { target: [roma.id] });
    const entry = (
      (await romaEditor.client.get(`/api/communities/${roma.slug}/inbox`)).body as InboxResponse
    ).entries.find((e) => e.item.id === act.id)!;
    const copy = (
      (await romaEditor.client.post(`/api/library/deliveries/${entry.id}/adopt`)).body as {
        item: LibraryItemDetail;
      }
    ).item;
    expect(copy.attachments.map((a) => [a.filename, a.contentType, a.sizeBytes])).toEqual([
      ["mozione.pdf", "application/pdf", pdf.length],
    ]);
    const copied = copy.attachments[0]!;
    expect(copied.id).not.toBe(original.id);
    const bytesOf = async (client: TestClient, url: string) => {
      const res = await fetch(`${server.url}${url}`, { headers: { cookie: client.cookie! } });
      return res.status === 200 ? Buffer.from(await res.arrayBuffer()) : res.status;
    };
    expect(await bytesOf(romaEditor.client, copied.url)).toEqual(pdf);
    // The original's community removes its file: the copy keeps it.
    expect(
      (await national.client.delete(`/api/library/items/${act.id}/attachments/${original.id}`)).status,
    ).toBe(204);
    expect(await bytesOf(romaEditor.client, copied.url)).toEqual(pdf);
    expect(await filesUnder(act.id)).toHaveLength(1);
    // The last row goes: so do the bytes.
    expect(
      (await romaEditor.client.delete(`/api/library/items/${copy.id}/attachments/${copied.id}`)).status,
    ).toBe(204);
    expect(await filesUnder(act.id)).toEqual([]);
  });

  test("the disk store keeps keys inside its root", async () => {
    const store = createDiskBlobStore(join(dataDir, "contract"));
    await store.put("library/a/b", new Uint8Array([1, 2, 3]), "application/pdf");
    expect(await store.get("library/a/b")).toEqual(new Uint8Array([1, 2, 3]));
    await expect(store.put("library/a/b", new Uint8Array([4]), "application/pdf")).rejects.toThrow();
    await expect(store.get("../outside")).rejects.toThrow();
    await store.delete("library/a/b");
    expect(await store.get("library/a/b")).toBeUndefined();
  });
});
