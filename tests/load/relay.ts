// The bare reference for the board benchmark: a socket.io server that speaks just enough of the
// board protocol for the load generator (welcome, board:join with a snapshot, board:command acks,
// board:patch with absolute tallies) and nothing else — no authentication, no rules, no database.
// "tick" coalesces like the real hub (one patch per 100 ms); "per-op" sends one patch per vote.
//
//   node tests/load/dist/load/relay.js --port=4000 --mode=tick
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Server } from "socket.io";

export const RELAY_TICK_MS = 100;
const ROOM = "board";

export interface Relay {
  url: string;
  port: number;
  state(): { seq: number; tallies: Record<string, number> };
  close(): Promise<void>;
}

export async function startRelayServer(options: { port?: number; mode: "tick" | "per-op" }): Promise<Relay> {
  let seq = 0;
  let sentSeq = 0;
  const tallies = new Map<string, number>();
  const changed = new Map<string, number>();
  // Tallies as last sent (tick mode), so a late joiner's snapshot matches the patches that follow.
  const sentTallies = new Map<string, number>();
  let boardId = "";
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();

  const http = createServer((req, res) => {
    if (req.url === "/state") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ seq, tallies: Object.fromEntries(tallies) }));
    } else if (req.url === "/metrics") {
      // The same gauges prom-client exports, reset on each scrape like prom-client does.
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(
        `relay_nodejs_eventloop_lag_p99_seconds ${lag.percentile(99) / 1e9}\n` +
          `relay_nodejs_eventloop_lag_max_seconds ${lag.max / 1e9}\n`,
      );
      lag.reset();
    } else {
      res.writeHead(404).end();
    }
  });
  const io = new Server(http, { transports: ["websocket"], perMessageDeflate: false, serveClient: false });

  const patch = (fromSeq: number, toSeq: number, counts: Map<string, number>) => ({
    boardId,
    fromSeq,
    toSeq,
    changes: [],
    tallies: Object.fromEntries(counts),
  });

  io.on("connection", (socket) => {
    socket.emit("welcome", { protocolVersion: 0, user: null });
    socket.on("board:join", (payload: { boardId?: string }, ack?: (reply: unknown) => void) => {
      boardId ||= String(payload?.boardId ?? "");
      void socket.join(ROOM);
      // What the others were sent so far, so this socket's patches continue from its snapshot.
      const at = options.mode === "tick" ? sentSeq : seq;
      ack?.({ ok: true, seq: at });
      socket.emit("board:snapshot", {
        boardId,
        seq: at,
        tallies: Object.fromEntries(options.mode === "tick" ? sentTallies : tallies),
      });
    });
    socket.on(
      "board:command",
      (payload: { type?: string; ideaId?: string }, ack?: (reply: unknown) => void) => {
        if (payload?.type !== "castVote" || typeof payload.ideaId !== "string") {
          ack?.({ ok: false, code: "validation_failed" });
          return;
        }
        seq++;
        const count = (tallies.get(payload.ideaId) ?? 0) + 1;
        tallies.set(payload.ideaId, count);
        ack?.({ ok: true, seq });
        if (options.mode === "per-op") {
          io.to(ROOM).emit("board:patch", patch(seq, seq, new Map([[payload.ideaId, count]])));
        } else {
          changed.set(payload.ideaId, count);
        }
      },
    );
  });

  const timer = setInterval(() => {
    if (options.mode !== "tick" || seq <= sentSeq) return;
    io.to(ROOM).emit("board:patch", patch(sentSeq + 1, seq, changed));
    for (const [idea, count] of changed) sentTallies.set(idea, count);
    changed.clear();
    sentSeq = seq;
  }, RELAY_TICK_MS);

  await new Promise<void>((resolve) => http.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    state: () => ({ seq, tallies: Object.fromEntries(tallies) }),
    close: async () => {
      clearInterval(timer);
      lag.disable();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const mode = arg("mode") === "per-op" ? "per-op" : "tick";
  const relay = await startRelayServer({ port: Number(arg("port") ?? 0), mode });
  process.stdout.write(`relay listening on ${relay.url} (${mode})\n`);
  process.on("SIGTERM", () => void relay.close().then(() => process.exit(0)));
}
