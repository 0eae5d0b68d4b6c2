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
