import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../../../server/test/integration/fakes/receiver.js";
import { startFakeSlack, type FakeSlack } from "../../../server/test/integration/fakes/slack.js";
import { SPACE, type TestServer } from "../../../server/test/integration/harness.js";
import { startBrowserEnv, type BrowserEnv } from "./browser-env.js";

/**
 * The reviewer's and the admin's pages end to end, in Chromium against a real server, a real
 * OpenID Connect provider, a webhook receiver and a fake Slack on loopback: the inbox shows
 * only what waits for the signed-in reviewer, with the policy's reasons; a petition's timeline
 * shows what was delivered about it and its grant's provisioning; resources are uploaded as
 * JSON; explain and replay run beside the policy editor; a failed webhook delivery is sent
 * again; a service account's token is shown once; the audit log is searched and exported;
 * Slack's secrets are shown only as hints.
 */

const POLICY = {
  rules: [
    {
      name: "prod-db",
      match: { kinds: ["postgres.v1.Database"], resources: "env=prod" },
      require: [{ name: "dba", reviewers: { users: ["carol@example.com"] }, approvals: 1 }],
    },
  ],
};
const SLACK_TOKEN = "xoxb-1111-2222-web-admin-test-token";
const SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543";

let env: BrowserEnv;
let t: TestServer;
let receiver: Receiver;
let slack: FakeSlack;
let billing: string;
let readonly: string;

beforeAll(async () => {
  receiver = await startReceiver();
  slack = await startFakeSlack({ token: SLACK_TOKEN });
  // One attempt, then a long wait: only a redelivery sends a failed grant again within the test.
  env = await startBrowserEnv({ logins: ["alice", "bob", "carol", "dave"], env: { GREENLIGHT_DELIVERY_SCHEDULE: "1h" } });
  t = env.t;
  for (const [role, email] of [
    ["admin", "alice@example.com"],
    ["member", "bob@example.com"],
    ["reviewer", "carol@example.com"],
    ["member", "dave@example.com"],
  ]) {
    expect((await t.call("POST", `${SPACE}:addToRole`, { role, member: `user:${email}` })).status).toBe(200);
  }
  const upload = await t.call("POST", `${SPACE}/resources:bulkUpdate`, {
    resources: [
      { kind: "postgres.v1.Database", id: "billing", displayName: "Billing DB", labels: { env: "prod" } },
      { kind: "aws.v1.Role", id: "readonly", displayName: "AWS read-only", labels: { env: "dev" } },
    ],
  });
  expect(upload.status).toBe(200);
  expect((await t.call("PUT", `${SPACE}/policy`, { policy: POLICY })).status).toBe(200);
  const hook = await t.call("POST", `${SPACE}/webhooks`, {
    webhook: { name: "okta", url: receiver.url, handlers: [{ type: "applyUpdate", resourceKinds: ["aws.v1.Role"] }] },
  });
  expect(hook.status).toBe(201);
  // The integration fails at first: its grant waits for a redelivery.
  receiver.answer = () => ({ status: 500, body: { error: "okta is down" } });
  billing = await petition("bob@example.com", { kind: "postgres.v1.Database", id: "billing" }, "month-end close");
  readonly = await petition("bob@example.com", { kind: "aws.v1.Role", id: "readonly" }, "read the audit bucket");
}, 90_000);

afterAll(async () => {
  await env?.close();
  await receiver?.close();
  await slack?.close();
});

