import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

/**
 * One server per data directory. SQLite would let two processes share the file, but the
 * server batches commits and wakes waiters in-process, so a second writer would leave the
 * first one's waiters asleep. A stale lock (its process is gone, say after kill -9) is taken
 * over.
 */
const heldHere = new Set<string>();

export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, "greenlight.pid");
  if (heldHere.has(path)) throw inUse(process.pid, dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(path);
      return () => {
        heldHere.delete(path);
        try {
          if (readFileSync(path, "utf8") === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSafe(path));
      // Our own pid in the file, but not a lock this process holds: left by an earlier process
      // that had the same pid, so stale.
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw inUse(holder, dataDir);
      }
      try {
        unlinkSync(path);
      } catch {
        // Someone else removed it first; try again.
      }
    }
  }
  throw new Error(`could not lock the data directory ${dataDir}; remove ${path} if no server is running`);
}

function inUse(pid: number, dataDir: string): Error {
  return new Error(
    `another Greenlight server (pid ${pid}) is using the data directory ${dataDir}; stop it, or start this one with another GREENLIGHT_DATA_DIR`,
  );
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
