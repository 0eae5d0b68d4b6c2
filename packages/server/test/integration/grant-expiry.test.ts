import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { approveClaim, createPetition, petitionBody, SPACE, sleep, startTestServer, tempDataDir, type TestServer } from "./harness.js";

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<{ value: T; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return { value, waitedMs: Date.now() - started };
    if (Date.now() - started > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 300)}`);
    await sleep(25);
  }
}

const phaseOf = (t: TestServer, name: string) => async () => (await t.call("GET", `${SPACE}/petitions/${name}`)).body;

describe("grant expiry", () => {
  it("ends a grant when its time is up, while the server runs", async () => {
    const t = await startTestServer();
    try {
      const p = await createPetition(t);
      const approved = await t.call("POST", `${SPACE}/petitions/${p.name}/claims`, approveClaim("1s"));
      const expiresAt = Date.parse(approved.body.meta.labels["indent.com/time/expires"]);
      const { value } = await until(phaseOf(t, p.name), (x) => x.state.status.phase === "closed", 5000);
      // Woken for this grant, not on a poll tick (the poll interval is 5 s).
      expect(Date.now() - expiresAt).toBeLessThan(1500);
      expect(value.state.status).toEqual({ phase: "closed", outcome: "expired" });
      const revoke = value.state.eventHistory.at(-1);
      expect(revoke.event).toBe("access/revoke");
      expect(revoke.actor).toMatchObject({ kind: "greenlight.v1.System", id: "expiry" });
      expect(revoke.reason).toBe("access grant expired");
      const grants = (await t.call("GET", `${SPACE}/grants?petition=${p.name}`)).body.grants;
      expect(grants.map((g: { status: string }) => g.status)).toEqual(["expired"]);
    } finally {
      await t.close();
    }
  });

  it("revokes grants that expired while the server was stopped, within seconds of starting", async () => {
    const dataDir = tempDataDir();
    try {
      const first = await startTestServer({ dataDir });
      const p = await createPetition(first);
      await first.call("POST", `${SPACE}/petitions/${p.name}/claims`, approveClaim("1s"));
      await first.close();

      await sleep(1500);
      const second = await startTestServer({ dataDir });
      try {
        const { value, waitedMs } = await until(phaseOf(second, p.name), (x) => x.state.status.phase === "closed", 5000);
        expect(waitedMs).toBeLessThan(3000);
        expect(value.state.status.outcome).toBe("expired");
        expect(value.state.eventHistory.filter((e: { event: string }) => e.event === "access/revoke")).toHaveLength(1);
        const grants = (await second.call("GET", `${SPACE}/grants?petition=${p.name}`)).body.grants;
        expect(grants.map((g: { status: string }) => g.status)).toEqual(["expired"]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("does not hand out an expired grant as live to a repeated request", async () => {
    // A long poll interval and a grant that ends before the job could run: the create path
    // itself must notice.
    const t = await startTestServer({ env: { GREENLIGHT_EXPIRY_POLL_INTERVAL: "1h" } });
    try {
      const body = petitionBody();
      const first = await t.call("POST", `${SPACE}/petitions`, body);
      await t.call("POST", `${SPACE}/petitions/${first.body.name}/claims`, approveClaim("50ms"));
      await sleep(80);
      const second = await t.call("POST", `${SPACE}/petitions`, body);
      expect(second.status).toBe(201);
      expect(second.body.name).not.toBe(first.body.name);
      expect(second.body.state.status.phase).toBe("open");
      const old = (await t.call("GET", `${SPACE}/petitions/${first.body.name}`)).body;
      expect(old.state.status).toEqual({ phase: "closed", outcome: "expired" });
    } finally {
      await t.close();
    }
  });
});
