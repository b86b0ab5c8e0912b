// The S3 blob store: its signer against AWS's published Signature V4 example, and the store
// against a small in-process S3 stand-in (an HTTP server keeping objects in memory that checks
// each request's signature with the signer and the stand-in's copy of the secret).
import { createServer, type Server } from "node:http";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readEnv } from "../env.js";
import { createS3BlobStore, signV4 } from "./s3BlobStore.js";

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

test("the signer reproduces AWS's GET Object example (Signature V4 documentation)", () => {
  const authorization = signV4({
    method: "GET",
    path: "/test.txt",
    headers: {
      host: "examplebucket.s3.amazonaws.com",
      range: "bytes=0-9",
      "x-amz-content-sha256": EMPTY_SHA256,
      "x-amz-date": "20130524T000000Z",
    },
    payloadHash: EMPTY_SHA256,
    region: "us-east-1",
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  });
  expect(authorization).toBe(
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
      "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
      "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
  );
});

describe("S3 blob store against an in-process S3 stand-in", () => {
  const config = {
    region: "eu-south-1",
    bucket: "convivio",
    accessKeyId: "standin-key",
    secretAccessKey: "standin-secret",
  };
  const objects = new Map<string, Buffer>();
  const rejected: string[] = [];
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        const auth = req.headers.authorization ?? "";
        const signed = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(";") ?? [];
        const headers = Object.fromEntries(signed.map((name) => [name, String(req.headers[name] ?? "")]));
        const payloadHash = createHash("sha256").update(body).digest("hex");
        const expected = signV4({ method: req.method!, path: req.url!, headers, payloadHash, ...config });
        if (auth !== expected || headers["x-amz-content-sha256"] !== payloadHash) {
          rejected.push(`${req.method} ${req.url}`);
          res.writeHead(403).end("SignatureDoesNotMatch");
          return;
        }
        const key = req.url!;
        if (req.method === "PUT") {
          objects.set(key, body);
          res.writeHead(200).end();
        } else if (req.method === "GET") {
          const found = objects.get(key);
          if (found) res.writeHead(200).end(found);
          else res.writeHead(404).end("NoSuchKey");
        } else if (req.method === "DELETE") {
          objects.delete(key);
          res.writeHead(204).end();
        } else res.writeHead(405).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("puts, gets and deletes objects with signed requests", async () => {
    const store = createS3BlobStore({ ...config, endpoint });
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 1, 2, 3]);
    await store.put("library/item 1/atto.pdf", bytes, "application/pdf");
    expect(objects.has("/convivio/library/item%201/atto.pdf")).toBe(true);
    expect(await store.get("library/item 1/atto.pdf")).toEqual(bytes);
    expect(await store.get("library/missing")).toBeUndefined();
    await store.delete("library/item 1/atto.pdf");
    expect(await store.get("library/item 1/atto.pdf")).toBeUndefined();
    expect(rejected).toEqual([]);
  });

  test("a wrong secret is refused by the stand-in and surfaces as an error", async () => {
    const store = createS3BlobStore({ ...config, secretAccessKey: "wrong", endpoint });
    await expect(store.put("library/x", new Uint8Array([1]), "image/png")).rejects.toThrow(/403/);
  });
});

test("the S3 settings come together or not at all", () => {
  expect(() => readEnv({ S3_BUCKET: "convivio" })).toThrow(/S3_ENDPOINT/);
  const env = readEnv({
    S3_ENDPOINT: "http://minio:9000",
    S3_BUCKET: "convivio",
    S3_ACCESS_KEY_ID: "k",
    S3_SECRET_ACCESS_KEY: "s",
  });
  expect(env).toMatchObject({ S3_BUCKET: "convivio", S3_REGION: "us-east-1" });
});
