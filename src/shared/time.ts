/** The one source of "now" for services, so tests and the engine's moved clock can agree. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
