import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startTestServer, tempDataDir } from "./harness.js";

/** A policy file for the default space, applied when the server starts: policy as code. */
const dataDir = tempDataDir();
const file = join(dataDir, "policy.yaml");
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const start = () => startTestServer({ dataDir, env: { GREENLIGHT_POLICY_FILE: file } });
const POLICY = "rules:\n  - name: staging\n    match: { resources: env=staging }\n    autoApprove: { reason: staging is open }\n";

describe("GREENLIGHT_POLICY_FILE", () => {
  it("applies the file at start, once per change", async () => {
    writeFileSync(file, POLICY);
    let t = await start();
    let current = await t.call("GET", "/v1/spaces/default/policy");
    expect(current.body).toMatchObject({ version: 1, createdBy: `file:${file}`, policy: { rules: [{ name: "staging" }] } });
    await t.close();

    t = await start();
    expect((await t.call("GET", "/v1/spaces/default/policy")).body.version).toBe(1);
    await t.close();

    writeFileSync(file, POLICY.replace("staging is open", "staging is free"));
    t = await start();
    current = await t.call("GET", "/v1/spaces/default/policy");
    expect(current.body.version).toBe(2);
    expect(current.body.policy.rules[0].autoApprove.reason).toBe("staging is free");
    await t.close();
  });

  it("refuses to start on a file that is not a valid policy, naming the line", async () => {
    writeFileSync(file, POLICY.replace("env=staging", "env in ("));
    await expect(start()).rejects.toThrow(new RegExp(`${file}:3:25: rules\\[0\\]\\.match\\.resources: missing`));
    writeFileSync(file, "rules: [\n");
    await expect(start()).rejects.toThrow(/policy\.yaml:\d+:\d+: not valid YAML/);
  });
});
