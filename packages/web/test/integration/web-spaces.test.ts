import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../../../server/test/integration/fakes/receiver.js";
import type { TestServer } from "../../../server/test/integration/harness.js";
import { startBrowserEnv, type BrowserEnv } from "./browser-env.js";

/**
 * The web UI across spaces, in Chromium against a real server and a real OpenID Connect
 * provider: someone with roles in two spaces switches between them and sees each one's
 * petitions only; a link to a petition in the second space (as Slack sends) opens it there;
 * someone with no role is told so and who can give one; the Access page binds a group to the
 * reviewer role, and a member of that group then approves in the inbox; a subscription's
 * secret is shown once, and its failed delivery is sent again.
 */

let env: BrowserEnv;
let t: TestServer;
let receiver: Receiver;
let inDefault: string;
let inAcme: string;
let bobsRequest: string;

beforeAll(async () => {
  receiver = await startReceiver();
  // One attempt, then a long wait: only a redelivery sends a failed event again within the test.
  env = await startBrowserEnv({
    logins: ["alice", "bob", "carol", "dave", "nora"],
    env: { GREENLIGHT_DELIVERY_SCHEDULE: "1h" },
  });
  t = env.t;
  expect((await t.call("POST", "/v1/spaces", { space: { name: "acme", displayName: "Acme Corp" } })).status).toBe(201);
  for (const [space, role, email] of [
    ["default", "admin", "alice@example.com"],
    ["acme", "admin", "alice@example.com"],
    ["acme", "member", "bob@example.com"],
  ]) {
    expect((await t.call("POST", `/v1/spaces/${space}:addToRole`, { role, member: `user:${email}` })).status).toBe(200);
  }
  for (const [space, id, displayName] of [
    ["default", "default-db", "Default DB"],
    ["acme", "acme-console", "Acme console"],
    ["acme", "acme-billing", "Acme billing"],
  ]) {
    const upload = await t.call("POST", `/v1/spaces/${space}/resources:bulkUpdate`, {
      resources: [{ kind: "app.v1.Thing", id, displayName }],
    });
    expect(upload.status).toBe(200);
  }
  inDefault = await petition("default", "alice@example.com", "default-db", "close the books in default");
  inAcme = await petition("acme", "alice@example.com", "acme-console", "rotate the acme keys");
  bobsRequest = await petition("acme", "bob@example.com", "acme-console", "deploy the acme release");
}, 90_000);

afterAll(async () => {
  await env?.close();
  await receiver?.close();
});

