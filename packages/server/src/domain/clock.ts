/**
 * The one source of time for services and jobs: what time it is, and waking up later. Both
 * come from here so that a test can move time and see everything that depends on it happen,
 * without waiting. Milliseconds since epoch.
 */
export interface Clock {
  now(): number;
  /**
   * Calls `fn` once `ms` have passed on this clock; the returned function cancels it. A timer
   * never keeps the process alive. `fn` may return a promise: a test clock that fires it waits
   * for it, so moving time also finishes the work that time started.
   */
  setTimer(fn: () => unknown, ms: number): () => void;
}

/** setTimeout holds at most 2^31-1 ms; a longer wait is cut short, and its owner re-checks. */
const MAX_TIMER_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** RFC 3339 in UTC with milliseconds, the wire form of every timestamp. */
export function toRfc3339(ms: number): string {
  return new Date(ms).toISOString();
}
