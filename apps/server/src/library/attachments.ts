// Attachments of library items: PDFs and images up to LIBRARY_LIMITS.attachmentMaxBytes, the type
// read from the first bytes (the declared type must agree), the bytes in the configured blob store
// and a row in library_attachments. A refused upload stores nothing.
import { randomUUID } from "node:crypto";
import express, { type RequestHandler } from "express";
import { and, count, eq, libraryAttachments, type Db } from "@convivio/db";
import {
  ATTACHMENT_TYPES,
  ErrorCode,
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

/** Reads the raw upload into res.locals.upload (checked) and leaves req.body empty for the route binder. */
export const readAttachment: RequestHandler[] = [
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
  const [row] = await db
    .delete(libraryAttachments)
    .where(and(eq(libraryAttachments.id, attachmentId), eq(libraryAttachments.itemId, item.id)))
    .returning();
  if (!row) throw new HttpError(ErrorCode.notFound);
  await store.delete(row.storageKey);
}
