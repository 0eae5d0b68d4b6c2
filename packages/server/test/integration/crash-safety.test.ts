import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AUTH, onPostgres, SPACE, tempDataDir, waitFor } from "./harness.js";
import { exited, spawnServer } from "./child-server.js";

type Ack = { name: string; decided?: "approve" | "deny" };

async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url + path, {
    method,
    headers: { ...AUTH, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: await response.json() };
}

async function listAll(url: string): Promise<any[]> {
  const all: any[] = [];
  let token = "";
  do {
    const page = await call(url, "GET", `${SPACE}/petitions?pageSize=100&showDeleted=true${token ? `&pageToken=${token}` : ""}`);
    all.push(...page.body.petitions);
    token = page.body.nextPageToken;
  } while (token);
  return all;
}

// The embedded store's own durability: its group commit and its syncs of the log. On
// PostgreSQL a killed server's commits are the database's to keep, and this test's pace
// (petitions written as fast as sixteen clients can) is SQLite's.
describe.skipIf(onPostgres)("kill -9 at any moment", () => {
  it("loses no acknowledged write and leaves nothing half-applied", async () => {
    const dataDir = tempDataDir();
    try {
      const first = await spawnServer(dataDir);
      // Killed once this many writes were acknowledged, however long that takes on a busy machine.
      const KILL_AFTER = 60;
      const acks = new Map<string, Ack>();
      let stop = false;
      let n = 0;
      const worker = async (w: number) => {
        while (!stop) {
          const i = n++;
          try {
            const created = await call(first.url, "POST", `${SPACE}/petitions`, {
              petition: {
                reason: "crash test",
                petitioners: [{ kind: "user", email: `w${w}-${i}@example.com` }],
                resources: [
                  { kind: "okta.v1.Group", id: "g1" },
                  { kind: "okta.v1.Group", id: "g2" },
                ],
              },
            });
            if (created.status !== 201) throw new Error(`create ${created.status}`);
            acks.set(created.body.name, { name: created.body.name });
            const decision = i % 3 === 0 ? "deny" : "approve";
            const claim =
              decision === "approve"
                ? { event: "access/approve", meta: { labels: { "indent.com/time/duration": "1h" } } }
                : { event: "access/deny", reason: "no" };
            const decided = await call(first.url, "POST", `${SPACE}/petitions/${created.body.name}/claims`, { claim });
            if (decided.status !== 200) throw new Error(`decide ${decided.status}`);
            acks.get(created.body.name)!.decided = decision;
          } catch {
            // The server was killed under this request: its outcome is unknown, and the
            // consistency pass below checks it was applied fully or not at all.
            return;
          }
        }
      };
      const workers = Array.from({ length: 16 }, (_, w) => worker(w));
      // Kill while the other workers' requests are in flight.
      await waitFor(`${KILL_AFTER} acknowledged writes`, () => acks.size >= KILL_AFTER, 45_000);
      first.process.kill("SIGKILL");
      stop = true;
      await exited(first.process);
      await Promise.all(workers);
      expect(acks.size).toBeGreaterThan(50);

      const second = await spawnServer(dataDir);
      try {
        for (const ack of acks.values()) {
          const got = await call(second.url, "GET", `${SPACE}/petitions/${ack.name}`);
          expect(got.status).toBe(200);
          if (ack.decided === "approve") expect(got.body.state.status.phase).toBe("granted");
          if (ack.decided === "deny") expect(got.body.state.status).toEqual({ phase: "closed", outcome: "denied" });
        }

        // Every petition, acknowledged or not, is in one whole state.
        const grants = new Map<string, string[]>();
        let token = "";
        do {
          const page = await call(second.url, "GET", `${SPACE}/grants?pageSize=100${token ? `&pageToken=${token}` : ""}`);
          for (const g of page.body.grants) grants.set(g.petitionName, [...(grants.get(g.petitionName) ?? []), g.status]);
          token = page.body.nextPageToken;
        } while (token);
        const petitions = await listAll(second.url);
        expect(petitions.length).toBeGreaterThanOrEqual(acks.size);
        for (const p of petitions) {
          const events = p.state.eventHistory.map((e: { event: string }) => e.event);
          if (p.state.status.phase === "open") {
            expect(events).toEqual(["access/request"]);
            expect(grants.has(p.name)).toBe(false);
          } else if (p.state.status.phase === "granted") {
            expect(events).toEqual(["access/request", "access/approve", "access/grant", "access/grant"]);
            expect(grants.get(p.name)).toEqual(["active", "active"]);
          } else {
            expect(p.state.status.outcome).toBe("denied");
            expect(events).toEqual(["access/request", "access/deny"]);
            expect(grants.has(p.name)).toBe(false);
          }
        }
      } finally {
        second.process.kill("SIGTERM");
        expect(await exited(second.process)).toBe(0);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
