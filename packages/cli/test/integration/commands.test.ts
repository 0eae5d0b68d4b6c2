import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPACE, startTestServer, TEST_TOKEN, type TestServer, waitFor } from "../../../server/test/integration/harness.js";
import { asAdmin as asAdminOf, runGreenlight, type Run, type RunOptions } from "./run-cli.js";

let t: TestServer;
let home: string;
beforeAll(async () => {
  t = await startTestServer();
  home = mkdtempSync(join(tmpdir(), "greenlight-cli-"));
});
afterAll(async () => {
  await t.close();
  rmSync(home, { recursive: true, force: true });
});

const greenlight = (args: string[], options: RunOptions = {}): Promise<Run> => runGreenlight(home, args, options);
const asAdmin = () => asAdminOf(t, home);

describe("greenlight login", () => {
  it("checks the token against the server and saves it readable by the user alone", async () => {
    const run = await greenlight(["login", "--url", t.url, "--token", "-"], { stdin: `${TEST_TOKEN}\n` });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Logged in to ${t.url}, space default`);
    const path = join(home, "config.json");
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ url: t.url, space: "default", token: TEST_TOKEN });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // Later commands use it.
    expect((await greenlight(["petitions", "list", "-o", "json"])).code).toBe(0);
  });

  it("refuses a wrong token and saves nothing", async () => {
    const config = join(home, "wrong.json");
    const run = await greenlight(["login", "--url", t.url, "--token", "not-the-token-at-all"], { config });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/UNAUTHENTICATED: the token is not recognised: .*check GREENLIGHT_API_TOKEN/);
    expect(() => statSync(config)).toThrow();
  });
});

describe("greenlight request", () => {
  it("creates a petition and prints its name", async () => {
    const run = await greenlight(["request", "-r", "okta.v1.Group:eng", "--for", "cli-a@example.com", "--reason", "to debug"], asAdmin());
    expect(run.code).toBe(0);
    const [name, phase] = run.stdout.trim().split("\t");
    expect(phase).toBe("open");
    expect((await t.call("GET", `${SPACE}/petitions/${name}`)).body.reason).toBe("to debug");
  });

  it("with --wait, prints the progress lines and exits 0 once another client approves", async () => {
    const waiting = greenlight(
      ["request", "-r", "action:deploy", "--for", "cli-b@example.com", "--duration", "2h", "--wait", "--timeout", "30s"],
      asAdmin(),
    );
    await waitFor("the command's long-poll", () => t.server.services.notifier.watcherCount > 0);
    const open = (await t.call("GET", `${SPACE}/petitions?phase=open&pageSize=100`)).body.petitions.find(
      (p: { petitioners: Array<{ email: string }> }) => p.petitioners.some((x) => x.email === "cli-b@example.com"),
    );
    await t.call("POST", `${SPACE}/petitions/${open.name}/claims`, { claim: { event: "access/approve" } });
    const run = await waiting;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`⏵ Requested approval #default/${open.name}`);
    expect(run.stderr).toContain("✅ Granted");
    expect(open.defaultDuration).toBe("7200s");
  });

  it("with --wait, exits 1 when denied, and 1 when nobody decides in time", async () => {
    const waiting = greenlight(
      ["request", "-r", "action:drop-table", "--for", "cli-c@example.com", "--wait", "--timeout", "30s"],
      asAdmin(),
    );
    await waitFor("the command's long-poll", () => t.server.services.notifier.watcherCount > 0);
    const open = (await t.call("GET", `${SPACE}/petitions?phase=open&pageSize=100`)).body.petitions.find(
      (p: { petitioners: Array<{ email: string }> }) => p.petitioners.some((x) => x.email === "cli-c@example.com"),
    );
    await t.call("POST", `${SPACE}/petitions/${open.name}/claims`, { claim: { event: "access/deny", reason: "no" } });
    const denied = await waiting;
    expect(denied.code).toBe(1);
    // The reviewer's reason, in the progress line and in the one error line.
    expect(denied.stderr).toMatch(/❌ Denied by \S+: no\n/);
    expect(denied.stderr).toMatch(new RegExp(`greenlight: petition ${open.name} was denied by \\S+: no\n$`));

    const late = await greenlight(["request", "-r", "action:slow", "--for", "cli-d@example.com", "--wait", "--timeout", "1s"], asAdmin());
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/greenlight: petition \S+ was not decided within 1 s; it stays open/);
  });

  it("with --wait -o json, prints the outcome whatever it is: denied with its reason, or still pending", async () => {
    const args = ["request", "-r", "action:rm-rf", "--for", "cli-j@example.com", "--wait", "-o", "json"];
    const pending = await greenlight([...args, "--timeout", "1s"], asAdmin());
    expect(pending.code).toBe(1);
    const first = JSON.parse(pending.stdout);
    expect(first).toMatchObject({ status: "pending", space: "default" });

    const waiting = greenlight([...args, "--timeout", "30s"], asAdmin());
    await waitFor("the command's long-poll", () => t.server.services.notifier.watcherCount > 0);
    await t.call("POST", `${SPACE}/petitions/${first.petition}/claims`, { claim: { event: "access/deny", reason: "not on prod" } });
    const denied = await waiting;
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout)).toMatchObject({ status: "denied", petition: first.petition, reason: "not on prod" });
  });
});

