import type { Store } from "../../store/store.js";
import type { ProviderOutcome } from "./on-call-lookup.js";

/**
 * What the on-call lookup does with a provider's health when it changes: writes it on the
 * provider's row, so a broken provider shows as broken where it is listed. The lookup does
 * not wait for the write (a petition's decision should not), so a write that fails goes to
 * `onError`.
 */
export function recordOnCallHealth({ store, onError }: { store: Store; onError: (err: unknown) => void }) {
  return ({ provider, at, error }: ProviderOutcome): void => {
    store.transaction((tx) => tx.onCallProviders.recordOutcome(provider.spaceId, provider.name, { at, error })).catch(onError);
  };
}