async function petition(space: string, email: string, id: string, reason: string): Promise<string> {
  const reply = await t.call("POST", `/v1/spaces/${space}/petitions`, {
    petition: { reason, petitioners: [{ kind: "user", email }], resources: [{ kind: "app.v1.Thing", id }], defaultDuration: "1h" },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.name as string;
}

const card = (page: Page, name: string) => page.locator(`[data-petition="${name}"]`);

describe("spaces in the web UI", () => {
  it("switches between the person's spaces, each showing its own petitions only", async () => {
    const alice = await env.signedIn("alice");
    await alice.waitForURL(`${env.base}/spaces/default`);
    const switcher = alice.getByLabel("Space", { exact: true });
    await expect.poll(() => switcher.inputValue()).toBe("default");
    expect(await switcher.locator("option").allTextContents()).toEqual(["Acme Corp (acme)", "Default (default)"]);

    await alice.getByRole("link", { name: "My requests" }).click();
    await alice.waitForURL(`${env.base}/spaces/default/requests`);
    await expect.poll(() => card(alice, inDefault).count(), { timeout: 10_000 }).toBe(1);
    expect(await card(alice, inAcme).count()).toBe(0);
    expect(await alice.locator("main").textContent()).not.toContain("rotate the acme keys");

    // Switching keeps the page and changes the space, in the address too.
    await switcher.selectOption("acme");
    await alice.waitForURL(`${env.base}/spaces/acme/requests`);
    await expect.poll(() => card(alice, inAcme).count(), { timeout: 10_000 }).toBe(1);
    expect(await card(alice, inDefault).count()).toBe(0);
    expect(await alice.locator("main").textContent()).not.toContain("close the books in default");
    await env.shot(alice, "spaces-switcher");

    // The catalog and the admin pages are the chosen space's.
    await alice.getByRole("link", { name: "Request", exact: true }).click();
    await alice.waitForURL(`${env.base}/spaces/acme`);
    await expect.poll(() => alice.getByRole("button", { name: /Acme console/ }).count()).toBe(1);
    expect(await alice.getByRole("button", { name: /Default DB/ }).count()).toBe(0);
    expect(await alice.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Access" }).getAttribute("href")).toBe(
      "/spaces/acme/admin/access",
    );

    // The choice is remembered: a path without a space opens in it.
    await alice.goto(`${env.base}/inbox`);
    await alice.waitForURL(`${env.base}/spaces/acme/inbox`);
    await expect.poll(() => card(alice, bobsRequest).count(), { timeout: 10_000 }).toBe(1);
    await alice.context().close();
  });

  it("opens a link to a petition in the second space there, through sign-in", async () => {
    const link = `/spaces/acme/petitions/${inAcme}`;
    const alice = await env.signedIn("alice", { at: link });
    await alice.waitForURL(`${env.base}${link}`);
    await expect.poll(() => alice.getByTestId("petition-status").textContent(), { timeout: 10_000 }).toBe("open");
    expect(await alice.locator("main").textContent()).toContain("rotate the acme keys");
    expect(await alice.getByLabel("Space", { exact: true }).inputValue()).toBe("acme");

    // A space the person holds no role in is not opened, and says why.
    const bob = await env.signedIn("bob", { at: `/spaces/default/petitions/${inDefault}` });
    await expect.poll(() => bob.getByRole("heading", { level: 1 }).textContent()).toBe("No access to space “default”");
    expect(await bob.locator("main").textContent()).not.toContain("close the books");
    await bob.getByRole("navigation", { name: "Your spaces" }).getByRole("link", { name: "Acme Corp" }).click();
    await bob.waitForURL(`${env.base}/spaces/acme`);
    // One space: no switcher.
    await expect.poll(() => bob.getByRole("navigation", { name: "Main" }).getByRole("link").count()).toBe(3);
    expect(await bob.getByLabel("Space", { exact: true }).count()).toBe(0);
    await alice.context().close();
    await bob.context().close();
  });

  it("tells someone with no role anywhere so, and who can give them one", async () => {
    const nora = await env.signedIn("nora");
    await expect.poll(() => nora.getByRole("heading", { level: 1 }).textContent()).toBe("You have no access yet");
    const text = await nora.locator("main").textContent();
    expect(text).toContain("nora@example.com");
    expect(text).toContain("hold no role in any space");
    expect(text).toContain("An admin of the space you need can give you a role");
    expect(await nora.getByRole("navigation", { name: "Main" }).count()).toBe(0);
    expect(await nora.getByRole("navigation", { name: "Your spaces" }).count()).toBe(0);
    await env.shot(nora, "no-access");
    await nora.context().close();
  });
});

describe("the Access page", () => {
  it("adds and removes a role's member, refuses a bad one in place, and binds a group whose member then approves", async () => {
    const alice = await env.signedIn("alice", { at: "/spaces/acme/admin/access" });
    await alice.waitForURL(`${env.base}/spaces/acme/admin/access`);
    const members = (role: string) => alice.getByRole("list", { name: `Members of ${role}` });
    await expect.poll(() => members("admin").textContent()).toContain("user:alice@example.com");
    expect(await members("member").textContent()).toContain("user:bob@example.com");

    const add = alice.getByRole("form", { name: "Add to a role" });
    await add.getByLabel("Member", { exact: true }).fill("dave@example.com");
    await add.getByLabel("Role").selectOption("member");
    await add.getByRole("button", { name: "Add to role" }).click();
    await expect.poll(() => members("member").textContent()).toContain("user:dave@example.com");
    expect((await t.call("POST", "/v1/spaces/acme:getPolicy", {})).body.bindings).toContainEqual({
      role: "member",
      members: ["user:bob@example.com", "user:dave@example.com"],
    });
    await alice.getByRole("button", { name: "Remove user:dave@example.com from member" }).click();
    await expect.poll(() => members("member").textContent()).not.toContain("dave@example.com");

    // The server's refusal, where the form is.
    await add.getByLabel("Member", { exact: true }).fill("team:nobody");
    await add.getByRole("button", { name: "Add to role" }).click();
    await expect.poll(() => add.getByRole("alert").textContent()).toMatch(/member/);

    // A group of reviewers.
    const create = alice.getByRole("form", { name: "New group" });
    await create.getByLabel("Group name").fill("dbas");
    await create.getByLabel("Members (emails)").fill("carol@example.com");
    await create.getByRole("button", { name: "Create group" }).click();
    const group = alice.locator('[data-group="dbas"]');
    await expect.poll(() => group.count()).toBe(1);
    expect(await group.textContent()).toContain("1 member");
    await group.getByLabel("Role for dbas").selectOption("reviewer");
    await group.getByRole("button", { name: "Add group to role" }).click();
    await expect.poll(() => members("reviewer").textContent()).toContain("group:dbas");
    await env.shot(alice, "access");

    // Carol holds a role only through the group: she sees acme, and bob's request in her inbox.
    const carol = await env.signedIn("carol", { mobile: true });
    await carol.waitForURL(`${env.base}/spaces/acme`);
    expect(await carol.getByRole("navigation", { name: "Administration" }).count()).toBe(0);
    await carol.getByRole("link", { name: "Inbox" }).click();
    await expect.poll(() => card(carol, bobsRequest).count(), { timeout: 10_000 }).toBe(1);
    await card(carol, bobsRequest).getByRole("button", { name: "Approve" }).click();
    await expect
      .poll(async () => (await t.call("GET", `/v1/spaces/acme/petitions/${bobsRequest}`)).body.state.status.phase, { timeout: 10_000 })
      .toBe("granted");
    const approval = (await t.call("GET", `/v1/spaces/acme/petitions/${bobsRequest}`)).body.state.eventHistory.find(
      (e: { event: string }) => e.event === "access/approve",
    );
    expect(JSON.stringify(approval)).toContain("carol@example.com");

    // The Access page is for the space's admins only, like the others.
    await carol.goto(`${env.base}/spaces/acme/admin/access`);
    await expect.poll(() => carol.getByRole("alert").first().textContent(), { timeout: 10_000 }).toMatch(/admin|permission|role/i);
    expect(await carol.getByRole("list", { name: "Role bindings" }).count()).toBe(0);
    await carol.context().close();
    await alice.context().close();
  });
});

describe("the Subscriptions page", () => {
  it("creates a subscription whose secret is shown once, sends a failed delivery again, and deletes it", async () => {
    receiver.answer = () => ({ status: 500, body: { error: "the audit store is down" } });
    const alice = await env.signedIn("alice", { at: "/spaces/acme/admin/subscriptions" });
    await alice.waitForURL(`${env.base}/spaces/acme/admin/subscriptions`);
    await expect.poll(() => alice.getByText("No subscriptions yet.").count()).toBe(1);

    const form = alice.getByRole("form", { name: "New subscription" });
    await form.getByLabel("Subscription name").fill("audit");
    await form.getByLabel("URL").fill(receiver.url);
    await form.getByLabel("Event types").fill("petition.nonsense");
    await form.getByRole("button", { name: "Create subscription" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("eventTypes");

    await form.getByLabel("Event types").fill("petition.*");
    await form.getByRole("button", { name: "Create subscription" }).click();
    const shown = alice.getByRole("status", { name: "New subscription secret" });
    await expect.poll(() => shown.count()).toBe(1);
    const secret = await shown.getByLabel("Signing secret").inputValue();
    expect(secret).toMatch(/^whsec_/);
    await env.shot(alice, "subscription-secret");
    const sub = alice.locator('[data-subscription="audit"]');
    await expect.poll(() => sub.count()).toBe(1);
    expect(await sub.textContent()).toContain("petition.*");
    await shown.getByRole("button", { name: "Done" }).click();
    expect(await shown.count()).toBe(0);
    // Shown once: read again, the page has only its hint.
    await alice.reload();
    await expect.poll(() => sub.count()).toBe(1);
    expect(await alice.content()).not.toContain(secret);
    expect((await t.call("GET", "/v1/spaces/acme/subscriptions/audit")).body.secret).toBeUndefined();

    // An event for it fails, and is sent again from its log.
    const made = await petition("acme", "bob@example.com", "acme-billing", "check the acme invoices");
    const log = alice.getByRole("list", { name: "Deliveries of audit" });
    const delivery = log.locator("[data-delivery]").filter({ hasText: made });
    await expect.poll(() => delivery.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => delivery.textContent(), { timeout: 15_000 }).toContain("HTTP 500");
    receiver.answer = () => ({ status: 200, body: {} });
    await delivery.getByRole("button", { name: "Redeliver" }).click();
    await expect.poll(() => delivery.getByRole("status").textContent()).toContain("Sent again");
    await expect.poll(() => delivery.locator(".delivery").textContent(), { timeout: 15_000 }).toBe("delivered");
    expect(receiver.requests.some((r) => r.headers["webhook-signature"] !== undefined && r.raw.includes(made))).toBe(true);

    await sub.getByRole("button", { name: "Delete subscription audit" }).click();
    await sub.getByRole("button", { name: "Delete audit and what it has waiting" }).click();
    await expect.poll(() => sub.count()).toBe(0);
    expect((await t.call("GET", "/v1/spaces/acme/subscriptions/audit")).status).toBe(404);
    await alice.context().close();
  });
});
