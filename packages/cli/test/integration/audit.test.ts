import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onPostgres, startTestServer, until, type TestServer } from "../../../server/test/integration/harness.js";
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
    expect(listed.stdout).toMatch(/^SEQ\s+TIME\s+EVENT\s+ACTOR\s+RESOURCES\s+REASON\n/);
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
