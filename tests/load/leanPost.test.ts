// The storm's hand-written client reads what a Node server answers: a sized body, a chunked one,
// a refusal, and a connection refused.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeanHttpError, leanPostJson, parseResponse } from "./leanPost.js";

describe("the storm's lean HTTP client", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const form = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { name: string };
        if (req.url === "/sized") {
          const body = JSON.stringify({ hello: form.name });
          res.writeHead(201, {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          });
          res.end(body);
        } else if (req.url === "/chunked") {
          res.writeHead(200, { "content-type": "application/json" });
          res.write('{"parts":');
          res.end('["à","b"]}');
        } else {
          res.writeHead(429, { "content-type": "application/problem+json" }).end('{"code":"rate_limited"}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("reads a sized body, a chunked one and a refusal, with their statuses", async () => {
    expect(await leanPostJson(`${url}/sized`, { name: "Zoë" }, 5_000)).toEqual({
      status: 201,
      body: '{"hello":"Zoë"}',
    });
    const chunked = await leanPostJson(`${url}/chunked`, { name: "x" }, 5_000);
    expect(chunked.status).toBe(200);
    expect(JSON.parse(chunked.body)).toEqual({ parts: ["à", "b"] });
    expect((await leanPostJson(`${url}/full`, { name: "x" }, 5_000)).status).toBe(429);
  });

  it("names a refused connection and a response cut short", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(leanPostJson(`http://127.0.0.1:${port}/`, {}, 5_000)).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
    expect(() => parseResponse(Buffer.from("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n"))).toThrow(
      LeanHttpError,
    );
  });
});
