import { rmSync } from "node:fs";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isDomainError } from "../../src/domain/errors.js";
import { formatLabelSelector, matchesLabelSelector, parseLabelSelector, type LabelSelector } from "../../src/domain/label-selector.js";
import { PostgresStore } from "../../src/store/postgres-store.js";
import { SqliteStore } from "../../src/store/sqlite-store.js";
import { joinTransaction, type Store } from "../../src/store/store.js";
import { dropTestDatabase, onPostgres, tempDataDir, testDatabaseEnv, testDatabaseUrl } from "./harness.js";

/**
 * The Store contract, on the engine this project runs: SQLite in the `integration` project,
 * PostgreSQL in `integration-postgres`. What only one engine has (group commit, retries after
 * a serialization failure) has its own suite.
 */
const engine = onPostgres ? "PostgreSQL" : "SQLite";

async function openStore(dataDir: string, onError?: (error: unknown) => void): Promise<Store> {
  if (!onPostgres) return SqliteStore.open({ dataDir, synchronous: "normal", ...(onError ? { onError } : {}) });
  await testDatabaseEnv(dataDir);
  return PostgresStore.open({
    url: testDatabaseUrl(dataDir),
    poolMax: 10,
    statementTimeoutMs: 10_000,
    dataDir,
    ...(onError ? { onError } : {}),
  });
}

let dataDir: string;
let store: Store;

beforeEach(async () => {
  dataDir = tempDataDir();
  store = await openStore(dataDir);
});
afterEach(async () => {
  await store.close();
  await dropTestDatabase(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

const space = (name: string, now = 1) => ({ id: `spc_${name}`, name, displayName: name, createdAt: now, updatedAt: now });

describe(`the store contract on ${engine}`, () => {
  it("commits, and readers see only committed data", async () => {
    let seenInside: unknown = "unset";
    await store.transaction(async (tx) => {
      await tx.spaces.insert(space("a"));
      seenInside = await store.read.spaces.findByName("a");
      expect(await tx.spaces.findByName("a")).toBeDefined();
    });
    expect(seenInside).toBeUndefined();
    expect(await store.read.spaces.findByName("a")).toMatchObject({ name: "a" });
  });

  it("rolls back a failed transaction alone among concurrent ones", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        store.transaction(async (tx) => {
          await tx.spaces.insert(space(`s${i}`));
          if (i % 3 === 0) throw new Error(`fail ${i}`);
          return i;
        }),
      ),
    );
    for (const [i, r] of results.entries()) {
      expect(r.status).toBe(i % 3 === 0 ? "rejected" : "fulfilled");
      if (r.status === "rejected") expect((r.reason as Error).message).toBe(`fail ${i}`);
      expect((await store.read.spaces.findByName(`s${i}`)) === undefined).toBe(i % 3 === 0);
    }
  });

  it("reports a unique violation as CONFLICT and keeps it to its own transaction", async () => {
    await store.transaction((tx) => tx.spaces.insert(space("dup")));
    const [bad, good] = await Promise.allSettled([
      store.transaction((tx) => tx.spaces.insert(space("dup"))),
      store.transaction((tx) => tx.spaces.insert(space("fine"))),
    ]);
    expect(bad.status).toBe("rejected");
    const reason = (bad as PromiseRejectedResult).reason;
    expect(isDomainError(reason) && reason.code).toBe("CONFLICT");
    expect(good.status).toBe("fulfilled");
    expect(await store.read.spaces.findByName("fine")).toBeDefined();
  });

  it("never reports success for a transaction whose statement failed, even if the code caught the failure", async () => {
    await store.transaction((tx) => tx.spaces.insert(space("taken")));
    const outcome = store.transaction(async (tx) => {
      await tx.spaces.insert(space("written-before"));
      await tx.spaces.insert(space("taken")).catch(() => undefined);
      return "carried on";
    });
    if (onPostgres) {
      // PostgreSQL aborts the whole transaction on a failed statement: nothing of it may commit.
      await expect(outcome).rejects.toMatchObject({ code: "CONFLICT" });
      expect(await store.read.spaces.findByName("written-before")).toBeUndefined();
    } else {
      // SQLite undoes the failed statement alone, and the rest commits.
      await expect(outcome).resolves.toBe("carried on");
      expect(await store.read.spaces.findByName("written-before")).toBeDefined();
    }
  });

  it("lets code inside a transaction join it through joinTransaction", async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.spaces.insert(space("outer"));
        const joined = joinTransaction(store, tx);
        await joined.transaction((inner) => inner.spaces.insert(space("inner")));
        expect(await joined.read.spaces.findByName("inner")).toBeDefined();
        throw new Error("undo both");
      }),
    ).rejects.toThrow("undo both");
    expect(await store.read.spaces.findByName("outer")).toBeUndefined();
    expect(await store.read.spaces.findByName("inner")).toBeUndefined();
  });

  it("runs after-commit actions only after a commit", async () => {
    const ran: string[] = [];
    await store.transaction(async (tx) => {
      tx.afterCommit(() => ran.push("committed"));
      expect(ran).toEqual([]);
    });
    await store
      .transaction(async (tx) => {
        tx.afterCommit(() => ran.push("rolled back"));
        throw new Error("no");
      })
      .catch(() => undefined);
    expect(ran).toEqual(["committed"]);
  });

  it("keeps serving after an after-commit action throws", async () => {
    const errors: unknown[] = [];
    const own = tempDataDir();
    const s = await openStore(own, (e) => errors.push(e));
    try {
      const value = await s.transaction(async (tx) => {
        tx.afterCommit(() => {
          throw new Error("hook");
        });
        await tx.spaces.insert(space("x"));
        return 42;
      });
      expect(value).toBe(42);
      expect(errors).toHaveLength(1);
      expect(await s.read.spaces.findByName("x")).toBeDefined();
    } finally {
      await s.close();
      await dropTestDatabase(own);
      rmSync(own, { recursive: true, force: true });
    }
  });

  it("keeps its data across close and reopen", async () => {
    await store.transaction((tx) => tx.spaces.insert(space("durable")));
    await store.close();
    store = await openStore(dataDir);
    expect(await store.read.spaces.findByName("durable")).toBeDefined();
  });

  it("runs concurrent read-modify-write transactions as if one after another", async () => {
    const n = 25;
    await store.transaction((tx) => tx.settings.set("counter", "0", 1));
    const hooks: number[] = [];
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        store.transaction(async (tx) => {
          const value = Number(await tx.settings.get("counter"));
          await tx.settings.set("counter", String(value + 1), 2);
          tx.afterCommit(() => hooks.push(i));
        }),
      ),
    );
    expect(await store.read.settings.get("counter")).toBe(String(n));
    // One after-commit run per committed transaction: none from an attempt that was undone.
    expect(hooks.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it("returns millisecond columns as numbers and JSON columns as the values written", async () => {
    const at = 1_790_000_000_123;
    await store.transaction((tx) => tx.spaces.insert(space("times", at)));
    const found = await store.read.spaces.findByName("times");
    expect(found).toMatchObject({ createdAt: at, updatedAt: at });
    expect(typeof found!.createdAt).toBe("number");
    const labels = { "example.com/team": "core", "a.b/c": "d e", tier: "1", nul: "x\u0000y", private: "\uE000E\uE0000" };
    await store.transaction((tx) =>
      tx.resources.insert("spc_times", { name: "r1", kind: "aws.v1.Role", id: "role\u0000one", labels, createdAt: at, updatedAt: at }),
    );
    const resources = await store.read.resources.list("spc_times", { selector: [], limit: 10 });
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({ name: "r1", id: "role\u0000one", labels, createdAt: at });
  });
});

