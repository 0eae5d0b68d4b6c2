/**
 * How the API shows a receiver's health (a webhook, a subscription, an on-call provider): when it
 * last answered well, and its last error only while no success came after it.
 */
export interface Health {
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

export interface WireHealth {
  lastSuccessTime?: string;
  lastError?: string;
  lastErrorTime?: string;
}

export function wireHealth(h: Health): WireHealth {
  const out: WireHealth = {};
  if (h.lastSuccessAt !== null) out.lastSuccessTime = new Date(h.lastSuccessAt).toISOString();
  if (h.lastError !== null && h.lastErrorAt !== null && (h.lastSuccessAt === null || h.lastErrorAt > h.lastSuccessAt)) {
    out.lastError = h.lastError;
    out.lastErrorTime = new Date(h.lastErrorAt).toISOString();
  }
  return out;
}

/** Whether a receiver is turned off, since when and why. */
export function wireDisabled(r: { disabledAt: number | null; disabledReason: string | null }): {
  disabled: boolean;
  disabledReason?: string;
  disabledTime?: string;
} {
  if (r.disabledAt === null) return { disabled: false };
  return {
    disabled: true,
    disabledTime: new Date(r.disabledAt).toISOString(),
    ...(r.disabledReason ? { disabledReason: r.disabledReason } : {}),
  };
}
