/** The one source of "now" for services, so tests and the engine's moved clock can agree. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The calendar day in Beijing (UTC+8 all year, no daylight saving) at `instant`, as YYYY-MM-DD. */
export function beijingDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