describe(`label selectors in SQL on ${engine}`, () => {
  const keys = ["env", "team", "indent.com/time/duration", "tier"];
  const values = ["prod", "dev", "", "1", "10", "-3", "a@b.com", "x+y", "99999999999999999999"];
  const labelsArb = fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 4 });
  const requirementArb = fc.oneof(
    fc.record({
      key: fc.constantFrom(...keys),
      op: fc.constantFrom("eq" as const, "neq" as const),
      value: fc.constantFrom(...values.filter(Boolean)),
    }),
    fc.record({
      key: fc.constantFrom(...keys),
      op: fc.constantFrom("in" as const, "notin" as const),
      values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ key: fc.constantFrom(...keys), op: fc.constantFrom("exists" as const, "notexists" as const) }),
    fc.record({
      key: fc.constantFrom(...keys),
      op: fc.constantFrom("gt" as const, "lt" as const),
      value: fc.integer({ min: -5, max: 12 }),
    }),
  );

  it("selects exactly what matchesLabelSelector selects", async () => {
    const spaceId = "spc_labels";
    await store.transaction((tx) => tx.spaces.insert(space("labels")));
    const catalog = fc.sample(labelsArb, { numRuns: 80, seed: 7 });
    await store.transaction(async (tx) => {
      for (const [i, labels] of catalog.entries()) {
        await tx.resources.insert(spaceId, {
          name: `r${String(i).padStart(3, "0")}`,
          kind: "thing",
          id: `t${i}`,
          labels,
          createdAt: 1,
          updatedAt: 1,
        });
      }
    });
    await fc.assert(
      fc.asyncProperty(fc.array(requirementArb, { maxLength: 3 }), async (requirements) => {
        const selector: LabelSelector = parseLabelSelector(formatLabelSelector(requirements));
        const rows = await store.read.resources.list(spaceId, { selector, limit: 1000 });
        const expected = catalog
          .map((labels, i) => ({ labels, name: `r${String(i).padStart(3, "0")}` }))
          .filter((r) => matchesLabelSelector(selector, r.labels));
        expect(rows.map((r) => r.name)).toEqual(expected.map((r) => r.name));
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
