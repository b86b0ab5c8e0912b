// The bare reference for the registration storm: an HTTP server (Node's own, no framework) that
// reads the same form, parses its JSON and answers 201 with a registration-shaped body: no
// rules, no database, no email. Whatever the real server does on top is measured against it, so
// the ratio holds on a noisy machine, as the board's relay does for the live board.
//
//   node tests/dist/load/formFloor.js --port=4001
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

export async function startFormFloor(port = 0): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let form: { name?: unknown; email?: unknown };
      try {
        form = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof form;
      } catch {
        res.writeHead(400, { "content-type": "application/problem+json" }).end('{"code":"bad_json"}');
        return;
      }
      const ok = typeof form.name === "string" && typeof form.email === "string";
      res.writeHead(ok ? 201 : 400, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          ok
            ? {
                registration: { id: String(++next), status: "confirmed", waitlistPosition: null },
                created: true,
              }
            : {},
        ),
      );
    });
  });
  await new Promise<void>((resolve) => http.listen({ port, host: "127.0.0.1", backlog: 4096 }, resolve));
  const { port: bound } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv.find((a) => a.startsWith("--port="))?.slice(7) ?? 0);
  const floor = await startFormFloor(port);
  process.stdout.write(`form floor listening at ${floor.url}\n`);
}
