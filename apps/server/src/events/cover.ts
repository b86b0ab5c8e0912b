// The optional cover image of an event: PNG, JPEG or WebP up to 2 MiB, checked by its first bytes
// (the declared type must match them), stored in the database and served with its type.
import express, { type RequestHandler } from "express";
import { eq, eventCovers, type Db } from "@convivio/db";
import { COVER_TYPES, ErrorCode, EVENT_LIMITS } from "@convivio/protocol";
import { HttpError } from "../http/problem.js";

type CoverType = (typeof COVER_TYPES)[number];

/** The image type its bytes say, or undefined. */
export function sniffImageType(bytes: Uint8Array): CoverType | undefined {
  const starts = (...values: number[]) => values.every((v, i) => bytes[i] === v);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return undefined;
}

const rawImage = express.raw({ type: [...COVER_TYPES], limit: EVENT_LIMITS.coverMaxBytes });

/**
 * Reads the raw image into res.locals.cover and leaves req.body empty, so the route binder (which
 * refuses bodies on routes without a JSON schema) lets it through.
 */
export const readCover: RequestHandler[] = [
  rawImage,
  (req, res, next) => {
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body)) {
      throw new HttpError(
        ErrorCode.unsupportedMediaType,
        "Send the image bytes as image/png, image/jpeg or image/webp",
      );
    }
    const declared = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
    if (body.length === 0 || sniffImageType(body) !== declared) {
      throw new HttpError(ErrorCode.validationFailed, "The body is not an image of the declared type");
    }
    res.locals.cover = { contentType: declared, data: new Uint8Array(body) };
    req.body = undefined;
    next();
  },
];

export async function saveCover(
  db: Db,
  eventId: string,
  cover: { contentType: string; data: Uint8Array },
  now: Date,
) {
  await db
    .insert(eventCovers)
    .values({ eventId, contentType: cover.contentType, data: cover.data, updatedAt: now })
    .onConflictDoUpdate({
      target: eventCovers.eventId,
      set: { contentType: cover.contentType, data: cover.data, updatedAt: now },
    });
}

export async function findCover(db: Db, eventId: string) {
  const [row] = await db.select().from(eventCovers).where(eq(eventCovers.eventId, eventId));
  return row;
}

export async function hasCover(db: Db, eventId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: eventCovers.eventId })
    .from(eventCovers)
    .where(eq(eventCovers.eventId, eventId));
  return row !== undefined;
}
