import type { Petition } from "../domain/petition.js";
import type { WirePetition } from "../domain/wire.js";
import type { Context } from "./context.js";
import { loadPetition, petitionWithHistory } from "./load-petition.js";

/**
 * Holds until the petition leaves `open` or `timeoutMs` passes, then returns it as it is.
 * Waiting costs a listener and a timer, no polling: the transaction that decides the petition
 * wakes its waiters as it commits. The watcher is registered before the state is read, so a
 * decision that commits in between is not missed. `signal` ends the wait early (the client
 * went away, or the server is stopping).
 */
export async function waitForDecision({
  ctx,
  name,
  timeoutMs,
  signal,
}: {
  ctx: Context;
  name: string;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<WirePetition> {
  const repos = ctx.store.read;
  const deadline = ctx.clock.now() + timeoutMs;
  let wake: () => void = () => {};
  let woken = false;
  const stopWatching = ctx.notifier.watchPetition(ctx.space.id, name, () => {
    woken = true;
    wake();
  });
  try {
    for (;;) {
      woken = false;
      const petition = await loadPetition(repos, ctx.space, name);
      const remaining = deadline - ctx.clock.now();
      if (isDecided(petition) || remaining <= 0 || signal?.aborted) return await petitionWithHistory(repos, petition);
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        signal?.addEventListener("abort", done, { once: true });
        wake = done;
        function done() {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          wake = () => {};
          resolve();
        }
      });
    }
  } finally {
    stopWatching();
  }
}

function isDecided(petition: Petition): boolean {
  return petition.phase !== "open";
}
