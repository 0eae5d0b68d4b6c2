import { DomainError, invalidArgument } from "../../domain/errors.js";
import { checkWebhookUrl } from "../../domain/webhook.js";
import { checkDestinationUrl, OutboundBlockedError, type OutboundAllowList } from "../../integrations/outbound/address-policy.js";

/**
 * Checks a URL the server will call when it is saved: absolute http(s), no credentials, and not
 * an address of the server's own network (loopback, private, link-local…) unless the operator
 * allows it (GREENLIGHT_OUTBOUND_ALLOW). Names are checked again each time they are called.
 */
export function checkDestination(url: string, field: string, allow: OutboundAllowList): string {
  const checked = checkWebhookUrl(url, field);
  try {
    checkDestinationUrl(checked, allow);
  } catch (error) {
    if (error instanceof OutboundBlockedError) throw invalidArgument(`${field}: ${error.message}`, field);
    throw error;
  }
  return checked;
}

/** A secret stored with a destination (a webhook, subscription, on-call provider or Slack app). */
export interface StoredSecret {
  /** The input field that sets it, such as `webhook.secret`. */
  field: string;
  /** Whether this request sets it. */
  given: boolean;
  /** False for one that never leaves the server (Slack's signing secret only checks what comes in). */
  sentToDestination?: boolean;
}

/** Where a destination is before and after a change, and the input field that moves it. */
export interface DestinationMove {
  field: string;
  from: string;
  to: string;
}

export const DESTINATION_FROM_LABEL = "greenlight.dev/destination-from";
export const DESTINATION_TO_LABEL = "greenlight.dev/destination-to";
export const SECRET_CHANGED_LABEL = "greenlight.dev/secret-changed";

/**
 * The one rule for changing a destination that has stored secrets, as Vault and Terraform's
 * providers have it: a stored secret is only ever sent where it was given for. A change that
 * moves the destination must set again, in the same request, every secret sent there (or used
 * to sign what is sent); otherwise it is refused with SECRET_REQUIRED naming the first missing
 * field, since keeping them would hand them to whoever controls the new URL, including an admin
 * the API never shows them to. Returns the audit labels of the change: which secrets it set, and
 * for a move where from and where to (origins only, as a path or query may hold a credential).
 */
export function checkDestinationSecrets(move: DestinationMove, secrets: StoredSecret[]): Record<string, string> {
  const labels: Record<string, string> = {};
  const changed = secrets.filter((secret) => secret.given).map((secret) => shortName(secret.field));
  if (changed.length > 0) labels[SECRET_CHANGED_LABEL] = changed.join(",");
  if (move.from === move.to) return labels;
  const missing = secrets.filter((secret) => secret.sentToDestination !== false && !secret.given).map((secret) => secret.field);
  const from = originOf(move.from);
  const to = originOf(move.to);
  if (missing.length > 0) {
    throw new DomainError(
      "SECRET_REQUIRED",
      `${move.field} changes where the stored secrets are sent (from ${from} to ${to}): send ${missing.join(" and ")} again in the same request, as a stored secret never goes to a new destination; or leave ${move.field} as it is`,
      missing[0],
    );
  }
  return { ...labels, [DESTINATION_FROM_LABEL]: from, [DESTINATION_TO_LABEL]: to };
}

function shortName(field: string): string {
  return field.slice(field.lastIndexOf(".") + 1);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(not a URL)";
  }
}
