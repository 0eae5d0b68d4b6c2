import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verify } from "@indent/webhook";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../../server/test/integration/harness.js";
import { startReceiver, type Answer, type Receiver } from "./receiver.js";
import { asAdmin, runGreenlight } from "./run-cli.js";

/** `greenlight resources pull` and `greenlight pull-policies` against a pullUpdate webhook on loopback. */

const SECRET = "wks0pulltestsecret0123456789abcdefghij";
const GROUPS: Answer = {
  body: {
    status: { code: 0 },
    resources: [
      { kind: "okta.v1.Group", id: "00g-eng", displayName: "Engineering", labels: { oktaId: "00g-eng" } },
      { kind: "okta.v1.Group", id: "00g-ops", displayName: "Operations" },
    ],
  },
};
const BROKEN: Answer = { status: 200, body: { status: { code: 13, message: "the Okta token expired" } } };

let t: TestServer;
let home: string;
let receiver: Receiver;
let answer: Answer = GROUPS;

beforeAll(async () => {
  receiver = await startReceiver(({ headers, raw }: { headers: IncomingHttpHeaders; raw: string }) =>
    verify({ secret: SECRET, body: raw, headers: headers as Record<string, string> }),
  );
  receiver.answer = () => answer;
  t = await startTestServer();
  home = mkdtempSync(join(tmpdir(), "greenlight-cli-pulls-"));
});
afterAll(async () => {
  await t.close();
  await receiver.close();
  rmSync(home, { recursive: true, force: true });
});

const run = (args: string[]) => runGreenlight(home, args, asAdmin(t, home));
const json = async (args: string[]) => JSON.parse((await run([...args, "-o", "json"])).stdout);

describe("greenlight resources pull", () => {
  it("saves what the pullUpdate webhook returns, so it shows in resources list", async () => {
    const created = await run([
      "webhooks",
      "create",
      "--name",
      "okta-pull",
      "--url",
      `${receiver.url}/pull`,
      "--handler",
      "pullUpdate:okta.v1.Group",
      "--secret",
      SECRET,
    ]);
    expect(created.code).toBe(0);
    const pulled = await run(["resources", "pull", "--kinds", "okta.v1.Group", "--flag", "org=acme"]);
    expect(pulled.stderr).toBe("");
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toMatch(/^Pulled 2 resources\nWEBHOOK\s+RESOURCES\s+ERROR\nokta-pull\s+2\n$/);
    const [asked] = receiver.received;
    expect(asked!.verified).toBe(true);
    expect(asked!.body).toEqual({ kinds: ["okta.v1.Group"], flags: { org: "acme" } });

    const listed = await json(["resources", "list"]);
    expect(listed.map((r: { id: string; displayName: string }) => [r.id, r.displayName]).sort()).toEqual([
      ["00g-eng", "Engineering"],
      ["00g-ops", "Operations"],
    ]);
  });

  it("exits 1 with the webhook's error when it fails, and with the server's when none pulls the kind", async () => {
    answer = BROKEN;
    const failed = await run(["resources", "pull", "--kinds", "okta.v1.Group"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/\nokta-pull\s+0\s+it answered status code 13: the Okta token expired\n/);
    expect(failed.stderr).toBe("greenlight: okta-pull: it answered status code 13: the Okta token expired\n");
    answer = GROUPS;

    const nobody = await run(["resources", "pull", "--kinds", "github.v1.Team"]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/NOT_FOUND: no webhook in space "default" pulls github\.v1\.Team/);
    const usage = await run(["resources", "pull", "--kinds", "okta.v1.Group,", "--flag", "org"]);
    expect(usage.code).toBe(2);
  });
});

describe("greenlight pull-policies", () => {
  it("creates, lists, runs, changes and deletes a pull policy", async () => {
    const created = await run([
      "pull-policies",
      "create",
      "--name",
      "okta-groups",
      "--schedule",
      "@hourly",
      "--kinds",
      "okta.v1.Group",
      "--flag",
      "org=acme",
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created pull policy okta-groups: next run \d{4}-\d\d-\d\d \d\d:00:00Z\n$/);
    const listed = await run(["pull-policies", "list"]);
    expect(listed.stdout).toMatch(
      /^NAME\s+SCHEDULE\s+KINDS\s+NEXT RUN\s+LAST RUN\s+LAST RESULT\nokta-groups\s+@hourly\s+okta\.v1\.Group\s+\d{4}-/,
    );

    const before = receiver.received.length;
    const ran = await run(["pull-policies", "run", "okta-groups"]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^Ran pull policy okta-groups: 2 resources in \d+ ms\n$/);
    expect(receiver.received.slice(before).map((r) => r.body)).toEqual([{ kinds: ["okta.v1.Group"], flags: { org: "acme" } }]);
    expect((await run(["pull-policies", "get", "okta-groups"])).stdout).toMatch(/last run:\s+\d{4}-\S+ \S+: 2 resources in \d+ ms\n/);

    // Only the schedule changes: the kinds and flags stay, though the API replaces the whole policy.
    const changed = await json(["pull-policies", "update", "okta-groups", "--schedule", "@every 30m"]);
    expect(changed).toMatchObject({ schedule: "@every 30m", kinds: ["okta.v1.Group"], flags: { org: "acme" } });

    answer = BROKEN;
    const failing = await run(["pull-policies", "run", "okta-groups"]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/: 0 resources in \d+ ms, 1 error\n {2}okta-pull: it answered status code 13/);
    expect(failing.stderr).toBe("greenlight: pull policy okta-groups ran with 1 error\n");
    answer = GROUPS;

    const badSchedule = await run(["pull-policies", "create", "--schedule", "every hour", "--kinds", "okta.v1.Group"]);
    expect(badSchedule.code).toBe(1);
    expect(badSchedule.stderr).toMatch(/INVALID_ARGUMENT: pullPolicy\.schedule must have five fields/);
    expect((await run(["pull-policies", "update", "okta-groups"])).code).toBe(2);

    expect((await run(["pull-policies", "delete", "okta-groups"])).stdout).toBe("Deleted pull policy okta-groups\n");
    expect(await json(["pull-policies", "list"])).toEqual([]);
  });
});
