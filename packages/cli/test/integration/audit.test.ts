import Database from "better-sqlite3";
import { systemClock } from "../../../server/src/domain/clock.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpointAuditChains } from "../../../server/src/services/audit/audit-checkpoints.js";
import { jobContext } from "../../../server/src/services/runtime/context.js";
import { auditWriter, rewriteChain } from "../../../server/test/integration/audit-fixtures.js";
import { dropTestDatabase, onPostgres, startTestServer, until, type TestServer } from "../../../server/test/integration/harness.js";
import { bearer } from "../../../server/test/integration/identity-fixtures.js";
import { asAdmin, runGreenlight } from "./run-cli.js";

/**
 * `greenlight audit` against a real server: search, export, and verification by the server
 * and, offline, of an export file against a checkpoint and the published keys.
 */

let t: TestServer;
let home: string;
beforeAll(async () => {
  t = await startTestServer({ env: { GREENLIGHT_AUDIT_CHECKPOINT_EVENTS: "1", GREENLIGHT_AUDIT_CHECKPOINT_INTERVAL: "1s" } });
  home = mkdtempSync(join(tmpdir(), "greenlight-cli-audit-"));
});
afterAll(async () => {
  await t.close();
  rmSync(home, { recursive: true, force: true });
});

const run = (args: string[]) => runGreenlight(home, args, asAdmin(t, home));

