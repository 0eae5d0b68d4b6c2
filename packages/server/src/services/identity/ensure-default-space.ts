import { newId } from "../../domain/ids.js";
import type { Store } from "../../store/store.js";
import { audit, auditTarget } from "../audit/audit.js";

export const DEFAULT_SPACE = "default";
const FIRST_START = "first_start";

/**
 * The space a new server starts with, so the first request has somewhere to go. Only on the
 * first start: a server whose spaces were all deleted stays without one.
 */
export async function ensureDefaultSpace(store: Store, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    if ((await tx.spaces.count()) > 0 || (await tx.settings.get(FIRST_START)) !== undefined) return;
    await tx.settings.set(FIRST_START, String(now), now);
    const space = { id: newId("spc", now), name: DEFAULT_SPACE, displayName: "Default", createdAt: now, updatedAt: now };
    await tx.spaces.insert(space);
    await audit(tx, { actor: { type: "system", job: "first-start" }, requestId: newId("req", now) }, space, now, {
      event: "space/created",
      resources: [auditTarget("space", space.name, space.displayName)],
    });
  });
}
