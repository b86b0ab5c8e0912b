// Attachments of library items: PDFs and images up to LIBRARY_LIMITS.attachmentMaxBytes, the type
// read from the first bytes (the declared type must agree), the bytes in the configured blob store
// and a row in library_attachments. A refused upload stores nothing. Adopted copies share the
// original's bytes (several rows, one storage key).
import { randomUUID } from "node:crypto";
import express, { type RequestHandler } from "express";
import { and, count, eq, libraryAttachments, sql, type Db, type Tx } from "@convivio/db";
import {
  ATTACHMENT_TYPES,
  ErrorCode,
  ItemParams,
  LIBRARY_LIMITS,
  type AttachmentId,
  type ItemAttachment,
} from "@convivio/protocol";
import { HttpError } from "../http/problem.js";
import { sniffImageType } from "../events/cover.js";
import type { Actor } from "../auth/actor.js";
import type { BlobStore } from "./blobStore.js";
import { canEdit, visibleItem } from "./items.js";

type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** The attachment type its bytes say, or undefined. */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | undefined {
  // "%PDF-"
  if (bytes.length >= 5 && [0x25, 0x50, 0x44, 0x46, 0x2d].every((v, i) => bytes[i] === v))
    return "application/pdf";
  return sniffImageType(bytes);
}

const rawAttachment = express.raw({ type: [...ATTACHMENT_TYPES], limit: LIBRARY_LIMITS.attachmentMaxBytes });

/**
 * Before a byte of the upload is read: the caller must be signed in and may edit the item (404 when
 * they may not see it, 403 when they may see but not edit it), so nobody else can make the server
 * take in up to 10 MB. The route binder checks the same again; this only comes first.
 */
function mayUpload(db: Db): RequestHandler {
  return async (req, _res, next) => {
    if (!req.actor) throw new HttpError(ErrorCode.unauthenticated);
    const itemId = ItemParams.safeParse(req.params);
    if (!itemId.success) throw new HttpError(ErrorCode.validationFailed, "Invalid path");
    const item = await visibleItem(db, req.actor.user.id, itemId.data.itemId);
    if (!(await canEdit(db, item, req.actor.user.id))) throw new HttpError(ErrorCode.forbidden);
    next();
  };
}

/** Reads the raw upload into res.locals.upload (checked) and leaves req.body empty for the route binder. */
export const readAttachment = (db: Db): RequestHandler[] => [
  mayUpload(db),
  rawAttachment,
  (req, res, next) => {
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body)) {
      throw new HttpError(
        ErrorCode.unsupportedMediaType,
        `Send the file as one of ${ATTACHMENT_TYPES.join(", ")}`,
      );
    }
    const declared = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
    if (body.length === 0 || sniffAttachmentType(body) !== declared) {
      throw new HttpError(ErrorCode.unsupportedMediaType, "The file's content is not of the declared type");
    }
    res.locals.upload = { contentType: declared, bytes: new Uint8Array(body) };
    req.body = undefined;
    next();
  },
];

const toView = (itemId: string, row: typeof libraryAttachments.$inferSelect): ItemAttachment => ({
  id: row.id as AttachmentId,
  filename: row.filename,
  contentType: row.contentType,
  sizeBytes: row.sizeBytes,
  url: `/api/library/items/${itemId}/attachments/${row.id}`,
});

export async function addAttachment(
  db: Db,
  store: BlobStore,
  actor: Actor,
  itemId: string,
  upload: { filename: string; contentType: string; bytes: Uint8Array },
  now: Date,
): Promise<ItemAttachment> {
  const item = await visibleItem(db, actor.user.id, itemId);
  if (!(await canEdit(db, item, actor.user.id))) throw new HttpError(ErrorCode.forbidden);
  const [existing] = await db
    .select({ n: count() })
    .from(libraryAttachments)
    .where(eq(libraryAttachments.itemId, item.id));
  if (Number(existing?.n ?? 0) >= LIBRARY_LIMITS.maxAttachments) {
    throw new HttpError(ErrorCode.conflict, `At most ${LIBRARY_LIMITS.maxAttachments} attachments per item`);
  }
  const id = randomUUID();
  const key = `library/${item.id}/${id}`;
  await store.put(key, upload.bytes, upload.contentType);
  try {
    const [row] = await db
      .insert(libraryAttachments)
      .values({
        id,
        itemId: item.id,
        filename: upload.filename,
        contentType: upload.contentType,
        sizeBytes: upload.bytes.length,
        storageKey: key,
        createdBy: actor.user.id,
        createdAt: now,
      })
      .returning();
    return toView(item.id, row!);
  } catch (err) {
    await store.delete(key);
    throw err;
  }
}

export async function readAttachmentBytes(
  db: Db,
  store: BlobStore,
  viewerId: string | null,
  itemId: string,
  attachmentId: string,
) {
  const item = await visibleItem(db, viewerId, itemId);
  const [row] = await db
    .select()
    .from(libraryAttachments)
    .where(and(eq(libraryAttachments.id, attachmentId), eq(libraryAttachments.itemId, item.id)));
  if (!row) throw new HttpError(ErrorCode.notFound);
  const bytes = await store.get(row.storageKey);
  if (!bytes) throw new HttpError(ErrorCode.notFound, "The file is missing from storage");
  return { row, bytes };
}

export async function deleteAttachment(
  db: Db,
  store: BlobStore,
  actor: Actor,
  itemId: string,
  attachmentId: string,
) {
  const item = await visibleItem(db, actor.user.id, itemId);
  if (!(await canEdit(db, item, actor.user.id))) throw new HttpError(ErrorCode.forbidden);
  const { row, stillUsed } = await db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(libraryAttachments)
      .where(and(eq(libraryAttachments.id, attachmentId), eq(libraryAttachments.itemId, item.id)))
      .returning();
    if (!deleted) throw new HttpError(ErrorCode.notFound);
    const [others] = await tx
      .select({ n: count() })
      .from(libraryAttachments)
      .where(eq(libraryAttachments.storageKey, deleted.storageKey));
    return { row: deleted, stillUsed: Number(others?.n ?? 0) > 0 };
  });
  // An adopted copy shares the original's bytes: they go only with the last row that names them.
  if (!stillUsed) await store.delete(row.storageKey);
}

/**
 * Gives an adopted copy the original's attachments: new rows naming the same stored bytes (a
 * key is never overwritten, and deleting removes the bytes only with their last row). The
 * original's rows are share-locked, so a concurrent delete of one waits for the copy to commit
 * and then sees it still in use.
 */
export async function copyAttachments(
  tx: Tx,
  fromItemId: string,
  toItemId: string,
  userId: string,
  now: Date,
): Promise<void> {
  const rows = await tx
    .select()
    .from(libraryAttachments)
    .where(eq(libraryAttachments.itemId, fromItemId))
    .orderBy(sql`${libraryAttachments.createdAt}, ${libraryAttachments.id}`)
    .for("share");
  if (rows.length === 0) return;
  await tx.insert(libraryAttachments).values(
    rows.map((row) => ({
      itemId: toItemId,
      filename: row.filename,
      contentType: row.contentType,
      sizeBytes: row.sizeBytes,
      storageKey: row.storageKey,
      createdBy: userId,
      createdAt: now,
    })),
  );
}
