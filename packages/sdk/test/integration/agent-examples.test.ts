import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, until, type TestServer } from "../../../server/test/integration/harness.js";
import { createSpace, serviceAccount } from "../../../server/test/integration/identity-fixtures.js";

// The "Approvals for agents" guide's examples (docs/guides/agents.md), built by `npm run build` from examples/agents,
// run as written against a real server, with a reviewer deciding through the API.
const example = (name: string) => fileURLToPath(new URL(`../../../../examples/dist/agents/${name}.js`, import.meta.url));

let t: TestServer;
let space: string;
let token: string;
beforeAll(async () => {
  t = await startTestServer();
  space = await createSpace(t);
  token = (await serviceAccount(t, space, "agent", ["member"])).refreshToken;
});
afterAll(async () => {
  await t.close();
});

function run(name: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [example(name)], {
    env: { PATH: process.env.PATH, GREENLIGHT_API_URL: t.url, GREENLIGHT_API_TOKEN: token, GREENLIGHT_SPACE: space, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c));
  child.stderr.on("data", (c: Buffer) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  return { exited, output: () => ({ stdout, stderr }) };
}

async function decide(tool: string, args: Record<string, unknown>, claim: { event: string; reason: string }) {
  const [petition] = await until(
    async () =>
      (
        (await t.call("GET", `/v1/spaces/${space}/petitions?phase=open&pageSize=100`)).body.petitions as Array<{
          name: string;
          meta: { labels: Record<string, string> };
        }>
      ).filter((p) => p.meta.labels["greenlight.dev/tool"] === tool && p.meta.labels["greenlight.dev/arguments"] === JSON.stringify(args)),
    (found) => found.length === 1,
  );
  const labels = claim.event === "access/approve" ? { "indent.com/time/duration": "1h" } : {};
  const reply = await t.call("POST", `/v1/spaces/${space}/petitions/${petition!.name}/claims`, { claim: { ...claim, meta: { labels } } });
  expect(reply.status).toBe(200);
}

describe("examples/agents", () => {
  it("ai-sdk: the tool runs once approved", async () => {
    const child = run("ai-sdk", { PROJECT_ID: "proj_ok" });
    await decide("deleteProject", { projectId: "proj_ok" }, { event: "access/approve", reason: "unused" });
    expect(await child.exited, JSON.stringify(child.output())).toBe(0);
    expect(child.output().stdout).toContain("deleting proj_ok");
    expect(child.output().stdout).toContain('tool result: {"deleted":"proj_ok"}');
  });

  it("ai-sdk: a denial is told to the model and nothing runs", async () => {
    const child = run("ai-sdk", { PROJECT_ID: "proj_keep" });
    await decide("deleteProject", { projectId: "proj_keep" }, { event: "access/deny", reason: "still in use" });
    expect(await child.exited).toBe(1);
    expect(child.output().stdout).not.toContain("deleting");
    expect(child.output().stdout).toContain("still in use");
  });

  it("langchain: the tool runs once approved, and a denial rejects", async () => {
    const approved = run("langchain", { KEY: "primary" });
    // While it waits, it says so, and how to decide (the first line comes after 2 s).
    const { stderr } = await until(
      async () => approved.output(),
      (o) => o.stderr.includes("↳ waiting for approval of pet_"),
    );
    expect(stderr).toMatch(/↳ waiting for approval of (pet_\w+) \(\d+s; greenlight petitions approve \1\)/);
    await decide("rotate_api_key", { key: "primary" }, { event: "access/approve", reason: "scheduled" });
    expect(await approved.exited, JSON.stringify(approved.output())).toBe(0);
    expect(approved.output().stdout).toContain("tool message: rotated primary");

    const denied = run("langchain", { KEY: "secondary" });
    await decide("rotate_api_key", { key: "secondary" }, { event: "access/deny", reason: "in use" });
    expect(await denied.exited).toBe(1);
    expect(denied.output().stdout).toContain("not approved (denied)");
    expect(denied.output().stdout).not.toContain("rotating");
  });
});
