import type { Clock } from "../domain/clock.js";

/**
 * Runs background jobs in this process: each job runs, then sleeps for as long as it asks
 * (or until nudged), and never overlaps itself. A failing run is logged and retried on the
 * job's next turn. State lives in the database, so a restart loses nothing: the first run
 * after start picks up whatever came due while the server was down. Sleeping and "now" are
 * the injected clock's, so a test that moves the clock sees the jobs that came due run.
 */
export interface Job {
  name: string;
  /** Does one round of work and returns how long to sleep before the next, in ms. */
  run(): Promise<number>;
  /** If it fails, how long to wait before trying again. */
  retryMs: number;
}

export interface JobLogger {
  error(obj: object, msg: string): void;
}

interface Slot {
  job: Job;
  cancel: (() => void) | undefined;
  running: Promise<void> | undefined;
  /** When the sleeping job is due to wake, on the clock. */
  wakeAt: number;
  rerun: boolean;
}

export class JobRunner {
  private readonly slots = new Map<string, Slot>();
  private stopped = false;
  /** Settled when no job is running or due: see `whenIdle`. */
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly logger: JobLogger,
    private readonly clock: Clock,
  ) {}

  start(jobs: Job[]): void {
    for (const job of jobs) {
      const slot: Slot = { job, cancel: undefined, running: undefined, wakeAt: 0, rerun: false };
      this.slots.set(job.name, slot);
      this.schedule(slot, 0);
    }
  }

  /** Wakes the job by `at` (epoch ms) at the latest; sooner than that if it was due sooner. */
  wakeBy(name: string, at: number): void {
    const slot = this.slots.get(name);
    if (!slot || this.stopped) return;
    if (slot.running) {
      // It re-reads state when it finishes a run; make sure it runs again then.
      slot.rerun = true;
      return;
    }
    if (at < slot.wakeAt) this.schedule(slot, at - this.clock.now());
  }

  /**
   * Resolves once no job is running and none is due by the clock's present time: every job
   * has done what the time calls for. Tests wait on it to see that something did not happen.
   */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const slot of this.slots.values()) slot.cancel?.();
    await Promise.all([...this.slots.values()].map((s) => s.running));
    this.notifyIfIdle();
  }

  /** Whether no job is running or due now. */
  isIdle(): boolean {
    if (this.stopped) return [...this.slots.values()].every((s) => !s.running);
    const now = this.clock.now();
    return [...this.slots.values()].every((s) => !s.running && s.wakeAt > now);
  }

  private notifyIfIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private schedule(slot: Slot, delayMs: number): void {
    slot.cancel?.();
    const delay = Math.max(0, delayMs);
    slot.wakeAt = this.clock.now() + delay;
    slot.cancel = this.clock.setTimer(() => this.runSlot(slot), delay);
  }

  private runSlot(slot: Slot): Promise<void> | undefined {
    if (this.stopped) return undefined;
    slot.cancel = undefined;
    slot.wakeAt = Number.POSITIVE_INFINITY;
    slot.rerun = false;
    slot.running = slot.job
      .run()
      .catch((error: unknown) => {
        this.logger.error({ err: error, job: slot.job.name }, `job ${slot.job.name} failed; retrying`);
        return slot.job.retryMs;
      })
      .then((sleepMs) => {
        slot.running = undefined;
        if (!this.stopped) this.schedule(slot, slot.rerun ? 0 : sleepMs);
        this.notifyIfIdle();
      });
    return slot.running;
  }
}
