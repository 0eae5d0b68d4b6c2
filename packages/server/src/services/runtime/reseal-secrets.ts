import type { Actor } from "../../domain/actor.js";
import { newId } from "../../domain/ids.js";
import type { Store } from "../../store/store.js";
import { audit, SERVER_CHAIN } from "../audit/audit.js";

const RESEAL_ACTOR: Actor = { type: "system", job: "secret-key" };

/**
 * After the server's secret key changed (the old one in GREENLIGHT_SECRET_KEY_PREVIOUS): seals
 * every stored secret that a previous key sealed again with the current key, in one
 * transaction, so the old key can then be forgotten. Replicas starting together may each run
 * it; what one has sealed again the next finds done. Returns how many values it sealed.
 */
export async function resealSecrets(store: Store, now: number): Promise<number> {
  return store.transaction(async (tx) => {
    const resealed = await tx.sealedSecrets.resealAll();
    if (resealed > 0) {
      await audit(tx, { actor: RESEAL_ACTOR, requestId: newId("req", now) }, SERVER_CHAIN, now, {
        event: "secrets/resealed",
        resources: [],
        labels: { "greenlight.dev/count": String(resealed) },
      });
    }
    return resealed;
  });
}
