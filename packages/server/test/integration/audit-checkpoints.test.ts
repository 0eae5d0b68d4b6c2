import { existsSync, rmSync } from "node:fs";
import { systemClock, type Clock } from "../../src/domain/clock.js";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpointAuditChains } from "../../src/services/audit/audit-checkpoints.js";
import { jobContext } from "../../src/services/runtime/context.js";
import { auditWriter, deleteCheckpoint, rewriteChain } from "./audit-fixtures.js";
import { dropTestDatabase, startTestServer, tempDataDir, type TestServer } from "./harness.js";
import { createSpace } from "./identity-fixtures.js";

/**
 * Signed checkpoints chain to each other and must cover every event older than the
 * checkpoint delay, so deleting checkpoints (some, the newest, or all) to hide a rewritten
 * chain is itself caught, and the server never signs over what it can see was removed.
 */

const MINUTE = 60_000;
let now = Date.parse("2026-04-01T00:00:00Z");
const clock: Clock = { ...systemClock, now: () => now };
// A checkpoint after every event; the job's own timer would sign them a minute apart.
const env = { GREENLIGHT_AUDIT_CHECKPOINT_EVENTS: "1", GREENLIGHT_AUDIT_CHECKPOINT_INTERVAL: "1m" };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ clock, env });
});
afterAll(async () => {
  await t.close();
});

const verify = async (server: TestServer, space: string) => (await server.call("POST", `/v1/spaces/${space}/audit:verify`)).body;
const checkpointsOf = async (server: TestServer, space: string) =>
  (await server.call("GET", `/v1/spaces/${space}/audit/checkpoints?pageSize=100`)).body.checkpoints as Array<{ seq: number }>;

/** A space whose chain has a checkpoint after each of `rounds` batches of events. */
async function checkpointedSpace(server: TestServer, rounds: number): Promise<string> {
  const space = await createSpace(server);
  const write = await auditWriter(server, space);
  for (let i = 0; i < rounds; i++) {
    await write(4);
    now += 1000;
    await checkpointAuditChains({ ctx: jobContext(server.server.services, "audit") });
  }
  return space;
}

describe("deleted checkpoints are caught", () => {
  it("a chain rewritten in the database with its checkpoints deleted is reported invalid, before and after a restart, and is never signed", async () => {
    const dataDir = tempDataDir();
    let server = await startTestServer({ dataDir, clock, env });
    // The audit job runs once as the server starts; on a loaded machine that run can come after
    // the first events are written and sign a checkpoint of its own. Let it finish first.
    await server.idle();
    try {
      const space = await checkpointedSpace(server, 3);
      const clean = await verify(server, space);
      expect(clean).toMatchObject({ valid: true, checkpointsChecked: 3 });
      now += 60 * MINUTE;
      await rewriteChain(server, space, { seq: 5, deleteCheckpoints: "all" });

      const report = await verify(server, space);
      expect(report.valid).toBe(false);
      expect(["uncovered", "checkpoint-missing"]).toContain(report.firstFault.problem);
      // The server does not sign the rewritten chain: that would make it look whole.
      await checkpointAuditChains({ ctx: jobContext(server.server.services, "audit") });
      expect(await checkpointsOf(server, space)).toEqual([]);
      expect((await verify(server, space)).valid).toBe(false);

      await server.close();
      server = await startTestServer({ dataDir, clock, env });
      await checkpointAuditChains({ ctx: jobContext(server.server.services, "audit") });
      expect(await checkpointsOf(server, space)).toEqual([]);
      const afterRestart = await verify(server, space);
      expect(afterRestart.valid).toBe(false);
      expect(afterRestart.firstFault.seq).toBeLessThanOrEqual(clean.head.seq);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      await dropTestDatabase(dataDir);
    }
  });

  it("events older than the checkpoint delay must be covered by a checkpoint, so deleting all of them is caught", async () => {
    const space = await checkpointedSpace(t, 2);
    now += 60 * MINUTE;
    await rewriteChain(t, space, { seq: 3, deleteCheckpoints: "all" });
    // The first fault is the oldest event no checkpoint covers, ahead of the missing checkpoints themselves.
    const report = await verify(t, space);
    expect(report.valid).toBe(false);
    expect(report.firstFault).toMatchObject({ seq: 1, problem: "uncovered" });
    expect(report.firstFault.message).toContain("no signed checkpoint covers it");
  });

  it("deleting a checkpoint in the middle breaks the sequence", async () => {
    const space = await checkpointedSpace(t, 4);
    const checkpoints = await checkpointsOf(t, space);
    expect(checkpoints).toHaveLength(4);
    await deleteCheckpoint(t, space, checkpoints[2]!.seq);
    const report = await verify(t, space);
    expect(report.valid).toBe(false);
    expect(report.firstFault.problem).toBe("checkpoint-missing");
    // The gap shows at the checkpoint after the one removed, which no longer follows the one before.
    expect(report.firstFault.seq).toBe(checkpoints[1]!.seq);
  });

  it("deleting the newest checkpoints is caught, and no checkpoint is signed in their place", async () => {
    const space = await checkpointedSpace(t, 3);
    const [newest] = await checkpointsOf(t, space);
    await deleteCheckpoint(t, space, newest!.seq);
    expect((await verify(t, space)).firstFault).toMatchObject({ seq: newest!.seq, problem: "checkpoint-missing" });
    await checkpointAuditChains({ ctx: jobContext(t.server.services, "audit") });
    expect((await checkpointsOf(t, space)).map((c) => c.seq)).not.toContain(newest!.seq);
    expect((await verify(t, space)).valid).toBe(false);
  });

  it("keeps what it has seen outside the database, in the data directory", async () => {
    await checkpointedSpace(t, 1);
    expect(existsSync(join(t.dataDir, "audit-witness.json"))).toBe(true);
  });
});

describe("checkpoints as the API lists them", () => {
  it("each names its place in the sequence and the one before it, and the list says how late a checkpoint may be", async () => {
    const space = await checkpointedSpace(t, 2);
    const listed = (await t.call("GET", `/v1/spaces/${space}/audit/checkpoints`)).body;
    expect(listed.maxCheckpointDelay).toBe("3m");
    const [second, first] = listed.checkpoints;
    expect(first).toMatchObject({ index: 1, prev: "0".repeat(64) });
    expect(second.index).toBe(2);
    const { createHash } = await import("node:crypto");
    expect(second.prev).toBe(createHash("sha256").update(first.jws).digest("hex"));
  });
});
