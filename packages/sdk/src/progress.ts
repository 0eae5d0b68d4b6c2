/**
 * The lines `approval()` prints while it works, as Indent's quickstarts show them:
 *
 *   ⏵ Requested approval #acme/pet_01j9…
 *   ↳ Waiting for approval... (2s elapsed)
 *   ✅ Granted
 */
export interface Progress {
  requested(space: string, name: string): void;
  waiting(elapsedMs: number): void;
  granted(): void;
  notGranted(why: string): void;
}

export const silent: Progress = { requested() {}, waiting() {}, granted() {}, notGranted() {} };

export function printer(write: (line: string) => void = toStderr): Progress {
  return {
    requested: (space, name) => write(`⏵ Requested approval #${space}/${name}`),
    waiting: (elapsedMs) => write(`↳ Waiting for approval... (${Math.round(elapsedMs / 1000)}s elapsed)`),
    granted: () => write("✅ Granted"),
    notGranted: (why) => write(`❌ ${why}`),
  };
}

function toStderr(line: string): void {
  if (typeof process !== "undefined" && process.stderr?.write) process.stderr.write(`${line}\n`);
  else console.error(line);
}

const FIRST_REPORT_MS = 2000;

/** When progress lines are due while a wait goes on: after 2 s, then each time the wait has doubled. */
export class ProgressSchedule {
  private next = FIRST_REPORT_MS;

  /** Whether a line is due `elapsedMs` into the wait; if so, the one after is scheduled. */
  due(elapsedMs: number): boolean {
    if (elapsedMs < this.next) return false;
    while (this.next <= elapsedMs) this.next *= 2;
    return true;
  }

  /** How long a long-poll may be held before the next line is due. */
  untilNext(elapsedMs: number): number {
    return this.next - elapsedMs;
  }
}