describe("greenlight audit", () => {
  it("lists what happened, by actor and event", async () => {
    await t.call("POST", "/v1/spaces/default/groups", { group: { name: "cli-audited", members: ["carol@example.com"] } });
    const listed = await run(["audit", "list", "--event", "group/*"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^SEQ\s+TIME\s+EVENT\s+ACTOR\s+RESOURCES\s+REASON\s+WRITTEN BY\n/);
    expect(listed.stdout).toMatch(/group\/created\s+Bootstrap admin\s+cli-audited, carol@example.com/);
    const json = JSON.parse((await run(["audit", "list", "--resource", "carol@example.com", "-o", "json"])).stdout);
    expect(json.map((e: { event: string }) => e.event)).toEqual(["group/created"]);
  });

  it("exports, and verifies the export offline against a checkpoint; a changed export fails at the changed event", async () => {
    const inputs = await run(["audit", "inputs", "create", "app", "cli", "-o", "json"]);
    const token = JSON.parse(inputs.stdout).token;
    const events = Array.from({ length: 30 }, (_, i) => ({ event: "app/did", reason: `step ${i}` }));
    const wrote = await t.call("POST", "/v1/inputs/default/app/cli:writeBatch", { events }, { authorization: `Bearer ${token}` });
    expect(wrote.status).toBe(200);
    const head = (await t.call("POST", "/v1/spaces/default/audit:verify")).body.head.seq;
    await until(
      () => t.call("GET", "/v1/spaces/default/audit/checkpoints?pageSize=1"),
      (r) => r.body.checkpoints[0]?.seq >= head,
    );
    const file = join(home, "audit.jsonl");
    const exported = await run(["audit", "export", "--file", file]);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(head);
    const checkpoint = join(home, "checkpoint.json");
    writeFileSync(checkpoint, (await run(["audit", "checkpoints", "--latest", "-o", "json"])).stdout);

    const server = await run(["audit", "verify"]);
    expect(server.code, server.stderr).toBe(0);
    expect(server.stdout).toMatch(/^The audit log verifies: \d+ events checked\.\n$/);
    const offline = await run(["audit", "verify", "--file", file, "--checkpoint", checkpoint, "-o", "json"]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ valid: true, lastSeq: lines.length });
    expect((await run(["audit", "verify", "--offline"])).code).toBe(0);

    // An edited export (someone "fixes" event 10) fails there.
    const edited = lines.map((line) => (JSON.parse(line).seq === 10 ? line.replace(/"reason":"([^"]*)"/, '"reason":"changed"') : line));
    writeFileSync(file, `${edited.join("\n")}\n`);
    const tampered = await run(["audit", "verify", "--file", file, "--checkpoint", checkpoint]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/does NOT verify: event 10 altered/);
    // A cut-off export ends before the checkpoint.
    writeFileSync(file, `${lines.slice(0, 5).join("\n")}\n`);
    const cut = await run(["audit", "verify", "--file", file, "--checkpoint", checkpoint, "-o", "json"]);
    expect(cut.code).toBe(1);
    expect(JSON.parse(cut.stdout).firstFault).toMatchObject({ seq: 6, problem: "missing" });
    expect(cut.stderr).toBe("");
    // Without the checkpoint it still chains, and the command says what that leaves unchecked.
    const unanchored = await run(["audit", "verify", "--file", file]);
    expect(unanchored.code).toBe(0);
    expect(unanchored.stderr).toMatch(/^greenlight: warning: without --checkpoint, .*events cut from its end cannot be detected/);
    expect(unanchored.stderr).toContain("greenlight audit checkpoints --latest -o json > checkpoint.json");
  });

  it.skipIf(onPostgres)("says at which event the chain was altered when the server checks it", async () => {
    const db = new Database(join(t.dataDir, "greenlight.db"));
    const space = (db.prepare("SELECT id FROM spaces WHERE name = 'default'").get() as { id: string }).id;
    const row = db.prepare("SELECT body FROM audit_events WHERE space_id = ? AND seq = 3").get(space) as { body: string };
    db.prepare("UPDATE audit_events SET body = ? WHERE space_id = ? AND seq = 3").run(row.body.replace('"reason":"', '"reason":"x'), space);
    db.close();
    const verified = await run(["audit", "verify"]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/does NOT verify: event 3 altered/);
  });

  it("sets the retention and manages inputs", async () => {
    expect((await run(["audit", "retention", "8760h"])).stdout).toBe("Audit events are kept for 8760h.\n");
    expect((await run(["audit", "retention"])).stdout).toBe("Audit events are kept for 8760h.\n");
    expect((await run(["audit", "retention", "forever"])).stdout).toBe("Audit events are kept for ever.\n");
    const created = await run(["audit", "inputs", "create", "billing", "prod"]);
    expect(created.stdout).toMatch(/Its token is shown only now:\n {2}gla_/);
    expect((await run(["audit", "inputs", "list"])).stdout).toMatch(/billing\/prod\s+gla_\S+…/);
    expect((await run(["audit", "inputs", "delete", "billing", "prod"])).stdout).toBe("Removed input billing/prod.\n");
    const bad = await run(["audit", "export", "--format", "xml"]);
    expect(bad.code).toBe(2);
  });
});

describe("what inputs wrote, as the CLI shows it", () => {
  it("shows which input wrote an event and when it arrived, and --writer server leaves it out", async () => {
    const made = await t.call("POST", "/v1/spaces/default/auditInputs", { input: { provider: "payments", name: "cli" } });
    const approval = {
      event: "access/approve",
      actor: { kind: "user", email: "cfo@example.com" },
      resources: [{ kind: "aws.v1.Role", id: "prod-admin" }],
      timestamp: "2025-01-01T09:00:00Z",
    };
    expect((await t.call("POST", "/v1/inputs/default/payments/cli:write", approval, bearer(made.body.token))).status).toBe(200);
    const listed = await run(["audit", "list", "--event", "access/approve"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^SEQ\s+TIME\s+EVENT\s+ACTOR\s+RESOURCES\s+REASON\s+WRITTEN BY\n/);
    expect(listed.stdout).toMatch(
      /2025-01-01 09:00:00Z\s+access\/approve\s+cfo@example.com\s+prod-admin\s+input payments\/cli, received \d{4}-\d\d-\d\d /,
    );
    const json = JSON.parse((await run(["audit", "list", "--event", "access/approve", "-o", "json"])).stdout);
    expect(json[0].provenance).toMatchObject({ writer: "input", input: "payments/cli" });
    const own = await run(["audit", "list", "--event", "access/approve", "--writer", "server"]);
    expect(own.stdout).not.toContain("cfo@example.com");
    expect((await run(["audit", "list", "--writer", "anyone"])).code).toBe(2);
  });
});

describe("greenlight audit verify --offline against a rewritten database", () => {
  it("reports a chain rewritten in the database with its checkpoints deleted, with or without a checkpoint it kept from before", async () => {
    // The server's clock runs a day behind, so its events are a day old by the time the CLI checks them.
    const server = await startTestServer({
      clock: { ...systemClock, now: () => Date.now() - 24 * 3_600_000 },
      env: { GREENLIGHT_AUDIT_CHECKPOINT_EVENTS: "1", GREENLIGHT_AUDIT_CHECKPOINT_INTERVAL: "1m" },
    });
    const kept = mkdtempSync(join(tmpdir(), "greenlight-cli-kept-"));
    const fresh = mkdtempSync(join(tmpdir(), "greenlight-cli-fresh-"));
    try {
      await (
        await auditWriter(server, "default")
      )(10);
      await checkpointAuditChains({ ctx: jobContext(server.server.services, "audit") });
      const before = await runGreenlight(kept, ["audit", "verify", "--offline"], asAdmin(server, kept));
      expect(before.code, before.stderr).toBe(0);
      expect(before.stdout).toMatch(/^The audit log verifies: \d+ events checked, against \d+ checkpoints\.\n/);

      await rewriteChain(server, "default", { seq: 5, deleteCheckpoints: "all" });
      const withKept = await runGreenlight(kept, ["audit", "verify", "--offline"], asAdmin(server, kept));
      expect(withKept.code).toBe(1);
      expect(withKept.stdout).toMatch(/does NOT verify/);
      const without = await runGreenlight(fresh, ["audit", "verify", "--offline"], asAdmin(server, fresh));
      expect(without.code).toBe(1);
      expect(without.stdout).toMatch(/does NOT verify: event 1 uncovered/);
    } finally {
      await server.close();
      rmSync(kept, { recursive: true, force: true });
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("a verifier holding a checkpoint catches a chain the server signed again after losing track of its own", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "greenlight-cli-resigned-"));
    const env = { GREENLIGHT_AUDIT_CHECKPOINT_EVENTS: "1", GREENLIGHT_AUDIT_CHECKPOINT_INTERVAL: "1m" };
    let server = await startTestServer({ dataDir, env });
    const kept = mkdtempSync(join(tmpdir(), "greenlight-cli-kept-"));
    try {
      await (
        await auditWriter(server, "default")
      )(10);
      await checkpointAuditChains({ ctx: jobContext(server.server.services, "audit") });
      expect((await runGreenlight(kept, ["audit", "verify", "--offline"], asAdmin(server, kept))).code).toBe(0);
      await rewriteChain(server, "default", { seq: 5, deleteCheckpoints: "all" });
      // The server forgets what it had seen (its file beside the data is gone) and signs the rewritten chain afresh.
      const port = String(server.server.port);
      await server.close();
      rmSync(join(dataDir, "audit-witness.json"));
      server = await startTestServer({ dataDir, env: { ...env, GREENLIGHT_PORT: port } });
      expect((await server.call("GET", "/v1/spaces/default/audit/checkpoints")).body.checkpoints).not.toEqual([]);
      const checked = await runGreenlight(kept, ["audit", "verify", "--offline", "-o", "json"], asAdmin(server, kept));
      expect(checked.code).toBe(1);
      // The checkpoint kept from the first run no longer matches the log, nor is among the server's.
      expect(["checkpoint-mismatch", "checkpoint-missing"]).toContain(JSON.parse(checked.stdout).firstFault.problem);
    } finally {
      await server.close();
      rmSync(kept, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
      await dropTestDatabase(dataDir);
    }
  });
});
