import { createHash } from "node:crypto";
import { EXTENDS_LABEL, extensionDedupeKey } from "./extension.js";
import { resourceKey, type Resource } from "./resource.js";

/**
 * The identity of a request: who (petitioners) asks for what (resources), as sets. Two
 * petitions with the same key in one space are the same request, so while one is open or
 * granted another is not created. Reason and labels do not count: asking again with other
 * words is still asking for the same access. An extension (its server-set label names the
 * petition it extends) is a request of its own: see `extensionDedupeKey`.
 */
export function petitionDedupeKey(petitioners: Resource[], resources: Resource[], labels: Record<string, string> = {}): string {
  const side = (list: Resource[]) => [...new Set(list.map(resourceKey))].sort().join("\u0001");
  const key = createHash("sha256").update(side(petitioners)).update("\u0002").update(side(resources)).digest("base64url");
  const extended = labels[EXTENDS_LABEL];
  return extended === undefined ? key : extensionDedupeKey(key, extended);
}
