// An S3-compatible blob store (AWS S3, MinIO, Ceph, Garage, R2...) in a few calls: PUT, GET and
// DELETE of one object, path-style (`<endpoint>/<bucket>/<key>`), signed with AWS Signature V4.
// Written against the protocol rather than pulling in the AWS SDK for three requests.
import { createHash, createHmac } from "node:crypto";
import type { BlobStore } from "./blobStore.js";

export interface S3Config {
  /** e.g. https://s3.eu-south-1.amazonaws.com or http://minio:9000 */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (every byte but unreserved characters). */
const encode = (segment: string) =>
  encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The Authorization header of a request signed with AWS Signature V4 for S3. `headers` must hold
 * every header to sign (host, x-amz-date, x-amz-content-sha256 and any other), names lower-case.
 */
export function signV4(input: {
  method: string;
  path: string;
  headers: Record<string, string>;
  payloadHash: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}): string {
  const amzDate = input.headers["x-amz-date"]!;
  const day = amzDate.slice(0, 8);
  const names = Object.keys(input.headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${input.headers[name]!.trim()}\n`).join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    input.method,
    input.path,
    "",
    canonicalHeaders,
    signedHeaders,
    input.payloadHash,
  ].join("\n");
  const scope = `${day}/${input.region}/s3/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, day), input.region), "s3"), "aws4_request");
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex");
  return `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

export function createS3BlobStore(
  config: S3Config,
  options: { fetch?: typeof fetch; now?: () => Date } = {},
): BlobStore {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const base = new URL(config.endpoint);
  const basePath = base.pathname.replace(/\/+$/, "");

  async function send(
    method: "PUT" | "GET" | "DELETE",
    key: string,
    body?: Uint8Array,
    contentType?: string,
  ) {
    const path = `${basePath}/${encode(config.bucket)}/${key.split("/").map(encode).join("/")}`;
    const payloadHash = sha256(body ?? "");
    const headers: Record<string, string> = {
      host: base.host,
      "x-amz-date": now()
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, ""),
      "x-amz-content-sha256": payloadHash,
      ...(contentType ? { "content-type": contentType } : {}),
    };
    const authorization = signV4({ method, path, headers, payloadHash, ...config });
    const { host: _host, ...sent } = headers;
    return doFetch(`${base.origin}${path}`, {
      method,
      headers: { ...sent, authorization },
      ...(body ? { body: Buffer.from(body) } : {}),
    });
  }

  return {
    kind: "s3",
    async put(key, bytes, contentType) {
      const res = await send("PUT", key, bytes, contentType);
      if (!res.ok) throw new Error(`S3 PUT ${key}: ${res.status}`);
    },
    async get(key) {
      const res = await send("GET", key);
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`S3 GET ${key}: ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
    async delete(key) {
      const res = await send("DELETE", key);
      if (!res.ok && res.status !== 404) throw new Error(`S3 DELETE ${key}: ${res.status}`);
    },
  };
}
