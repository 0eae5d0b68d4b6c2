import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../support/manual-clock.js";
import { approveClaim, createPetition, petitionBody, SPACE, startTestServer, tempDataDir, type TestServer } from "./harness.js";

const read = async (t: TestServer, name: string) => (await t.call("GET", `${SPACE}/petitions/${name}`)).body;

describe("grant expiry", () => {
  it("ends a grant when its time is up, while the server runs", async () => {
    const t = await startTestServer({ clock: new ManualClock() });
    try {
      const p = await createPetition(t);
      const approved = await t.call("POST", `${SPACE}/petitions/${p.name}/claims`, approveClaim("1s"));
      const expiresAt = Date.parse(approved.body.meta.labels["indent.com/time/expires"]);
      await t.clock.set(expiresAt - 1);
      await t.idle();
      expect((await read(t, p.name)).state.status.phase).toBe("granted");
      // Woken for this grant, not on a poll tick (the poll interval is 5 s): ended the moment it is due.
      await t.clock.set(expiresAt);
      await t.idle();
      const value = await read(t, p.name);
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

  it("revokes grants that expired while the server was stopped, before it serves anything", async () => {
    const dataDir = tempDataDir();
    try {
      const first = await startTestServer({ dataDir, clock: new ManualClock() });
      const p = await createPetition(first);
      await first.call("POST", `${SPACE}/petitions/${p.name}/claims`, approveClaim("1s"));
      await first.close();

      // 1.5 s later, and time stands still from there: what the server does, it does at start.
      const clock = new ManualClock(first.clock.now() + 1500);
      const startedAt = clock.now();
      const second = await startTestServer({ dataDir, clock });
      try {
        const value = await read(second, p.name);
        expect(clock.now()).toBe(startedAt);
        expect(value.state.status.phase).toBe("closed");
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
    // A long poll interval and a grant that ends before the job has had its turn: the create
    // path itself must notice.
    const t = await startTestServer({ clock: new ManualClock(), env: { GREENLIGHT_EXPIRY_POLL_INTERVAL: "1h" } });
    try {
      const body = petitionBody();
      const first = await t.call("POST", `${SPACE}/petitions`, body);
      await t.call("POST", `${SPACE}/petitions/${first.body.name}/claims`, approveClaim("50ms"));
      await t.clock.jump(80);
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