async function petition(email: string, resource: { kind: string; id: string }, reason: string): Promise<string> {
  const reply = await t.call("POST", `${SPACE}/petitions`, {
    petition: { reason, petitioners: [{ kind: "user", email }], resources: [resource], defaultDuration: "2h" },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.name as string;
}

const card = (page: Page, name: string) => page.locator(`[data-petition="${name}"]`);

describe("the reviewer's inbox", () => {
  it("shows only what awaits the signed-in reviewer, with which rule matched and what it needs", async () => {
    // The policy asks carol for the production database; alice, an admin, reviews the rest.
    const alice = await env.signedIn("alice");
    await alice.getByRole("link", { name: "Inbox" }).click();
    await expect.poll(() => card(alice, readonly).count(), { timeout: 10_000 }).toBe(1);
    expect(await card(alice, billing).count()).toBe(0);
    const why = card(alice, readonly).getByRole("region", { name: "Why it needs you" });
    await expect.poll(() => why.textContent()).toContain("1 of any admin, any reviewer");
    expect(await why.textContent()).toContain("no rule matched");

    const carol = await env.signedIn("carol", { mobile: true });
    await carol.getByRole("link", { name: "Inbox" }).click();
    await expect.poll(() => card(carol, billing).count(), { timeout: 10_000 }).toBe(1);
    expect(await card(carol, readonly).count()).toBe(1);
    const needs = card(carol, billing).getByRole("region", { name: "Why it needs you" });
    await expect.poll(() => needs.textContent()).toContain("prod-db");
    expect(await needs.textContent()).toContain("1 of carol@example.com");
    await env.shot(carol, "inbox-explained-phone");

    // Bob asked: his own petitions never wait for him.
    const bob = await env.signedIn("bob");
    await bob.goto(`${env.base}/inbox`);
    await expect.poll(() => bob.getByText("Nothing is waiting for you.").count()).toBe(1);

    // Once alice approves, it has left her inbox and is in what she decided.
    await card(alice, readonly).getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => card(alice, readonly).count(), { timeout: 10_000 }).toBe(0);
    await alice.getByRole("link", { name: "Decided by you" }).click();
    await expect.poll(() => card(alice, readonly).count(), { timeout: 10_000 }).toBe(1);
    expect(await card(alice, readonly).textContent()).toMatch(/Approved .* · now granted/);
    expect(await card(alice, billing).count()).toBe(0);
    // Carol has not decided it, and an approved petition awaits nobody.
    await expect.poll(() => card(carol, readonly).count(), { timeout: 10_000 }).toBe(0);
    expect(await card(carol, billing).count()).toBe(1);
    for (const page of [alice, bob, carol]) await page.context().close();
  });
});

describe("a petition's timeline", () => {
  it("shows the webhook delivery and the grant's provisioning; the webhook's log sends a failed one again", async () => {
    const alice = await env.signedIn("alice");
    // The grant of `readonly` (approved above) went to the receiver, which answered 500.
    await alice.goto(`${env.base}/spaces/default/petitions/${readonly}`);
    const timeline = alice.getByRole("list", { name: "Timeline" });
    const grants = alice.getByRole("list", { name: "Grants" });
    await expect
      .poll(() => timeline.textContent(), { timeout: 10_000 })
      .toContain("access/grant sent to webhook okta: pending after 1 attempt (HTTP 500)");
    expect(await grants.textContent()).toContain("bob@example.com → AWS read-only (aws.v1.Role): active · integrations: being applied");
    await env.shot(alice, "petition-deliveries");

    receiver.answer = () => ({ status: 200, body: {} });
    await alice.getByRole("link", { name: "Webhooks" }).click();
    const delivery = alice.getByRole("list", { name: "Deliveries of okta" }).locator("[data-delivery]").filter({ hasText: readonly });
    await expect.poll(() => delivery.count(), { timeout: 10_000 }).toBe(1);
    expect(await delivery.textContent()).toContain("HTTP 500");
    const answered = receiver.requests.length;
    await delivery.getByRole("button", { name: "Redeliver" }).click();
    await expect.poll(() => delivery.getByRole("status").textContent()).toContain("Sent again");
    await expect.poll(() => delivery.locator(".delivery").textContent(), { timeout: 15_000 }).toBe("delivered");
    expect(receiver.requests.length).toBe(answered + 1);
    await env.shot(alice, "webhooks");

    await alice.goto(`${env.base}/spaces/default/petitions/${readonly}`);
    await expect.poll(() => grants.textContent(), { timeout: 10_000 }).toContain("active · integrations: applied");
    expect(await timeline.textContent()).toContain("access/grant sent to webhook okta: delivered after 2 attempts (HTTP 200)");
    await alice.context().close();
  });
});

describe("the catalog", () => {
  it("filters requestable resources by a label selector, and says what is wrong with one", async () => {
    const dave = await env.signedIn("dave");
    const catalog = dave.getByRole("list", { name: "Requestable resources" }).getByRole("button");
    await expect.poll(() => catalog.count()).toBe(2);
    await dave.getByLabel("Labels").fill("env=prod");
    await expect.poll(() => catalog.count()).toBe(1);
    expect(await catalog.textContent()).toContain("Billing DB");
    await dave.getByLabel("Labels").fill("env in (dev,staging)");
    await expect.poll(() => catalog.allTextContents()).toEqual(["AWS read-only (aws.v1.Role)"]);
    await dave.getByLabel("Labels").fill("env in (dev");
    await expect.poll(() => dave.getByRole("alert").textContent()).toContain("labelSelector");
    expect(await dave.getByLabel("Labels").getAttribute("aria-invalid")).toBe("true");
    await dave.context().close();
  });
});

describe("the admin pages", () => {
  it("are not offered to people who do not administer the space", async () => {
    const carol = await env.signedIn("carol");
    await expect.poll(() => carol.getByRole("navigation", { name: "Main" }).getByRole("link").count()).toBe(3);
    expect(await carol.getByRole("navigation", { name: "Administration" }).count()).toBe(0);
    await carol.context().close();
  });

  it("uploads resources as a JSON array, pages through them, and says which entry a refused upload is wrong in", async () => {
    const alice = await env.signedIn("alice");
    await alice.getByRole("link", { name: "Resources" }).click();
    const many = Array.from({ length: 30 }, (_, i) => ({
      kind: "okta.v1.Group",
      id: `team-${String(i).padStart(2, "0")}`,
      displayName: `Team ${i}`,
      labels: { team: "upload" },
    }));
    await alice.getByLabel("Resources (JSON)").fill(JSON.stringify(many));
    await alice.getByRole("button", { name: "Upload" }).click();
    await expect.poll(() => alice.getByRole("status").textContent()).toBe("Saved 30 resources.");
    const stored = await t.call("GET", `${SPACE}/resources?labelSelector=${encodeURIComponent("team=upload")}&pageSize=100`);
    expect(stored.body.resources.map((r: { id: string }) => r.id).sort()).toEqual(many.map((r) => r.id));

    await alice.getByLabel("Label selector").fill("team=upload");
    const rows = alice.getByRole("table", { name: "Resources" }).locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(25);
    await alice.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => rows.count()).toBe(5);
    await alice.getByRole("button", { name: "Previous" }).click();
    await expect.poll(() => rows.count()).toBe(25);
    await env.shot(alice, "resources");

    await alice.getByLabel("Resources (JSON)").fill(JSON.stringify([{ kind: "okta.v1.Group", id: "half-way" }, { id: "no-kind" }]));
    await alice.getByRole("button", { name: "Upload" }).click();
    await expect.poll(() => alice.getByRole("alert").textContent()).toContain("resources[1]");
    expect(await alice.getByLabel("Resources (JSON)").getAttribute("aria-invalid")).toBe("true");
    // One transaction: the valid first entry was not saved either.
    const all = await t.call("GET", `${SPACE}/resources?pageSize=100`);
    expect(all.body.resources.some((r: { id?: string }) => r.id === "half-way")).toBe(false);
    await alice.context().close();
  });

  it("explains a petition and replays the latest ones with the draft, beside the editor, saving nothing", async () => {
    const alice = await env.signedIn("alice");
    await alice.getByRole("link", { name: "Policy" }).click();
    const editor = alice.getByLabel(/Policy \(JSON\)/);
    await expect.poll(() => editor.inputValue()).toContain("prod-db");
    const explain = alice.getByRole("region", { name: "Explain", exact: true });
    const [editorBox, explainBox] = [await editor.boundingBox(), await explain.boundingBox()];
    expect(explainBox!.x).toBeGreaterThanOrEqual(editorBox!.x + editorBox!.width);
    expect(explainBox!.y).toBeLessThan(editorBox!.y + editorBox!.height);

    await alice.getByLabel("Petition", { exact: true }).fill(billing);
    await alice.getByRole("button", { name: "Explain with this draft" }).click();
    const explanation = alice.getByRole("region", { name: "Explanation" });
    await expect.poll(() => explanation.textContent()).toContain("Outcome: needs a review");
    expect(await explanation.textContent()).toContain("1 of carol@example.com");
    expect(await explanation.textContent()).toContain("✓ prod-db");

    const draft = {
      rules: [
        { name: "prod-db-auto", match: { kinds: ["postgres.v1.Database"], resources: "env=prod" }, autoApprove: { reason: "month end" } },
      ],
    };
    await editor.fill(JSON.stringify(draft, null, 2));
    await alice.getByRole("button", { name: "Explain with this draft" }).click();
    await expect.poll(() => explanation.textContent()).toContain("Outcome: approved at once by prod-db-auto");
    await alice.getByRole("button", { name: "Replay with this draft" }).click();
    const replay = alice.getByRole("region", { name: "Replay results" });
    await expect.poll(() => replay.textContent()).toContain("would have gone otherwise");
    expect(await replay.textContent()).toContain(billing);
    await env.shot(alice, "policy-explain-replay");
    const saved = await t.call("GET", `${SPACE}/policy`);
    expect(saved.body.version).toBe(1);
    expect(JSON.stringify(saved.body.policy)).toContain('"prod-db"');
    await alice.context().close();
  });

  it("creates a service account and a token shown once, then revokes the token", async () => {
    const alice = await env.signedIn("alice");
    await alice.getByRole("link", { name: "Service accounts" }).click();
    await alice.getByLabel("Account name").fill("deploy-bot");
    await alice.getByLabel("reviewer", { exact: true }).check();
    await alice.getByRole("button", { name: "Create service account" }).click();
    const account = alice.locator('[data-account="deploy-bot"]');
    await expect.poll(() => account.count(), { timeout: 10_000 }).toBe(1);
    expect(await account.textContent()).toContain("reviewer");

    await account.getByLabel("Token label").fill("ci");
    await account.getByRole("button", { name: "Create token" }).click();
    const secret = account.getByLabel("New refresh token");
    await expect.poll(() => secret.count()).toBe(1);
    const refreshToken = await secret.inputValue();
    expect(refreshToken).toMatch(/^glr_/);
    expect((await exchange(refreshToken)).status).toBe(200);
    await env.shot(alice, "service-account-token");

    await account.getByRole("button", { name: "Done" }).click();
    expect(await secret.count()).toBe(0);
    await alice.reload();
    const tokens = alice.getByRole("list", { name: "Tokens of deploy-bot" }).locator("li");
    await expect.poll(() => tokens.count(), { timeout: 10_000 }).toBe(1);
    expect(await tokens.textContent()).toContain("ci");
    expect(await alice.content()).not.toContain(refreshToken);

    await tokens.getByRole("button", { name: /^Revoke token/ }).click();
    await expect.poll(() => alice.locator('[data-account="deploy-bot"]').getByText("No tokens.").count()).toBe(1);
    expect((await exchange(refreshToken)).status).toBe(401);
    await alice.context().close();
  });

  it("searches the audit log and exports what it found as JSONL and CSV", async () => {
    const alice = await env.signedIn("alice");
    await alice.getByRole("link", { name: "Audit log" }).click();
    const rows = alice.getByRole("table", { name: "Audit events" }).locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await alice.getByLabel("Actor").fill("alice@example.com");
    await alice.getByLabel("Event", { exact: true }).fill("delivery/*");
    await alice.getByRole("button", { name: "Search" }).click();
    // Alice sent the webhook's delivery again, above: that and nothing else.
    await expect.poll(() => rows.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining("delivery/redelivered")]);
    expect(await rows.textContent()).toContain("alice@example.com");
    await env.shot(alice, "audit");

    const [jsonl] = await Promise.all([alice.waitForEvent("download"), alice.getByRole("button", { name: "Export JSONL" }).click()]);
    expect(jsonl.suggestedFilename()).toBe("audit-default.jsonl");
    const lines = readFileSync((await jsonl.path())!, "utf8")
      .trim()
      .split("\n");
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(["delivery/redelivered"]);
    await expect.poll(() => alice.getByRole("status").textContent()).toBe("Exported 1 event as JSONL.");
    const [csv] = await Promise.all([alice.waitForEvent("download"), alice.getByRole("button", { name: "Export CSV" }).click()]);
    const table = readFileSync((await csv.path())!, "utf8")
      .trim()
      .split("\n");
    expect(table).toHaveLength(2);
    expect(table[0]).toContain("actor_email");
    expect(table[1]).toContain("delivery/redelivered");

    await alice.getByLabel("From", { exact: true }).fill("2100-01-01T00:00");
    await alice.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => alice.getByText("No events match.").count()).toBe(1);
    await alice.context().close();
  });

  it("shows which events an application wrote through an input, and when they arrived", async () => {
    const input = await t.call("POST", `${SPACE}/auditInputs`, { input: { provider: "payments", name: "web" } });
    expect(input.status).toBe(201);
    const approval = {
      event: "access/approve",
      actor: { kind: "user", email: "cfo@example.com" },
      resources: [{ kind: "aws.v1.Role", id: "prod-admin" }],
      timestamp: "2025-01-01T09:00:00Z",
    };
    const wrote = await t.call("POST", "/v1/inputs/default/payments/web:write", approval, { authorization: `Bearer ${input.body.token}` });
    expect(wrote.status).toBe(200);
    const alice = await env.signedIn("alice");
    await alice.getByRole("link", { name: "Audit log" }).click();
    const rows = alice.getByRole("table", { name: "Audit events" }).locator("tbody tr");
    await alice.getByLabel("Event", { exact: true }).fill("access/approve");
    await alice.getByLabel("Written by").selectOption("input");
    await alice.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => rows.allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining("cfo@example.com")]);
    expect(await rows.locator("[data-writer]").textContent()).toMatch(/^input payments\/web, received /);
    await alice.getByLabel("Written by").selectOption("server");
    await alice.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => rows.allTextContents(), { timeout: 10_000 }).not.toContainEqual(expect.stringContaining("cfo@example.com"));
    expect(await rows.locator('[data-writer="input"]').count()).toBe(0);
    await alice.context().close();
  });

  it("saves Slack's settings, shows its secrets only as hints, tests the token and says what is wrong", async () => {
    const alice = await env.signedIn("alice");
    await alice.getByRole("link", { name: "Slack" }).click();
    await expect.poll(() => alice.getByText(/^Not set up/).count()).toBe(1);
    await alice.getByLabel("Bot token").fill(SLACK_TOKEN);
    await alice.getByLabel("Signing secret").fill(SIGNING_SECRET);
    await alice.getByLabel("Default channels").fill("C0123ABCD");
    await alice.getByLabel("Slack API URL").fill(slack.apiUrl);
    await alice.getByRole("button", { name: "Save Slack settings" }).click();
    await expect.poll(() => alice.getByRole("status").filter({ hasText: "Saved." }).count()).toBe(1);
    const tokenHint = alice.getByTestId("bot-token-hint");
    expect(await tokenHint.textContent()).toMatch(/^Saved token: xoxb-.*…/);
    expect(await tokenHint.textContent()).not.toContain(SLACK_TOKEN);
    expect(await alice.getByTestId("signing-secret-hint").textContent()).toMatch(/^Saved secret: …/);
    expect(await alice.getByLabel("Bot token").inputValue()).toBe("");
    const stored = await t.call("GET", `${SPACE}/slack`);
    expect(stored.body.defaultChannels).toEqual(["C0123ABCD"]);

    await alice.reload();
    await expect.poll(() => tokenHint.textContent(), { timeout: 10_000 }).toBe(`Saved token: ${stored.body.botTokenHint}`);
    const html = await alice.content();
    expect(html).not.toContain(SLACK_TOKEN);
    expect(html).not.toContain(SIGNING_SECRET);
    await alice.getByRole("button", { name: "Test the token" }).click();
    await expect.poll(() => alice.getByRole("status").filter({ hasText: "Slack" }).textContent()).toContain("Slack accepts the token");
    await env.shot(alice, "slack");

    await alice.getByLabel("Expiry reminder").fill("soon");
    await alice.getByRole("button", { name: "Save Slack settings" }).click();
    await expect.poll(() => alice.getByRole("alert").textContent()).toContain("expiryReminder");
    await alice.context().close();
  });
});

/** The refresh-token exchange, as a service would call it. */
async function exchange(refreshToken: string): Promise<Response> {
  return fetch(`${env.base}/v1/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "refresh_token", refresh_token: refreshToken }),
  });
}
