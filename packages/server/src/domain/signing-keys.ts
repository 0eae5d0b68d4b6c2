/**
 * When each key that signs access tokens and approval receipts signs. A key is published (in
 * the JWKS, so it verifies) from when it is stored; it signs from `activatesAt` until
 * `retiredAt`; after that it keeps verifying for as long as anything it signed can live, then
 * it is removed. A scheduled rotation publishes the successor ahead of time, so every replica
 * and every JWKS cache knows it before the first token it signs arrives.
 */
export interface SigningKeyTimes {
  kid: string;
  /** When it starts signing. */
  activatesAt: number;
  /** When it stops signing; null while no successor is planned. */
  retiredAt: number | null;
}

/** The key that signs at `now`: started and not stopped; the latest started if several are. */
export function signingKeyAt<K extends SigningKeyTimes>(keys: readonly K[], now: number): K | undefined {
  let signing: K | undefined;
  for (const key of keys) {
    if (key.activatesAt > now || (key.retiredAt !== null && key.retiredAt <= now)) continue;
    if (signing === undefined || key.activatesAt > signing.activatesAt) signing = key;
  }
  return signing;
}

/** Whether a scheduled rotation is due: no key signs, or the one that does has for `periodMs`, and no successor waits. */
export function isRotationDue(keys: readonly SigningKeyTimes[], now: number, periodMs: number): boolean {
  if (keys.some((key) => key.activatesAt > now)) return false;
  const signing = signingKeyAt(keys, now);
  return signing === undefined || now - signing.activatesAt >= periodMs;
}

/** What a rotation at `now` does, for a new key that starts signing `aheadMs` later. */
export interface RotationPlan {
  /** When the new key starts signing, and the keys signing until then stop. */
  activatesAt: number;
  /** Keys that would still sign then: they are retired at `activatesAt`. */
  retire: string[];
  /** Successors published earlier that have not signed yet: the new key takes their place. */
  discard: string[];
}

export function planRotation(keys: readonly SigningKeyTimes[], now: number, aheadMs: number): RotationPlan {
  const activatesAt = now + aheadMs;
  return {
    activatesAt,
    retire: keys.filter((key) => key.activatesAt <= now && (key.retiredAt === null || key.retiredAt > activatesAt)).map((key) => key.kid),
    discard: keys.filter((key) => key.activatesAt > now).map((key) => key.kid),
  };
}

/** Keys retired long enough ago (`keepMs`: the longest anything they signed lives) to be removed. */
export function removableKeys(keys: readonly SigningKeyTimes[], now: number, keepMs: number): string[] {
  return keys.filter((key) => key.retiredAt !== null && key.retiredAt < now - keepMs).map((key) => key.kid);
}
