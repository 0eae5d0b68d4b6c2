import { randomBytes } from "node:crypto";

/**
 * Prefixed, time-sortable ids (`pet_01j9…`): 10 characters of millisecond timestamp and 16 of
 * randomness in Crockford's base32, lower-cased, in the manner of ULID. Sorting ids sorts by
 * creation time, which is what list pages are ordered by. Within one millisecond the random part
 * is incremented, so ids minted by one process are strictly increasing.
 */
export type IdPrefix = "pet" | "evt" | "grt" | "res" | "req" | "spc" | "tok";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RANDOM_CHARS = 16;

let lastTime = -1;
let lastRandom: number[] = [];

export function newId(prefix: IdPrefix, nowMs: number): string {
  const time = Math.max(Math.floor(nowMs), lastTime);
  lastRandom = time === lastTime ? increment(lastRandom) : freshRandom();
  lastTime = time;
  return `${prefix}_${encodeTime(time)}${lastRandom.map((d) => ALPHABET[d]).join("")}`;
}

function encodeTime(ms: number): string {
  let out = "";
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function freshRandom(): number[] {
  return [...randomBytes(RANDOM_CHARS)].map((b) => b % 32);
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    const digit = next[i]!;
    if (digit < 31) {
      next[i] = digit + 1;
      return next;
    }
    next[i] = 0;
  }
  // 32^16 ids in one millisecond cannot happen; start afresh rather than overflow.
  return freshRandom();
}
