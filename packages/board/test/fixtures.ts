// Shared test helpers: deterministic ids, a few people, and a small driver around `decide`.
import type { BoardId, BoardPhase, BoardSettingsInput, IdeaId, ParticipantId } from "@convivio/protocol";
import { expect } from "vitest";
import type { BoardEvent, BoardState, Command, DecideContext, DecideResult } from "../src/index.js";
import { createBoard, decide } from "../src/index.js";

/** A valid v4-shaped UUID built from a number, so tests read `uuid(7)` rather than noise. */
export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

export const BOARD_ID = uuid(0xb0a2d) as BoardId;
export const FAC = uuid(1) as ParticipantId;
export const ALICE = uuid(2) as ParticipantId;
export const BOB = uuid(3) as ParticipantId;
export const CAROL = uuid(4) as ParticipantId;
export const SYSTEM = "system" as const;
export const FACILITATORS: ReadonlySet<string> = new Set([FAC]);

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type Body = DistributiveOmit<Command, "boardId">;

/** Freeze a value and everything in it, so a decide that mutates its input throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A board driven through `decide`, with a clock that ticks one second per command. */
export class TestBoard {
  state: BoardState;
  now = 1_000;
  private counter = 0x1000;

  constructor(settings: BoardSettingsInput = {}) {
    this.state = createBoard(settings, { id: BOARD_ID, now: 0 });
  }

  ctx(who: ParticipantId | typeof SYSTEM): DecideContext {
    const newId = () => uuid(this.counter++);
    if (who === SYSTEM) return { actor: null, role: "system", now: this.now, newId };
    return { actor: who, role: FACILITATORS.has(who) ? "facilitator" : "participant", now: this.now, newId };
  }

  /** Decide a command; on success the board moves on. The input state is frozen first. */
  try(who: ParticipantId | typeof SYSTEM, body: Body): DecideResult {
    this.now += 1_000;
    const result = decide(deepFreeze(this.state), { ...body, boardId: BOARD_ID } as Command, this.ctx(who));
    if (result.ok) this.state = result.state;
    return result;
  }

  /** Decide a command that must succeed; returns its events. */
  do(who: ParticipantId | typeof SYSTEM, body: Body): readonly BoardEvent[] {
    const result = this.try(who, body);
    if (!result.ok) throw new Error(`${body.type} refused: ${result.code}`);
    return result.events;
  }

  /** Expect a command to be refused with `code`, and the state to stay exactly as it was. */
  refuses(who: ParticipantId | typeof SYSTEM, body: Body, code: string): void {
    const before = this.state;
    const result = this.try(who, body);
    expect(result).toEqual({ ok: false, code });
    expect(this.state).toBe(before);
  }

  propose(who: ParticipantId, text = "An idea", columnId = "ideas"): IdeaId {
    const events = this.do(who, { type: "proposeIdea", columnId: columnId as never, text });
    const proposed = events.find((e) => e.type === "ideaProposed");
    if (proposed?.type !== "ideaProposed") throw new Error("no idea proposed");
    return proposed.ideaId;
  }

  phase(phase: BoardPhase): void {
    this.do(FAC, { type: "setPhase", phase });
  }

  vote(who: ParticipantId, ideaId: IdeaId, times = 1): void {
    for (let i = 0; i < times; i++) this.do(who, { type: "castVote", ideaId });
  }
}

/** JSON with object keys sorted, so two values compare equal whatever order their keys were set in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Deep equality for JSON-like values, independent of the code under test. */
export function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}
