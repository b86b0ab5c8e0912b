// What the live session page carries between its video rooms: the local camera and microphone
// tracks on their way from the room just left to the next one (see roomSwitch.ts), and which of
// its stages may be connected. One per session page; when the page goes, whatever it still holds
// is stopped, so no camera stays on behind a closed page.
import { focusedStage, type HeldTrack, type StageClaim } from "./roomSwitch";

/** How long carried tracks wait for the next room before they are stopped (a move takes a moment). */
export const HANDOFF_MS = 15_000;

export interface Stoppable {
  stop(): void;
}

export interface Carried<T extends Stoppable> extends HeldTrack {
  track: T;
}

export interface Handed<T extends Stoppable> {
  tracks: Carried<T>[];
  /** Settles when the room they came from has let go of them; publish elsewhere only after. */
  released: Promise<unknown>;
}

interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const browserTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class MediaHandoff<T extends Stoppable> {
  private carried: Handed<T> = { tracks: [], released: Promise.resolve() };
  private timer: unknown = null;
  private closed = false;
  private claims: StageClaim[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly holdMs = HANDOFF_MS,
    private readonly timers: Timers = browserTimers,
  ) {}

  /** A room is being left for another: hold its tracks for the next room, for a while. */
  keep(tracks: readonly Carried<T>[], released: Promise<unknown>): void {
    const unique = tracks.filter((t, i) => tracks.findIndex((o) => o.track === t.track) === i);
    if (this.closed) {
      for (const t of unique) t.track.stop();
      return;
    }
    // Tracks still held from an earlier move that nobody took are not coming back.
    for (const old of this.carried.tracks) if (!unique.some((t) => t.track === old.track)) old.track.stop();
    this.carried = { tracks: unique, released };
    this.timers.clear(this.timer);
    this.timer = unique.length ? this.timers.set(() => this.drop(), this.holdMs) : null;
  }

  /** The next room takes what is held (nothing, if nothing is). */
  take(): Handed<T> {
    const handed = this.carried;
    this.carried = { tracks: [], released: Promise.resolve() };
    this.timers.clear(this.timer);
    this.timer = null;
    return handed;
  }

  /** The page is going: stop whatever is held, and whatever is handed in until it is opened again. */
  close(): void {
    this.closed = true;
    this.drop();
  }

  /** The page is (back) in use; React's StrictMode closes and reopens it once in development. */
  open(): void {
    this.closed = false;
  }

  /** A stage would like to be connected; returns its release. */
  claim(id: string, kind: StageClaim["kind"]): () => void {
    this.claims = [...this.claims.filter((c) => c.id !== id), { id, kind }];
    this.changed();
    return () => {
      this.claims = this.claims.filter((c) => c.id !== id);
      this.changed();
    };
  }

  focused = (): string | null => focusedStage(this.claims);

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private drop(): void {
    for (const t of this.take().tracks) t.track.stop();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
