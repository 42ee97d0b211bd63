/** The time source; passed in everywhere so tests can fix and move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
