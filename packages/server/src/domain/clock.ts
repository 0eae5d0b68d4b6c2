/** The one source of time for services and jobs, so tests can move it. Milliseconds since epoch. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** RFC 3339 in UTC with milliseconds, the wire form of every timestamp. */
export function toRfc3339(ms: number): string {
  return new Date(ms).toISOString();
}
