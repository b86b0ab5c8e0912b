// A load-generator worker process: one Swarm driven over IPC by the coordinator (handles.ts).
import { Swarm } from "./swarm.js";
import type { SwarmInit, SettleRequest, VotePlan } from "./swarm.js";

type Request =
  | { id: number; op: "connect"; init: SwarmInit }
  | { id: number; op: "vote"; plan: VotePlan }
  | { id: number; op: "settle"; request: SettleRequest }
  | { id: number; op: "close" };

let swarm: Swarm | undefined;

process.on("message", (message: Request) => {
  void (async () => {
    try {
      let result: unknown;
      switch (message.op) {
        case "connect":
          swarm = new Swarm(message.init);
          result = await swarm.connect();
          break;
        case "vote":
          result = await swarm!.vote(message.plan);
          break;
        case "settle":
          result = await swarm!.settle(message.request);
          break;
        case "close":
          swarm?.close();
          result = null;
          break;
      }
      process.send!({ id: message.id, result });
      if (message.op === "close") setTimeout(() => process.exit(0), 100);
    } catch (err) {
      process.send!({ id: message.id, error: err instanceof Error ? err.stack : String(err) });
    }
  })();
});
process.send!({ id: 0, result: "ready" });
