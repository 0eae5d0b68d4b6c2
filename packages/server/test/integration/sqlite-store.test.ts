import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite-store.js";
import { tempDataDir } from "./harness.js";

let dataDir: string;
let store: SqliteStore;

beforeEach(async () => {
  dataDir = tempDataDir();
  store = await SqliteStore.open({ dataDir, synchronous: "full" });
});
afterEach(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const space = (name: string, now = 1) => ({ id: `spc_${name}`, name, displayName: name, createdAt: now, updatedAt: now });

describe("SqliteStore transactions", () => {
  it("rolls back a failed transaction alone, even inside a batch with others", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        store.transaction(async (tx) => {
          await tx.spaces.insert(space(`s${i}`));
          if (i % 3 === 0) throw new Error(`fail ${i}`);
          return i;
        }),
      ),
    );
    for (const [i, r] of results.entries()) {
      expect(r.status).toBe(i % 3 === 0 ? "rejected" : "fulfilled");
      const found = await store.read.spaces.findByName(`s${i}`);
      expect(found === undefined).toBe(i % 3 === 0);
    }
    // Concurrent transactions share commits.
    expect(store.stats.transactions).toBe(26);
    expect(store.stats.commits).toBeLessThan(26);
  });

  it("shares a commit among transactions started by separate events, as requests are", async () => {
    // Each transaction starts in its own callback of the event loop, the way each HTTP request
    // does; none of them is answered before the commit that carries it.
    const done = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) =>
          new Promise<number>((resolve, reject) =>
            setImmediate(() => store.transaction((tx) => tx.spaces.insert(space(`e${i}`))).then(() => resolve(i), reject)),
          ),
      ),
    );
    expect(done).toHaveLength(20);
    expect(store.stats.transactions).toBe(20);
    expect(store.stats.commits).toBeLessThanOrEqual(2);
    for (let i = 0; i < 20; i++) expect(await store.read.spaces.findByName(`e${i}`)).toBeDefined();
  });

  it("answers no transaction before a sync of the log that followed its commit", async () => {
    // Transactions arrive over many turns of the event loop, so later ones commit while
    // earlier ones are still being synced.
    const answered = await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) =>
          new Promise<boolean>((resolve, reject) =>
            setTimeout(() => {
              let syncsWhenRun = -1;
              store
                .transaction(async (tx) => {
                  syncsWhenRun = store.stats.syncs;
                  await tx.spaces.insert(space(`d${i}`));
                })
                .then(() => resolve(store.stats.syncs > syncsWhenRun), reject);
            }, i % 20),
          ),
      ),
    );
    expect(answered.every(Boolean)).toBe(true);
    expect(store.stats.transactions).toBe(200);
    expect(store.stats.syncs).toBeGreaterThan(0);
    expect(store.stats.syncs).toBeLessThanOrEqual(store.stats.commits);
  });

  it("syncs once per transaction for a writer that waits for each one", async () => {
    for (let i = 0; i < 5; i++) await store.transaction((tx) => tx.spaces.insert(space(`w${i}`)));
    expect(store.stats.syncs).toBe(5);
  });

  it("leaves syncing the log to SQLite's checkpoints with synchronous=normal", async () => {
    const relaxedDir = tempDataDir();
    const relaxed = await SqliteStore.open({ dataDir: relaxedDir, synchronous: "normal" });
    try {
      for (let i = 0; i < 5; i++) await relaxed.transaction((tx) => tx.spaces.insert(space(`n${i}`)));
      expect(relaxed.stats.transactions).toBe(5);
      expect(relaxed.stats.syncs).toBe(0);
    } finally {
      await relaxed.close();
      rmSync(relaxedDir, { recursive: true, force: true });
    }
  });

  it("isolates a constraint violation to its own transaction", async () => {
    await store.transaction((tx) => tx.spaces.insert(space("dup")));
    const [bad, good] = await Promise.allSettled([
      store.transaction((tx) => tx.spaces.insert(space("dup"))),
      store.transaction((tx) => tx.spaces.insert(space("fine"))),
    ]);
    expect(bad.status).toBe("rejected");
    expect(good.status).toBe("fulfilled");
    expect(await store.read.spaces.findByName("fine")).toBeDefined();
  });
});

describe("the data directory lock", () => {
  it("refuses a second server on the same directory, naming the holder", async () => {
    await expect(SqliteStore.open({ dataDir, synchronous: "full" })).rejects.toThrow(
      new RegExp(`pid ${process.pid}.*${dataDir.replaceAll("/", "\\/")}`),
    );
  });

  it("takes over a lock left by a process that is gone", async () => {
    const own = tempDataDir();
    // A pid that cannot be running (beyond the kernel's pid_max).
    writeFileSync(join(own, "greenlight.pid"), "999999999");
    const s = await SqliteStore.open({ dataDir: own, synchronous: "full" });
    await s.close();
    rmSync(own, { recursive: true, force: true });
  });
});
