import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPACE, startTestServer, type TestServer } from "../../../server/test/integration/harness.js";
import { asAdmin, runGreenlight } from "./run-cli.js";

let t: TestServer;
let home: string;
beforeAll(async () => {
  t = await startTestServer();
  home = mkdtempSync(join(tmpdir(), "greenlight-cli-policies-"));
  await t.call("POST", `${SPACE}/groups`, { group: { name: "security", members: ["sec@example.com"] } });
});
afterAll(async () => {
  await t.close();
  rmSync(home, { recursive: true, force: true });
});

const run = (args: string[], stdin?: string) =>
  runGreenlight(home, args, { ...asAdmin(t, home), ...(stdin === undefined ? {} : { stdin }) });
const file = (name: string, text: string) => {
  const path = join(home, name);
  writeFileSync(path, text);
  return path;
};

const POLICY = `# Who approves what
rules:
  - name: prod-iam
    match:
      kinds: ["aws.iam.*"]
    require:
      - name: security
        reviewers: { groups: [security] }
        approvals: 2
  - name: contractors
    match:
      petitioner:
        emails: ["*@contractors.example.com"]
    autoDeny:
      reason: contractors may not request access
`;

describe("greenlight policies", () => {
  it("names the line and column of a problem in the file", async () => {
    const broken = file(
      "broken.yaml",
      POLICY.replace('kinds: ["aws.iam.*"]', 'kinds: ["aws.iam.*"]\n      condition: petitioner.email =='),
    );
    const validated = await run(["policies", "validate", broken]);
    expect(validated.code).toBe(2);
    expect(validated.stderr).toMatch(new RegExp(`${broken}:6:18: rules\\[0\\]\\.match\\.condition is not valid CEL`));
    const unknownField = await run(["policies", "set", file("typo.yaml", POLICY.replace("approvals: 2", "approval: 2"))]);
    expect(unknownField.code).toBe(2);
    expect(unknownField.stderr).toMatch(/typo\.yaml:\d+:\d+: .*unknown field "approval"/);
    const notYaml = await run(["policies", "validate", file("bad.yaml", "rules: [\n")]);
    expect(notYaml.code).toBe(2);
    expect(notYaml.stderr).toMatch(/bad\.yaml:\d+:\d+: not valid YAML or JSON/);
  });

  it("validates, saves, prints and lists versions", async () => {
    const path = file("policy.yaml", POLICY);
    expect((await run(["policies", "validate", path])).stdout).toBe(`${path}: valid, 2 rules\n`);
    const saved = await run(["policies", "set", path, "--expected-version", "0"]);
    expect(saved.stdout).toBe("Saved the policy as version 1\n");
    const stale = await run(["policies", "set", path, "--expected-version", "0"]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/CONFLICT: the policy is at version 1/);
    const printed = await run(["policies", "get"]);
    expect(printed.stdout).toMatch(/^# version 1, saved .* by admin\nrules:\n  - name: prod-iam/);
    const json = JSON.parse((await run(["policies", "get", "-o", "json"])).stdout);
    expect(json.policy.rules.map((r: { name: string }) => r.name)).toEqual(["prod-iam", "contractors"]);
    // From stdin, as JSON.
    expect((await run(["policies", "set", "-"], JSON.stringify(json.policy))).stdout).toBe("Saved the policy as version 2\n");
    const versions = await run(["policies", "versions"]);
    expect(versions.stdout.split("\n")[0]).toMatch(/^VERSION\s+SAVED\s+BY/);
    expect(versions.stdout).toMatch(/\n2 .*\n1 /);
  });

  it("explains a petition and replays a draft", async () => {
    const made = await t.call("POST", `${SPACE}/petitions`, {
      petition: {
        reason: "x",
        petitioners: [{ kind: "user", email: "dev@example.com" }],
        resources: [{ kind: "aws.iam.v1.Role", id: "admin" }],
      },
    });
    const explained = await run(["policies", "explain", made.body.name]);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain(`Petition ${made.body.name} (open) would be reviewed by people under policy version 2`);
    expect(explained.stdout).toMatch(/✓ prod-iam: kind aws\.iam\.v1\.Role matches aws\.iam\.\*/);
    expect(explained.stdout).toMatch(/✗ contractors: petitioner dev@example\.com is not one of/);
    expect(explained.stdout).toContain("2 of sec@example.com (prod-iam / security), approved by nobody yet");

    const draft = file("draft.yaml", "rules:\n  - name: iam-auto\n    match: { kinds: [aws.iam.*] }\n    autoApprove: { reason: fine }\n");
    const replayed = await run(["policies", "replay", draft, "--changed"]);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(/^Replayed 1 petitions: 1 would be decided differently; 1 approved at once/);
    expect(replayed.stdout).toContain("would have been approved at once by rule iam-auto");
  });

  it("says how many rule tests an explanation leaves out", async () => {
    const made = await t.call("POST", `${SPACE}/petitions`, {
      petition: {
        reason: "x",
        petitioners: [{ kind: "user", email: "bulk@example.com" }],
        resources: Array.from({ length: 100 }, (_, i) => ({ kind: "jira.v1.Project", id: `project-${i}` })),
      },
    });
    expect(made.status).toBe(201);
    // 25 rules for every one of 100 pairs: 2,500 rule tests, of which the first 2,000 are shown.
    const rules = Array.from(
      { length: 25 },
      (_, i) => `  - name: team-${i}\n    match: { resources: "team=t${i}" }\n    duration: { max: 1h }\n`,
    );
    const draft = file("many-rules.yaml", `rules:\n${rules.join("")}`);
    const explained = await run(["policies", "explain", made.body.name, "--policy", draft]);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toContain("500 more rule tests not shown");
    expect(explained.stdout).toContain("(its rules are not shown: an explanation shows the first 2,000 rule tests)");
  });

  it("removes the policy", async () => {
    expect((await run(["policies", "delete"])).stdout).toBe("Removed the policy (version 3)\n");
    expect((await run(["policies", "get"])).stdout).toBe("# version 3: no policy; any admin or reviewer of the space approves\n");
  });
});
