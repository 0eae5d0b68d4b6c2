import { randomFillSync } from "node:crypto";

/**
 * Prefixed, time-sortable ids (`pet_01j9…`): 10 characters of millisecond timestamp and 16 of
 * randomness in Crockford's base32, lower-cased, in the manner of ULID. Sorting ids sorts by
 * creation time, which is what list pages are ordered by. Within one millisecond the random part
 * is incremented, so ids minted by one process are strictly increasing.
 */
export type IdPrefix = "pet" | "evt" | "grt" | "res" | "req" | "spc" | "tok" | "whk" | "whp" | "msg" | "pul";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RANDOM_CHARS = 16;

let lastTime = -1;
let lastTimeText = "";
let lastRandom: number[] = [];

export function newId(prefix: IdPrefix, nowMs: number): string {
  const time = Math.max(Math.floor(nowMs), lastTime);
  if (time === lastTime) {
    lastRandom = increment(lastRandom);
  } else {
    lastRandom = freshRandom();
    lastTimeText = encodeTime(time);
    lastTime = time;
  }
  let random = "";
  for (const digit of lastRandom) random += ALPHABET[digit];
  return `${prefix}_${lastTimeText}${random}`;
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

// Random bytes are drawn from the system a pool at a time: one call per id cost more than
// the rest of minting it.
const pool = Buffer.alloc(RANDOM_CHARS * 256);
let poolOffset = pool.length;

function freshRandom(): number[] {
  if (poolOffset + RANDOM_CHARS > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const digits = new Array<number>(RANDOM_CHARS);
  for (let i = 0; i < RANDOM_CHARS; i++) digits[i] = pool[poolOffset + i]! % 32;
  poolOffset += RANDOM_CHARS;
  return digits;
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
