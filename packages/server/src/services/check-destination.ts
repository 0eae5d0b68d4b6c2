import { invalidArgument } from "../domain/errors.js";
import { checkWebhookUrl } from "../domain/webhook.js";
import { checkDestinationUrl, OutboundBlockedError, type OutboundAllowList } from "../integrations/outbound/address-policy.js";

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
