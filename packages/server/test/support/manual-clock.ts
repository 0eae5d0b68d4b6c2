import type { Clock } from "../../src/domain/clock.js";

interface Timer {
  at: number;
  seq: number;
  fn: () => unknown;
  /** Passed over by `jump`: waits for the next `advance` or `set`. */
  held?: boolean;
}

/**
 * A clock that stands still until the test moves it. Timers due at the present time fire on
 * the next turn of the event loop, as they would on the system clock, so a server on this
 * clock still does at once what it does at once; what is due later happens only when
 * `advance` or `set` reaches it. Moving the clock fires the timers it passes in the order
 * they fall due, each at its own time, and waits for the work each one returns (a job's run)
 * before the next: when `advance` resolves, what that stretch of time called for has run.
 * A job that polls fires once per poll interval passed, so a move of days is a `jump` (then
 * `advance(0)`): every job then runs once, as after the machine slept.
 */
export class ManualClock implements Clock {
  private time: number;
  private timers: Timer[] = [];
  private seq = 0;
  /** Firing and moving take turns, so timers fire one at a time and in order. */
  private turn: Promise<void> = Promise.resolve();
  private dueSoon = false;

  constructor(start: number = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(fn: () => unknown, ms: number): () => void {
    const timer: Timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    if (timer.at <= this.time) this.fireDueSoon();
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms`, firing what falls due on the way. */
  advance(ms: number): Promise<void> {
    if (ms < 0) throw new Error("a clock advances forward; use set() to go back");
    return this.takeTurn(() => this.runUntil(this.time + ms));
  }

  /**
   * Moves time forward by `ms` without firing what falls due meanwhile, as on a server whose
   * event loop was held up: those timers fire at the next `advance` or `set`. For what must
   * hold before a job has had its turn.
   */
  jump(ms: number): Promise<void> {
    return this.takeTurn(async () => {
      this.time += ms;
      for (const t of this.timers) if (t.at <= this.time) t.held = true;
    });
  }

  /** Moves time to `at` (forward fires what falls due on the way; backward fires nothing). */
  set(at: number): Promise<void> {
    return this.takeTurn(() => (at < this.time ? ((this.time = at), Promise.resolve()) : this.runUntil(at)));
  }

  /** How many timers are waiting, due or not. */
  get pending(): number {
    return this.timers.length;
  }

  private async runUntil(target: number): Promise<void> {
    for (let fired = 0; ; fired++) {
      if (fired === MAX_FIRED) {
        throw new Error(`advancing fired ${MAX_FIRED} timers and more are due: move this far with jump(), then advance(0)`);
      }
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.at);
      await next.fn();
    }
    this.time = target;
  }

  /** Timers due now fire together on the next turn of the event loop, without moving time. */
  private fireDueSoon(): void {
    if (this.dueSoon) return;
    this.dueSoon = true;
    setImmediate(() => {
      this.dueSoon = false;
      void this.takeTurn(async () => {
        const due = this.timers.filter((t) => t.at <= this.time && !t.held).sort(byDue);
        this.timers = this.timers.filter((t) => !due.includes(t));
        await Promise.all(due.map((t) => t.fn()));
      });
    });
  }

  private earliest(): Timer | undefined {
    return this.timers.reduce<Timer | undefined>((best, t) => (best === undefined || byDue(t, best) < 0 ? t : best), undefined);
  }

  private takeTurn(work: () => Promise<void>): Promise<void> {
    const next = this.turn.then(work);
    this.turn = next.catch(() => undefined);
    return next;
  }
}

/** More timers than a test's stretch of time calls for: a poll interval is being run through for days. */
const MAX_FIRED = 100_000;

function byDue(a: Timer, b: Timer): number {
  return a.at - b.at || a.seq - b.seq;
}