describe("greenlight petitions", () => {
  it("lists, shows, approves, revokes and closes, with -o json for scripts", async () => {
    const created = await greenlight(["request", "-r", "okta.v1.Group:ops", "--for", "cli-e@example.com", "-o", "json"], asAdmin());
    const name = JSON.parse(created.stdout).name as string;
    const listed = await greenlight(["petitions", "list", "--phase", "open", "-o", "json"], asAdmin());
    expect(JSON.parse(listed.stdout).map((p: { name: string }) => p.name)).toContain(name);
    const table = await greenlight(["petitions", "list", "--phase", "open"], asAdmin());
    expect(table.stdout.split("\n")[0]).toMatch(/^NAME\s+STATUS\s+PETITIONERS/);
    expect(table.stdout).toContain(name);

    const approved = await greenlight(["petitions", "approve", name, "--duration", "3h", "--reason", "on call"], asAdmin());
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(/^Approved pet_\S+ until \d{4}-/);
    const shown = await greenlight(["petitions", "get", name], asAdmin());
    expect(shown.stdout).toMatch(/status:\s+granted/);
    expect(shown.stdout).toMatch(/access\/approve\s+Bootstrap admin: on call/);

    const again = await greenlight(["petitions", "approve", name], asAdmin());
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/INVALID_TRANSITION/);
    expect((await greenlight(["petitions", "revoke", name, "--reason", "done"], asAdmin())).code).toBe(0);
    expect(JSON.parse((await greenlight(["petitions", "get", name, "-o", "json"], asAdmin())).stdout).state.status).toEqual({
      phase: "closed",
      outcome: "revoked",
    });

    const other = JSON.parse(
      (await greenlight(["request", "-r", "okta.v1.Group:ops", "--for", "cli-f@example.com", "-o", "json"], asAdmin())).stdout,
    ).name;
    expect((await greenlight(["petitions", "close", other], asAdmin())).stdout).toContain("closed (cancelled)");
  });

  it("refuses to approve a high-risk petition and says to approve it in the web UI after signing in again", async () => {
    expect((await t.call("POST", "/v1/spaces", { space: { name: "cli-risky" } })).status).toBe(201);
    const policy = { rules: [{ name: "prod", match: { kinds: ["prod.v1.Database"] }, highRisk: true }] };
    expect((await t.call("PUT", "/v1/spaces/cli-risky/policy", { policy })).status).toBe(200);
    const reviewer = await t.call("POST", "/v1/spaces/cli-risky:addToRole", { role: "reviewer", member: "user:rev@example.com" });
    expect(reviewer.status).toBe(200);
    const minted = await t.call("POST", "/v1/spaces/cli-risky/userTokens", { email: "rev@example.com" });
    const made = await t.call("POST", "/v1/spaces/cli-risky/petitions", {
      petition: { petitioners: [{ kind: "user", email: "cli-g@example.com" }], resources: [{ kind: "prod.v1.Database", id: "billing" }] },
    });
    expect(made.status).toBe(201);
    const env = { GREENLIGHT_API_URL: t.url, GREENLIGHT_API_TOKEN: minted.body.accessToken, GREENLIGHT_SPACE: "cli-risky" };
    const run = await greenlight(["petitions", "approve", made.body.name], { env, config: join(home, "none.json") });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("STEP_UP_REQUIRED");
    expect(run.stderr).toContain(`${t.url}/spaces/cli-risky/petitions/${made.body.name}`);
    expect(run.stderr).toMatch(/web UI, after signing in again/);
    expect((await t.call("GET", `/v1/spaces/cli-risky/petitions/${made.body.name}`)).body.state.status.phase).toBe("open");
  });
});

