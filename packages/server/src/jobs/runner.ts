/**
 * Runs background jobs in this process: each job runs, then sleeps for as long as it asks
 * (or until nudged), and never overlaps itself. A failing run is logged and retried on the
 * job's next turn. State lives in the database, so a restart loses nothing: the first run
 * after start picks up whatever came due while the server was down.
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
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  /** When the sleeping job is due to wake. */
  wakeAt: number;
  rerun: boolean;
}

export class JobRunner {
  private readonly slots = new Map<string, Slot>();
  private stopped = false;

  constructor(private readonly logger: JobLogger) {}

  start(jobs: Job[]): void {
    for (const job of jobs) {
      const slot: Slot = { job, timer: undefined, running: undefined, wakeAt: 0, rerun: false };
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
    if (at < slot.wakeAt) this.schedule(slot, Math.max(0, at - Date.now()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    await Promise.all([...this.slots.values()].map((s) => s.running));
  }

  private schedule(slot: Slot, delayMs: number): void {
    clearTimeout(slot.timer);
    // setTimeout holds at most 2^31-1 ms; a longer sleep is cut short and simply re-checks.
    const delay = Math.min(Math.max(0, delayMs), 2_147_483_647);
    slot.wakeAt = Date.now() + delay;
    slot.timer = setTimeout(() => this.runSlot(slot), delay);
    slot.timer.unref();
  }

  private runSlot(slot: Slot): void {
    if (this.stopped) return;
    slot.timer = undefined;
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
      });
  }
}
