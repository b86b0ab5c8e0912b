/** Time source, passed in so tests can move it (link expiry, session expiry). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
