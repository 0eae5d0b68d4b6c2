import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer, until } from "../../../server/test/integration/harness.js";
import { createSpace, serviceAccount, userToken } from "../../../server/test/integration/identity-fixtures.js";

// The documentation's quickstarts (docs/quickstart.md), built by `npm run build` from examples/quickstart, run as written
// against a real server.
const example = (name: string) => fileURLToPath(new URL(`../../../../examples/dist/quickstart/${name}.js`, import.meta.url));

let t: TestServer;
let space: string;
beforeAll(async () => {
  t = await startTestServer();
  space = await createSpace(t);
});
afterAll(async () => {
  await t.close();
});

/** The name of the open petition the example made for `email`, once it has made it. */
async function openPetitionFor(email: string): Promise<string> {
  type Listed = { name: string; petitioners: Array<{ email?: string }> };
  const isFor = (p: Listed) => p.petitioners.some((x) => x.email === email);
  const open = await until(
    async (): Promise<Listed[]> => (await t.call("GET", `/v1/spaces/${space}/petitions?phase=open&pageSize=100`)).body.petitions,
    (listed) => listed.some(isFor),
  );
  return open.find(isFor)!.name;
}

/** Runs the reset-password quickstart as `email`: its exit code and what it printed. */
async function resetPassword(email: string, userId: string) {
  const token = await userToken(t, space, email, ["member"]);
  const child = spawn(process.execPath, [example("reset-password")], {
    env: { PATH: process.env.PATH, GREENLIGHT_API_URL: t.url, GREENLIGHT_API_TOKEN: token, USER_ID: userId, REASON: "to recover account" },
  });
  const run = { stdout: "", stderr: "" };
  child.stdout.on("data", (c: Buffer) => (run.stdout += c));
  child.stderr.on("data", (c: Buffer) => (run.stderr += c));
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  return { run, exited };
}

describe("quickstart: reset a password behind await approval()", () => {
  it("waits, prints Indent's lines, and resets once a reviewer approves", async () => {
    const { run, exited } = await resetPassword("alice@example.com", "123");
    const name = await openPetitionFor("alice@example.com");
    const petition = (await t.call("GET", `/v1/spaces/${space}/petitions/${name}`)).body;
    expect(petition.reason).toBe("to recover account");
    expect(petition.resources).toEqual([
      { kind: "action", id: "reset-password:123", displayName: "Reset Password (user:123)", labels: {} },
    ]);
    await t.call("POST", `/v1/spaces/${space}/petitions/${name}/claims`, { claim: { event: "access/approve" } });

    expect(await exited).toBe(0);
    expect(run.stdout).toBe("done: password reset user:123\n");
    expect(run.stderr).toContain(`⏵ Requested approval #${space}/${name}`);
    expect(run.stderr).toContain("✅ Granted");
  });

  it("says in one line why it did not reset when a reviewer denies, with the reviewer's reason", async () => {
    const { run, exited } = await resetPassword("amir@example.com", "456");
    const name = await openPetitionFor("amir@example.com");
    await t.call("POST", `/v1/spaces/${space}/petitions/${name}/claims`, { claim: { event: "access/deny", reason: "ask the user first" } });
    expect(await exited).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines.at(-2)).toMatch(/^❌ Denied by \S+: ask the user first$/);
    expect(lines.at(-1)).toMatch(new RegExp(`^not done: petition ${name} was denied by \\S+: ask the user first$`));
  });
});

describe("quickstart: least-privilege customer access from an admin route", () => {
  it("uploads customers; the route answers ok once granted, at once when asked again, and denied after a denial", async () => {
    // Uploading resources takes the admin role (which also petitions for others).
    const bot = await serviceAccount(t, space, "admin-portal", ["admin"]);
    Object.assign(process.env, { GREENLIGHT_API_URL: t.url, GREENLIGHT_API_TOKEN: bot.refreshToken, GREENLIGHT_SPACE: space });
    const { uploadCustomers, POST } = await import(example("customer-access"));

    await uploadCustomers([{ id: "cus_1", name: "Acme", plan: "enterprise" }]);
    const catalog = (await t.call("GET", `/v1/spaces/${space}/resources?labelSelector=plan%3Denterprise`)).body.resources;
    expect(catalog).toMatchObject([{ kind: "customer", id: "cus_1", displayName: "Acme" }]);

    const ask = (email: string) =>
      POST(new Request("http://admin.example.com/api/customers/cus_1/access", { method: "POST", headers: { "x-user-email": email } }), {
        params: Promise.resolve({ id: "cus_1" }),
      }) as Promise<Response>;

    const first = ask("support@example.com");
    const name = await openPetitionFor("support@example.com");
    await t.call("POST", `/v1/spaces/${space}/petitions/${name}/claims`, {
      claim: { event: "access/approve", meta: { labels: { "indent.com/time/duration": "1h" } } },
    });
    const granted = await first;
    expect(granted.status).toBe(200);
    expect(await granted.json()).toEqual({ ok: true });
    // Granted now: asking again returns at once.
    expect(await (await ask("support@example.com")).json()).toEqual({ ok: true });

    const second = ask("intern@example.com");
    await t.call("POST", `/v1/spaces/${space}/petitions/${await openPetitionFor("intern@example.com")}/claims`, {
      claim: { event: "access/deny" },
    });
    const denied = await second;
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ ok: false, status: "denied" });

    const anonymous = await POST(new Request("http://admin.example.com/api/customers/cus_1/access", { method: "POST" }), {
      params: Promise.resolve({ id: "cus_1" }),
    });
    expect(anonymous.status).toBe(500);
  });
});
