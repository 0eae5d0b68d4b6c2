/**
 * A destination: somewhere outside the server that it calls with secrets of its own (a webhook,
 * an event subscription, the Slack app, an on-call provider). What every kind keeps besides
 * its own settings: its space, when it was made and changed, and how its last calls went.
 */
export interface Destination extends Health {
  spaceId: string;
  createdAt: number;
  updatedAt: number;
}

/** How calls to a destination went: the last success, and the last failure. */
export interface Health {
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

/** A destination that can be turned off: by an admin, or by a receiver that answered 410 Gone. */
export interface Switchable {
  disabledAt: number | null;
  disabledReason: string | null;
}

/**
 * The failure a destination is in, or null when it is well: its last error counts only while no
 * success came after it, so one bad answer in the past does not mark a working destination.
 */
export function currentFailure(h: Health): { error: string; at: number } | null {
  if (h.lastError === null || h.lastErrorAt === null) return null;
  if (h.lastSuccessAt !== null && h.lastErrorAt <= h.lastSuccessAt) return null;
  return { error: h.lastError, at: h.lastErrorAt };
}

/** What an admin's `disabled` does to a destination's state: true turns it off (keeping why it was), false on. */
export function switchedState(current: Switchable, disabled: boolean | undefined, now: number): Switchable {
  if (disabled === undefined) return { disabledAt: current.disabledAt, disabledReason: current.disabledReason };
  if (!disabled) return { disabledAt: null, disabledReason: null };
  return { disabledAt: current.disabledAt ?? now, disabledReason: current.disabledReason ?? "turned off by an admin" };
}

/** What a person sees of a secret: `keep` leading characters (what kind it is: `wks0`, `xoxb-`, `whsec_`) and the last four. */
export function secretHint(secret: string, keep: number): string {
  return `${secret.slice(0, keep)}…${secret.slice(-4)}`;
}
