// The registration storm's client: one POST per TCP connection, written by hand and read until
// the server closes it. The storm runs its client on the same two cores as the server, so the
// client's own cost is taken from the server: `fetch` (undici) held the bare HTTP reference to
// 1,256-1,535 answers/s on this machine, Node's `http.request` to 2,742-3,493/s, and this to
// 4,777-4,881/s (2,000 at once, formFloor.ts, 2026-12-07). A real storm's clients are on other
// machines; the cheaper the client here, the nearer the measurement is to that.
import { connect } from "node:net";

export interface LeanResponse {
  status: number;
  body: string;
}

export class LeanHttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** POST `json` to `url` on a connection of its own (`Connection: close`). */
export function leanPostJson(url: string, json: unknown, timeoutMs: number): Promise<LeanResponse> {
  const target = new URL(url);
  const body = Buffer.from(JSON.stringify(json));
  const head =
    `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port || 80), target.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new LeanHttpError("TimeoutError", `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setNoDelay(true);
    // write, not end: a half-closed connection is a client that left, to Node's HTTP server.
    socket.on("connect", () => socket.write(Buffer.concat([Buffer.from(head), body])));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new LeanHttpError(err.code ?? "socket", err.message));
    });
    socket.on("close", () => {
      clearTimeout(timer);
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** A whole HTTP/1.1 response read to the end of its connection: status and (de-chunked) body. */
export function parseResponse(raw: Buffer): LeanResponse {
  const headEnd = raw.indexOf("\r\n\r\n");
  if (headEnd < 0) throw new LeanHttpError("incomplete", "the connection closed before the headers ended");
  const [statusLine = "", ...headerLines] = raw.subarray(0, headEnd).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status))
    throw new LeanHttpError("bad_status", `not an HTTP status line: ${statusLine}`);
  const headers = new Map(
    headerLines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
    }),
  );
  let rest = raw.subarray(headEnd + 4);
  if (headers.get("transfer-encoding")?.toLowerCase() === "chunked") {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = rest.indexOf("\r\n");
      const size = parseInt(rest.subarray(0, lineEnd).toString("latin1"), 16);
      if (lineEnd < 0 || !Number.isFinite(size)) throw new LeanHttpError("bad_chunk", "a malformed chunk");
      if (size === 0) break;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      rest = rest.subarray(lineEnd + 2 + size + 2);
    }
    rest = Buffer.concat(parts);
  } else if (headers.has("content-length")) {
    rest = rest.subarray(0, Number(headers.get("content-length")));
  }
  return { status, body: rest.toString("utf8") };
}
