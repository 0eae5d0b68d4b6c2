import { newId } from "../domain/ids.js";
import type { Store } from "../store/store.js";

export const DEFAULT_SPACE = "default";

/** The space every new server starts with, so the first request has somewhere to go. */
export async function ensureDefaultSpace(store: Store, now: number): Promise<void> {
  await store.transaction(async (tx) => {
    if (await tx.spaces.findByName(DEFAULT_SPACE)) return;
    await tx.spaces.insert({ id: newId("spc", now), name: DEFAULT_SPACE, displayName: "Default", createdAt: now, updatedAt: now });
  });
}
