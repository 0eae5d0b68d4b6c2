/**
 * In-process signals from committed transactions to whoever waits on them: long-poll waiters
 * on a petition, the expiry job when a new grant may end sooner than it planned, and the
 * pending-timeout job when a new petition may time out or escalate sooner. Signals
 * are only hints: listeners re-read state from the store, so a missed or extra one is harmless.
 */
export class Notifier {
  private readonly petitionWatchers = new Map<string, Set<() => void>>();
  private readonly grantListeners = new Set<(expireAt: number) => void>();
  private readonly timerListeners = new Set<(at: number) => void>();
  private readonly deliveryListeners = new Set<() => void>();
  private readonly pullListeners = new Set<(at: number) => void>();

  /** Calls `fn` whenever the petition changes, until the returned function is called. */
  watchPetition(spaceId: string, name: string, fn: () => void): () => void {
    const key = `${spaceId}\u0000${name}`;
    let set = this.petitionWatchers.get(key);
    if (!set) {
      set = new Set();
      this.petitionWatchers.set(key, set);
    }
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.petitionWatchers.delete(key);
    };
  }

  petitionChanged(spaceId: string, name: string): void {
    const set = this.petitionWatchers.get(`${spaceId}\u0000${name}`);
    if (!set) return;
    for (const fn of [...set]) fn();
  }

  /** Wakes every petition watcher, so waiters answer before the server shuts down. */
  releaseAll(): void {
    for (const set of [...this.petitionWatchers.values()]) for (const fn of [...set]) fn();
  }

  /** How many wait on this petition now (a held long-poll is one). */
  watchersOf(spaceId: string, name: string): number {
    return this.petitionWatchers.get(`${spaceId}\u0000${name}`)?.size ?? 0;
  }

  get watcherCount(): number {
    let n = 0;
    for (const set of this.petitionWatchers.values()) n += set.size;
    return n;
  }

  onGrantScheduled(fn: (expireAt: number) => void): () => void {
    this.grantListeners.add(fn);
    return () => this.grantListeners.delete(fn);
  }

  grantScheduled(expireAt: number): void {
    for (const fn of this.grantListeners) fn(expireAt);
  }

  onTimerScheduled(fn: (at: number) => void): () => void {
    this.timerListeners.add(fn);
    return () => this.timerListeners.delete(fn);
  }

  onPullScheduled(fn: (at: number) => void): () => void {
    this.pullListeners.add(fn);
    return () => this.pullListeners.delete(fn);
  }

  /** A pull policy will run at `at`. */
  pullScheduled(at: number): void {
    for (const fn of this.pullListeners) fn(at);
  }

  onDeliveriesQueued(fn: () => void): () => void {
    this.deliveryListeners.add(fn);
    return () => this.deliveryListeners.delete(fn);
  }

  /** A transaction put deliveries in the outbox. */
  deliveriesQueued(): void {
    for (const fn of this.deliveryListeners) fn();
  }

  /** A petition will time out or escalate at `at`. */
  timerScheduled(at: number): void {
    for (const fn of this.timerListeners) fn(at);
  }
}