describe("greenlight resources", () => {
  it("uploads from a file and from stdin, lists and deletes", async () => {
    const file = join(home, "customers.json");
    writeFileSync(file, JSON.stringify([{ kind: "customer", id: "cli-1", displayName: "Acme", labels: { plan: "pro" } }]));
    expect((await greenlight(["resources", "upload", file], asAdmin())).stdout).toBe("Uploaded 1 resources\n");
    const fromStdin = await greenlight(["resources", "upload", "-"], {
      ...asAdmin(),
      stdin: JSON.stringify({ resources: [{ kind: "customer", id: "cli-2" }] }),
    });
    expect(fromStdin.code).toBe(0);
    const listed = JSON.parse((await greenlight(["resources", "list", "-l", "plan=pro", "-o", "json"], asAdmin())).stdout);
    expect(listed.map((r: { id: string }) => r.id)).toEqual(["cli-1"]);
    const name = listed[0].labels["indent.com/block"];
    const deleted = await greenlight(["resources", "delete", name], asAdmin());
    expect(deleted).toMatchObject({ code: 0, stdout: `Deleted ${name}\n` });
    expect((await t.call("GET", `${SPACE}/resources/${name}`)).status).toBe(404);
    // A name that is not there (this one, again) is reported, and fails the command.
    const again = await greenlight(["resources", "delete", name, "cus_nope"], asAdmin());
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr).toContain(`greenlight: no resource named ${name} in space default; nothing deleted`);
    expect(again.stderr).toContain("greenlight: no resource named cus_nope in space default");
    const bad = await greenlight(["resources", "upload", "-"], { ...asAdmin(), stdin: "{not json" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not JSON/);
  });
});

describe("greenlight serviceaccounts and tokens", () => {
  it("creates an account and a refresh token that the CLI then uses, lists and revokes it", async () => {
    const created = JSON.parse(
      (await greenlight(["serviceaccounts", "create", "cli-bot", "--role", "petitioner-admin", "-o", "json"], asAdmin())).stdout,
    );
    expect(created.roles).toEqual(["petitioner-admin"]);
    const token = await greenlight(["tokens", "create", "--service-account", created.serviceAccountId, "--name", "CI"], asAdmin());
    const refresh = token.stdout.trim();
    expect(refresh).toMatch(/^glr_/);
    expect(token.stderr).toMatch(/not shown again/);

    const asBot = { env: { GREENLIGHT_API_URL: t.url, GREENLIGHT_API_TOKEN: refresh }, config: join(home, "none.json") };
    const request = await greenlight(["request", "-r", "action:deploy", "--for", "someone@example.com", "-o", "json"], asBot);
    expect(request.code).toBe(0);
    expect(JSON.parse(request.stdout).state.eventHistory[0].actor.id).toBe(created.serviceAccountId);

    const listed = await greenlight(["tokens", "list"], asAdmin());
    expect(listed.stdout).toContain("cli-bot@default.serviceaccounts.greenlight");
    expect(listed.stdout).not.toContain(refresh.slice(-20));
    const name = JSON.parse((await greenlight(["tokens", "list", "-o", "json"], asAdmin())).stdout)[0].name;
    expect((await greenlight(["tokens", "revoke", name], asAdmin())).code).toBe(0);
    const refused = await greenlight(["petitions", "list"], asBot);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/UNAUTHENTICATED/);

    const minted = await greenlight(["tokens", "mint", "--email", "person@example.com", "--ttl", "1h"], asAdmin());
    expect(minted.stdout.trim().split(".")).toHaveLength(3);
    const link = await greenlight(["tokens", "sign-in-link", "--email", "person@example.com", "--ttl", "5m"], asAdmin());
    expect(link.code).toBe(0);
    expect(link.stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/link\?token=[A-Za-z0-9_-]{43}$/);
    expect((await greenlight(["serviceaccounts", "delete", created.serviceAccountId], asAdmin())).code).toBe(0);
  });
});

describe("mistakes", () => {
  it.each([
    [["bogus"], /unknown command/],
    [["request"], /required option/],
    [["request", "-r", "nocolon"], /kind:id/],
    [["petitions", "list", "-o", "yaml"], /text or json/],
  ])("%j exits 2 and says what is wrong", async (args, message) => {
    const run = await greenlight(args, asAdmin());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("says how to fix an unreachable server or a missing token, and exits 1 or 2", async () => {
    const down = await greenlight(["petitions", "list"], {
      env: { GREENLIGHT_API_URL: "http://127.0.0.1:1", GREENLIGHT_API_TOKEN: TEST_TOKEN },
      config: join(home, "none.json"),
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/could not be reached[\s\S]*is the server running/);
    const noToken = await greenlight(["petitions", "list"], { config: join(home, "none.json") });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/greenlight login/);
  });
});
