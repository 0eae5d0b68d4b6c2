import { currentFailure, secretHint, type Destination, type Health, type Switchable } from "../../domain/destination.js";
import type { Context } from "../runtime/context.js";
import type { DestinationKind } from "./destination-kind.js";
import type { DestinationHealthOut } from "../../contract/common.js";

/**
 * A destination as the API shows it: its kind's own view, then what every kind shows the same
 * way: a hint of each secret (a signing secret in full only in the answer that set it), when it
 * was made and changed, whether it is turned off, and its health.
 */
export function publicView<T extends Destination, Input, Wire>(
  kind: DestinationKind<T, Input, Wire>,
  ctx: Context,
  value: T,
  shown: ReadonlySet<string> = new Set(),
): Wire {
  const out: Record<string, unknown> = { ...kind.view(ctx, value) };
  for (const secret of kind.secrets) {
    const plaintext = value[secret.key] as string;
    if (secret.hint !== undefined) out[`${secret.key}Hint`] = secretHint(plaintext, secret.hint);
    if (secret.shownOnce && shown.has(secret.key)) out[secret.key] = plaintext;
  }
  out["createTime"] = new Date(value.createdAt).toISOString();
  out["updateTime"] = new Date(value.updatedAt).toISOString();
  if ("disabledAt" in value) Object.assign(out, wireDisabled(value as unknown as Switchable));
  return { ...out, ...wireHealth(value) } as Wire;
}

/** When it last answered well, and its last error only while no success came after it. */
export function wireHealth(h: Health): DestinationHealthOut {
  const out: DestinationHealthOut = {};
  if (h.lastSuccessAt !== null) out.lastSuccessTime = new Date(h.lastSuccessAt).toISOString();
  const failure = currentFailure(h);
  if (failure) {
    out.lastError = failure.error;
    out.lastErrorTime = new Date(failure.at).toISOString();
  }
  return out;
}

/** Whether it is turned off, since when and why. */
export function wireDisabled(r: Switchable): { disabled: boolean; disabledReason?: string; disabledTime?: string } {
  if (r.disabledAt === null) return { disabled: false };
  return {
    disabled: true,
    disabledTime: new Date(r.disabledAt).toISOString(),
    ...(r.disabledReason ? { disabledReason: r.disabledReason } : {}),
  };
}
