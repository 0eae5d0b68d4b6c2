import { describe, expect, it } from "vitest";
import { JobRunner, type Job } from "../../src/jobs/runner.js";
import { ManualClock } from "../support/manual-clock.js";

const logger = { error: () => {} };

/** A job that records the clock's time at each run and sleeps for what `sleeps` says next. */
function recordingJob(clock: ManualClock, sleeps: number[]): Job & { runs: number[] } {
  const runs: number[] = [];
  return {
    name: "recording",
    retryMs: 1000,
    runs,
    async run() {
      runs.push(clock.now());
      return sleeps.shift() ?? 60_000;
    },
  };
}

describe("the job runner on a manual clock", () => {
  it("runs a job at start, then when the clock reaches the time it asked to sleep until", async () => {
    const clock = new ManualClock(1_000_000);
    const runner = new JobRunner(logger, clock);
    const job = recordingJob(clock, [500]);
    runner.start([job]);
    await runner.whenIdle();
    expect(job.runs).toEqual([1_000_000]);
    await clock.advance(499);
    expect(job.runs).toEqual([1_000_000]);
    await clock.advance(1);
    expect(job.runs).toEqual([1_000_000, 1_000_500]);
    await runner.stop();
  });

  it("runs a nudged job by the time it was asked for, and every run a long advance passes, in order", async () => {
    const clock = new ManualClock(0);
    const runner = new JobRunner(logger, clock);
    const job = recordingJob(clock, [60_000, 10, 60_000]);
    runner.start([job]);
    await runner.whenIdle();
    runner.wakeBy("recording", 200);
    await clock.advance(100_000);
    expect(job.runs).toEqual([0, 200, 210, 60_210]);
    await runner.stop();
  });

  it("is idle only once no run is under way or due", async () => {
    const clock = new ManualClock(0);
    const runner = new JobRunner(logger, clock);
    let release: () => void = () => {};
    const job: Job = { name: "slow", retryMs: 1000, run: () => new Promise<number>((r) => (release = () => r(1000))) };
    runner.start([job]);
    expect(runner.isIdle()).toBe(false);
    let idle = false;
    const waiting = runner.whenIdle().then(() => (idle = true));
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(runner.isIdle()).toBe(true);
    await runner.stop();
  });

  it("a job that fails is tried again after its retry interval", async () => {
    const clock = new ManualClock(0);
    const runner = new JobRunner(logger, clock);
    const runs: number[] = [];
    const job: Job = {
      name: "failing",
      retryMs: 300,
      async run() {
        runs.push(clock.now());
        throw new Error("no");
      },
    };
    runner.start([job]);
    await runner.whenIdle();
    await clock.advance(600);
    expect(runs).toEqual([0, 300, 600]);
    await runner.stop();
  });
});

describe("the manual clock", () => {
  it("a jump leaves what fell due for the next advance", async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.setTimer(() => fired.push(clock.now()), 50);
    await clock.jump(80);
    clock.setTimer(() => fired.push(-1), 0);
    await new Promise((r) => setImmediate(r));
    await clock.advance(0);
    expect(fired).toEqual([-1, 80]);
  });

  it("a cancelled timer never fires", async () => {
    const clock = new ManualClock(0);
    let fired = false;
    const cancel = clock.setTimer(() => (fired = true), 10);
    cancel();
    await clock.advance(100);
    expect(fired).toBe(false);
    expect(clock.pending).toBe(0);
  });
});

describe("the manual clock, moved far", () => {
  it("refuses to run a poll through days, and a jump runs each job once", async () => {
    const clock = new ManualClock(0);
    const runner = new JobRunner(logger, clock);
    const job = recordingJob(clock, []);
    job.run = async () => (job.runs.push(clock.now()), 50);
    runner.start([job]);
    await runner.whenIdle();
    await expect(clock.advance(90 * 86_400_000)).rejects.toThrow(/jump\(\)/);
    const before = job.runs.length;
    await clock.jump(90 * 86_400_000);
    await clock.advance(0);
    expect(job.runs.length).toBe(before + 1);
    await runner.stop();
  });
});
