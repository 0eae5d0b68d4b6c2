import type { Store } from "../../store/store.js";
import type { Notifier } from "./notifier.js";

/**
 * Replicas on PostgreSQL wake each other's waiters: a petition another replica changed wakes
 * the waiters on it here as this replica's own commits do. After the listening connection
 * comes back, every waiter reads its petition again: what changed meanwhile was not heard.
 * On SQLite this server is the only writer, and there is nothing to hear.
 */
export function hearOtherReplicas({ store, notifier }: { store: Store; notifier: Notifier }): void {
  store.listenForPetitionChanges?.(
    (spaceId, name) => notifier.petitionChanged(spaceId, name),
    () => notifier.releaseAll(),
  );
}
