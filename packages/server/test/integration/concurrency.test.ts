import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveClaim, createPetition, denyClaim, petitionBody, SPACE, startTestServer, type TestServer } from "./harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe("concurrent decisions", () => {
  it("approve racing deny on the same petition: exactly one wins, every time", async () => {
    const rounds = 60;
    const petitions = await Promise.all(Array.from({ length: rounds }, () => createPetition(t)));
    const results = await Promise.all(
      petitions.map(async (p, i) => {
        const claims = `${SPACE}/petitions/${p.name}/claims`;
        // Alternate who is sent first so neither side always has the head start.
        const [a, b] = i % 2 ? [approveClaim("1h"), denyClaim] : [denyClaim, approveClaim("1h")];
        const [first, second] = await Promise.all([t.fetch("POST", claims, a), t.fetch("POST", claims, b)]);
        const final = await t.fetch("GET", `${SPACE}/petitions/${p.name}`);
        return {
          statuses: [first.status, second.status].sort(),
          final: final.body,
          winner: first.status === 200 ? a.claim.event : b.claim.event,
        };
      }),
    );
    for (const r of results) {
      expect(r.statuses).toEqual([200, 409]);
      const decisions = r.final.state.eventHistory.filter(
        (e: { event: string }) => e.event === "access/approve" || e.event === "access/deny",
      );
      expect(decisions).toHaveLength(1);
      expect(decisions[0].event).toBe(r.winner);
      expect(r.final.state.status.phase).toBe(r.winner === "access/approve" ? "granted" : "closed");
    }
    // Denied petitions have no grants at all.
    const grants = await t.fetch("GET", `${SPACE}/grants?status=active&pageSize=100`);
    const granted = new Set(results.filter((r) => r.winner === "access/approve").map((r) => r.final.name));
    for (const g of grants.body.grants)
      if (petitions.some((p) => p.name === g.petitionName)) expect(granted.has(g.petitionName)).toBe(true);
  });

  it("many identical creates at once make one petition", async () => {
    const body = petitionBody();
    const replies = await Promise.all(Array.from({ length: 30 }, () => t.fetch("POST", `${SPACE}/petitions`, body)));
    const names = new Set(replies.map((r) => r.body.name));
    expect(names.size).toBe(1);
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(29);
  });

  it("concurrent requests with one Idempotency-Key run once", async () => {
    const body = petitionBody();
    const headers = { "idempotency-key": `concurrent-${Date.now()}` };
    const replies = await Promise.all(Array.from({ length: 20 }, () => t.fetch("POST", `${SPACE}/petitions`, body, headers)));
    expect(new Set(replies.map((r) => r.body.name)).size).toBe(1);
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(replies.filter((r) => r.headers["idempotent-replayed"] === "true")).toHaveLength(19);
  });
});
