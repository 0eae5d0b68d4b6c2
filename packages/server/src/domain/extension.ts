import { createHash } from "node:crypto";
import { resourceKey, type Resource } from "./resource.js";

/**
 * Extending access: a granted petition is followed by a new petition for the same access (same
 * petitioners, same resources), decided under the policy like any other, which names the one
 * it extends in a label only the server sets. Policies tell extensions apart by that label.
 */
export const EXTENDS_LABEL = "greenlight.dev/extends";

/**
 * On the `access/revoke` event of a grant that ended while another active grant (of another
 * petition) still gives the same petitioner the same resource: the petition that still grants
 * it. No revoke is sent to integrations for such a grant; the label says why.
 */
export const STILL_GRANTED_BY_LABEL = "greenlight.dev/still-granted-by";

/** The reason an extension carries when the requester gives none. */
export function defaultExtensionReason(extended: string): string {
  return `to extend access granted by ${extended}`;
}

/** What identifies a (petitioner, resource) pair across petitions, as the grants table keys it. */
export function grantPairKey(grant: { petitioner: Resource; resource: Resource }): string {
  return pairKey(resourceKey(grant.petitioner), resourceKey(grant.resource));
}

export function pairKey(petitionerKey: string, resourceKey: string): string {
  return `${petitionerKey}\u0003${resourceKey}`;
}

/**
 * An extension's de-duplication key: the access it asks for, scoped to the petition it
 * extends. The extended petition (open or granted with the plain key) is then never taken for
 * the extension, while asking to extend it again finds the extension already open.
 */
export function extensionDedupeKey(accessKey: string, extended: string): string {
  return createHash("sha256").update(accessKey).update("\u0004extends\u0004").update(extended).digest("base64url");
}
