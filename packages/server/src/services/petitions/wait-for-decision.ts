import type { Repositories } from "../../store/store.js";
import type { Context, SpaceRef } from "../runtime/context.js";
import { loadPetition, loadVisiblePetition, petitionWithHistory } from "./load-petition.js";
import type { PetitionOut } from "../../contract/petitions.js";

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
}): Promise<PetitionOut> {
  // Who may see a petition never changes (its petitioners and creator are fixed), so one check
  // before waiting covers every read after it.
  await loadVisiblePetition(ctx.store.read, ctx, name);
  const deadline = ctx.clock.now() + timeoutMs;
  let wake: () => void = () => {};
  let woken = false;
  const stopWatching = ctx.notifier.watchPetition(ctx.space.id, name, () => {
    woken = true;
    forgetSharedRead(ctx.store.read, ctx.space, name);
    wake();
  });
  try {
    for (;;) {
      woken = false;
      const petition = await readShared(ctx.store.read, ctx.space, name);
      const remaining = deadline - ctx.clock.now();
      if (petition.state.status.phase !== "open" || remaining <= 0 || signal?.aborted) return petition;
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const cancel = ctx.clock.setTimer(done, remaining);
        signal?.addEventListener("abort", done, { once: true });
        wake = done;
        function done() {
          cancel();
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

/**
 * Reads of one petition under way, shared: a decision wakes every waiter on the petition at
 * once, and a thousand waiters need one read, not a thousand. A read runs to completion within
 * the turn of the event loop that starts it (the database calls are synchronous), and it is
 * forgotten as soon as it settles, so no waiter can be handed a state from before the change
 * that woke it.
 */
const readsUnderWay = new WeakMap<Repositories, Map<string, Promise<PetitionOut>>>();

function readShared(repos: Repositories, space: SpaceRef, name: string): Promise<PetitionOut> {
  let reads = readsUnderWay.get(repos);
  if (!reads) {
    reads = new Map();
    readsUnderWay.set(repos, reads);
  }
  const key = `${space.id}\u0000${name}`;
  let read = reads.get(key);
  if (!read) {
    read = loadPetition(repos, space, name).then((petition) => petitionWithHistory(repos, petition));
    const started = read;
    const forget = () => {
      if (reads.get(key) === started) reads.delete(key);
    };
    read.then(forget, forget);
    reads.set(key, read);
  }
  return read;
}

/**
 * A change woke the petition's waiters: a read that began before it must not be shared with
 * them. On SQLite none can be under way (a read finishes within its turn of the event loop);
 * on PostgreSQL a read spans turns, and may have begun before the change committed.
 */
function forgetSharedRead(repos: Repositories, space: SpaceRef, name: string): void {
  readsUnderWay.get(repos)?.delete(`${space.id}\u0000${name}`);
}
