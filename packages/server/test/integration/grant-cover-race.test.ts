import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/store/postgres-store.js";
import {
  approveClaim,
  createPetition,
  dropTestDatabase,
  onPostgres,
  SPACE,
  startTestServer,
  tempDataDir,
  testDatabaseUrl,
} from "./harness.js";

/**
 * Two petitions grant one (petitioner, resource) pair and end at the same moment on two
 * replicas. Each transaction ends its own grant and reads whether the other's still covers the
 * pair; were both to see the other's as active, neither would send the revoke and the pair
 * would stay granted at the integration with no grant behind it. At SERIALIZABLE one of them
 * is refused and runs again, and then sees the other's grant ended. Runs in the
 * `integration-postgres` project.
 */

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe.skipIf(!onPostgres)("two grants of one pair ending at once on two replicas", () => {
  it("cannot both be taken as covered by the other: the last to commit sees the other ended", async () => {
    const dataDir = tempDataDir();
    cleanup.push(async () => {
      await dropTestDatabase(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    });
    // Two petitions of one person: {r1, r2} and {r1}, both granted.
    const t = await startTestServer({ dataDir });
    const petitioner = { kind: "user", email: `race-${Date.now()}@example.com` };
    const r1 = { kind: "okta.v1.Group", id: "r1" };
    const names: string[] = [];
    for (const resources of [[r1, { kind: "okta.v1.Group", id: "r2" }], [r1]]) {
      const petition = await createPetition(t, { petitioners: [petitioner], resources });
      expect((await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"))).status).toBe(200);
      names.push(petition.name);
    }
    await t.close();

    // Two replicas: one server's own transactions take turns, so the race is between servers.
    const replicas = await Promise.all(
      [0, 1].map(async () => {
        const store = await PostgresStore.open({
          url: testDatabaseUrl(dataDir),
          poolMax: 2,
          statementTimeoutMs: 10_000,
          dataDir,
          secretKey: null,
          onError: () => undefined,
        });
        cleanup.push(() => store.close());
        return store;
      }),
    );
    const spaceId = (await replicas[0]!.read.spaces.findByName("default"))!.id;

    // Each ends its petition's grants, then reads what still covers them; both read before either commits.
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    const attempts = [0, 0];
    const seen: Array<Map<string, string>> = [];
    await Promise.all(
      [0, 1].map((i) =>
        replicas[i]!.transaction(async (tx) => {
          attempts[i]! += 1;
          const ended = await tx.grants.endActive(spaceId, names[i]!, "expired", Date.now());
          const covered = await tx.grants.coveringPetitions(spaceId, ended);
          if (attempts[i] === 1) {
            arrived += 1;
            if (arrived === 2) release();
            await bothRead;
          }
          seen[i] = covered;
        }),
      ),
    );

    expect(attempts[0]! + attempts[1]!).toBeGreaterThan(2);
    // What the committed runs saw: at most one took r1 for covered, and by the other petition.
    const coveredBy = seen.map((covered) => [...covered.values()]);
    expect(coveredBy.filter((list) => list.length > 0).length).toBeLessThanOrEqual(1);
    for (const [i, list] of coveredBy.entries()) for (const name of list) expect(name).toBe(names[1 - i]);
  });
});
