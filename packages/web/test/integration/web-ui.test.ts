import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPACE } from "../../../server/test/integration/harness.js";
import { startBrowserEnv, type BrowserEnv } from "./browser-env.js";

/**
 * The web UI end to end, in Debian's Chromium driven by playwright-core, against a real
 * server and a real OpenID Connect provider on loopback: a requester asks, a reviewer approves
 * in the inbox, the requester's page turns granted without a reload, access is revoked, and
 * the timeline shows it all; an invalid policy is refused in the editor with its place.
 * `GREENLIGHT_SCREENSHOTS=docs/screenshots` also saves the web UI guide's screenshots.
 */

let env: BrowserEnv;
let base: string;
const signedIn = (login: string, options?: { mobile?: boolean }): Promise<Page> => env.signedIn(login, options);
const shot = (page: Page, name: string): Promise<void> => env.shot(page, name);

beforeAll(async () => {
  env = await startBrowserEnv({ logins: ["alice", "bob"] });
  base = env.base;
  const t = env.t;
  for (const [role, email] of [
    ["admin", "alice@example.com"],
    ["member", "bob@example.com"],
  ]) {
    expect((await t.call("POST", `${SPACE}:addToRole`, { role, member: `user:${email}` })).status).toBe(200);
  }
  const upload = await t.call("POST", `${SPACE}/resources:bulkUpdate`, {
    resources: [
      { kind: "postgres.v1.Database", id: "billing", displayName: "Billing DB", labels: { env: "prod" } },
      { kind: "aws.v1.Role", id: "readonly", displayName: "AWS read-only" },
    ],
  });
  expect(upload.status).toBeLessThan(300);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe("the web UI", () => {
  it("request → approve in the inbox → the requester's page turns granted live → revoke → timeline", async () => {
    const bob = await signedIn("bob");
    await expect.poll(() => bob.getByRole("button", { name: /Billing DB/ }).count()).toBe(1);
    await bob.getByLabel("Search").fill("billing");
    await expect.poll(() => bob.getByRole("list", { name: "Requestable resources" }).getByRole("button").count()).toBe(1);
    await shot(bob, "request");
    await bob.getByRole("button", { name: /Billing DB/ }).click();
    await bob.getByLabel("Why do you need it?").fill("month-end close");
    await bob.getByLabel("For how long").selectOption("2h");
    await bob.getByRole("button", { name: "Request" }).click();
    await bob.waitForURL(/\/spaces\/default\/petitions\/pet_/);
    const status = bob.getByTestId("petition-status");
    await expect.poll(() => status.textContent()).toBe("open");
    const petitionUrl = bob.url();

    const alice = await signedIn("alice", { mobile: true });
    await alice.getByRole("link", { name: "Inbox" }).click();
    const card = alice.locator(`[data-petition="${petitionUrl.split("/").at(-1)}"]`);
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    expect(await card.textContent()).toContain("month-end close");
    expect(await card.getByLabel("Risk labels").textContent()).toContain("env=prod");
    await shot(alice, "inbox-phone");
    await card.getByRole("button", { name: "Approve" }).click();

    // Bob's page was not reloaded: the long-poll brings the decision.
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe("granted");
    await shot(bob, "petition-granted");
    // The requester ends it from the petition's page, after confirming.
    await bob.getByRole("button", { name: "Revoke access" }).click();
    await bob.getByRole("dialog", { name: "Revoke your access?" }).getByRole("button", { name: "Revoke now" }).click();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe("revoked");
    const timeline = await bob.getByRole("list", { name: "Timeline" }).textContent();
    for (const event of ["access/request", "access/approve", "access/grant", "access/revoke"]) expect(timeline).toContain(event);
    expect(timeline).toContain("by alice@example.com");

    await bob.getByRole("link", { name: "My requests" }).click();
    await expect.poll(() => bob.locator(".petitions li").count()).toBeGreaterThan(0);
    await bob.context().close();
    await alice.context().close();
  });

  it("refuses an invalid rule in the policy editor, saying where it is", async () => {
    const alice = await signedIn("alice");
    await alice.getByRole("link", { name: "Policy" }).click();
    const editor = alice.getByLabel(/Policy \(JSON\)/);
    await expect.poll(async () => (await editor.inputValue()).length).toBeGreaterThan(0);
    await editor.fill(
      JSON.stringify({ rules: [{ name: "prod", match: { condition: "resource.labels.env ==" }, autoApprove: { reason: "x" } }] }, null, 2),
    );
    await alice.getByRole("button", { name: "Validate" }).click();
    const problem = alice.getByRole("alert");
    await expect.poll(() => problem.textContent()).toContain("rules[0].match.condition");
    await shot(alice, "policy-editor");
    expect(await editor.getAttribute("aria-invalid")).toBe("true");
    await alice.context().close();
  });

  it("shows the sign-in page to a browser that is not signed in", async () => {
    const page = await (await env.browser.newContext()).newPage();
    const response = await page.goto(`${base}/inbox`);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'self'");
    await expect.poll(() => page.getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/auth/login?returnTo=%2Finbox");
    await page.context().close();
  });
});
