// The coordinator's view of the load generator: a Swarm in this process, or one per forked worker
// process (worker.js beside the compiled harness) when one process cannot drive enough sockets.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { children } from "./servers.js";
import {
  Swarm,
  type ConnectResult,
  type SettleRequest,
  type SettleResult,
  type SwarmInit,
  type VotePlan,
  type VoteResult,
} from "./swarm.js";

export interface SwarmHandle {
  connect(init: SwarmInit): Promise<ConnectResult>;
  vote(plan: VotePlan): Promise<VoteResult>;
  settle(request: SettleRequest): Promise<SettleResult>;
  close(): Promise<void>;
}

export class LocalSwarm implements SwarmHandle {
  private swarm: Swarm | undefined;
  async connect(init: SwarmInit) {
    this.swarm = new Swarm(init);
    return this.swarm.connect();
  }
  vote(plan: VotePlan) {
    return this.swarm!.vote(plan);
  }
  settle(request: SettleRequest) {
    return this.swarm!.settle(request);
  }
  async close() {
    this.swarm?.close();
  }
}

const WORKER = fileURLToPath(new URL("./worker.js", import.meta.url));

/** Whether worker processes can be forked (the harness runs compiled, from dist). */
export const canFork = () => existsSync(WORKER);

export class ForkedSwarm implements SwarmHandle {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private readonly ready: Promise<unknown>;

  constructor() {
    this.child = fork(WORKER, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    children.add(this.child);
    this.child.once("exit", () => children.delete(this.child));
    this.ready = new Promise((resolve, reject) => this.waiting.set(0, { resolve, reject }));
    this.child.on("message", (message: { id: number; result?: unknown; error?: string }) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
    this.child.on("exit", (code) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`load worker exited (${code})`));
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  private async call<T>(op: string, payload: Record<string, unknown> = {}): Promise<T> {
    await this.ready;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, ...payload });
    });
  }

  connect(init: SwarmInit) {
    return this.call<ConnectResult>("connect", { init });
  }
  vote(plan: VotePlan) {
    return this.call<VoteResult>("vote", { plan });
  }
  settle(request: SettleRequest) {
    return this.call<SettleResult>("settle", { request });
  }
  async close() {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    await this.call("close").catch(() => undefined);
    const killer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(killer);
  }
}
