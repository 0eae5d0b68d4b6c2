import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock, type Clock } from "../../../server/src/domain/clock.js";
import { startReceiver, type Receiver } from "../../../server/test/integration/fakes/receiver.js";
import { SPACE, until } from "../../../server/test/integration/harness.js";
import { startBrowserEnv, type BrowserEnv, type ViewportName } from "./browser-env.js";
import {
  agentPetition,
  approveAroundTheUi,
  claimsOf,
  expectFits,
  favicon,
  focused,
  HIGH_RISK_KIND,
  ONE_PERSON_KIND,
  petition,
  REVIEW_POLICY,
  serverPetition,
  TWO_PEOPLE_KIND,
} from "./review-fixtures.js";

/**
 * The web UI as the reviewer's daily tool, in Chromium against a real server and a real OpenID
 * Connect provider, at a laptop's and a phone's size: the petition page shows what a reviewer
 * weighs (risk, rules and policy version, each step's progress and who may still approve, the
 * duration asked, the agent, the timeout, grants whose integration failed); the form offers only
 * durations the plan allows, refuses a denial without a reason, asks before approving a high-risk
 * petition (then signing in again still applies), and says what came of a decision where focus
 * goes; the inbox counts what awaits in its heading, title and icon, filters and sorts, and
 * approves or denies several petitions at once, each as a claim of its own.
 */

let env: BrowserEnv;
let receiver: Receiver;
let policyVersion: number;
/** Moves the server's clock, to make petitions that are hours or a day old. */
let offset = 0;
const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
const FAILING_KIND = "okta.v1.Group";

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.answer = () => ({ status: 500, body: { error: "okta is down" } });
  // Two attempts, then the delivery has failed: the grant's provisioning fails within the test.
  env = await startBrowserEnv({ logins: ["alice", "bob", "carol"], clock, env: { GREENLIGHT_DELIVERY_SCHEDULE: "200ms" } });
  for (const [role, email] of [
    ["admin", "alice@example.com"],
    ["reviewer", "bob@example.com"],
    ["reviewer", "carol@example.com"],
  ]) {
    expect((await env.t.call("POST", `${SPACE}:addToRole`, { role, member: `user:${email}` })).status).toBe(200);
  }
  const saved = await env.t.call("PUT", `${SPACE}/policy`, { policy: REVIEW_POLICY });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  policyVersion = saved.body.version;
  const hook = await env.t.call("POST", `${SPACE}/webhooks`, {
    webhook: { name: "okta", url: receiver.url, handlers: [{ type: "applyUpdate", resourceKinds: [FAILING_KIND] }] },
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
}, 90_000);

afterAll(async () => {
  await env?.close();
  await receiver?.close();
});

const card = (page: Page, name: string) => page.locator(`[data-petition="${name}"]`);
const result = (page: Page) => page.getByTestId("decision-result");

describe.each(["desktop", "phone"] as ViewportName[])("at the %s size", (viewport) => {
  it("the petition page shows what a reviewer weighs, and offers only durations the plan allows", async () => {
    const name = await petition(env.t, "default", { kind: TWO_PEOPLE_KIND, duration: "3h" });
    const bob = await env.signedIn("bob", { viewport, at: `/spaces/default/petitions/${name}` });
    const made = await serverPetition(env.t, "default", name);

    await expect.poll(() => bob.getByTestId("rules").textContent(), { timeout: 10_000 }).toContain("databases-need-two");
    expect(await bob.getByTestId("rules").textContent()).toContain(`policy version ${policyVersion}`);
    expect(await bob.getByTestId("risk").textContent()).toBe("not high risk");
    expect(await bob.getByTestId("asked-duration").textContent()).toBe("3 hours");
    expect(await bob.locator("[data-testid=timeout] time").getAttribute("datetime")).toBe(made.state.review.timeoutTime);
    const step = bob.getByRole("list", { name: "Approval steps" }).locator('[data-step="two-reviewers"]');
    expect(await step.textContent()).toContain("0 of 2 approvals");
    expect(await step.textContent()).toContain("May still approve: any reviewer");
    expect(await bob.title()).toMatch(/^Thing \d+ \(postgres\.v1\.Database\) \(open\) · default · Greenlight$/);

    // The plan's longest grant is 4h: nothing longer is offered, and what was asked is chosen.
    const duration = bob.getByLabel("Duration");
    const offered = (await duration
      .locator("option")
      .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value))) as string[];
    expect(offered).toEqual(["15m", "30m", "1h", "2h", "3h", "4h"]);
    expect(await duration.inputValue()).toBe("3h");
    await expectFits(bob, `the petition page (${viewport})`);
    if (viewport === "desktop") await env.shot(bob, "review-page");

    // A denial needs a reason: without one nothing is sent, and the reason field says so.
    await bob.getByRole("button", { name: /^Deny pat\d+@example.com's request for Thing/ }).click();
    await expect.poll(() => bob.getByRole("alert").textContent()).toContain("Say why you deny it");
    expect(await bob.getByLabel("Reason").getAttribute("aria-invalid")).toBe("true");
    expect(await focused(bob)).toMatch(/^input:/);
    expect(await claimsOf(env.t, "default", name, "access/deny")).toEqual([]);
    await expectFits(bob, `the petition page refusing a denial without a reason (${viewport})`);

    // Approving for 2h: one of two approvals; the approval's term is the one chosen.
    await duration.selectOption("2h");
    await bob.getByRole("button", { name: /^Approve pat\d+@example.com's request/ }).click();
    await expect
      .poll(() => result(bob).textContent(), { timeout: 10_000 })
      .toMatch(/^Approved pat\d+@example.com's request for Thing \d+ for 2 hours\.$/);
    expect(await focused(bob)).toBe("decision-result");
    const [approval] = await claimsOf(env.t, "default", name, "access/approve");
    expect(approval!.actor.email).toBe("bob@example.com");
    // Not granted yet: the approval records the duration chosen; the grant takes the shortest approvers gave.
    expect(approval!.meta?.labels?.["indent.com/time/duration"]).toBe("2h");
    await expect.poll(() => step.textContent(), { timeout: 10_000 }).toContain("1 of 2 approvals");
    expect(await step.textContent()).toContain("Approved by bob@example.com");
    expect((await serverPetition(env.t, "default", name)).state.status.phase).toBe("open");
    await expectFits(bob, `the petition page after an approval (${viewport})`);
    await bob.context().close();
  });

  it("an approval for the longest allowed grants exactly that; an agent's petition says whom it acts for; a denial records its reason", async () => {
    const { name, agent } = await agentPetition(env.t, "default", {
      kind: ONE_PERSON_KIND,
      person: `dana-${viewport}@example.com`,
      labels: { "indent.com/petition/duration": "90m" },
    });
    const bob = await env.signedIn("bob", { viewport, at: `/spaces/default/petitions/${name}` });
    await expect.poll(() => bob.getByTestId("asked-duration").textContent(), { timeout: 10_000 }).toBe("1h30m");
    expect(await bob.getByTestId("agent").textContent()).toBe(`the agent ${agent}, acting for dana-${viewport}@example.com`);
    const duration = bob.getByLabel("Duration");
    expect(await duration.inputValue()).toBe("1h30m");
    const offered = await duration.locator("option").allTextContents();
    expect(offered.at(-1)).toBe("8 hours (the longest allowed)");
    await duration.selectOption("8h");
    await bob.getByRole("button", { name: /^Approve / }).click();
    await expect.poll(() => bob.getByTestId("petition-status").textContent(), { timeout: 10_000 }).toBe("granted");
    const granted = await serverPetition(env.t, "default", name);
    const [approval] = await claimsOf(env.t, "default", name, "access/approve");
    expect(Date.parse(granted.meta.expireTime) - Date.parse(approval!.timestamp)).toBeCloseTo(8 * 3_600_000, -4);

    // Denied with a reason: the server records it, and the page says so where focus went.
    const denied = await petition(env.t, "default", { kind: ONE_PERSON_KIND });
    await bob.goto(`${env.base}/spaces/default/petitions/${denied}`);
    await bob.getByLabel("Reason").fill("not during the freeze");
    await bob.getByRole("button", { name: /^Deny / }).click();
    await expect.poll(() => result(bob).textContent(), { timeout: 10_000 }).toMatch(/^Denied .*: not during the freeze$/);
    expect(await focused(bob)).toBe("decision-result");
    const [denial] = await claimsOf(env.t, "default", denied, "access/deny");
    expect(denial).toMatchObject({ actor: { email: "bob@example.com" }, reason: "not during the freeze" });
    await expectFits(bob, `a denied petition (${viewport})`);
    await bob.context().close();
  });

  it("a high-risk approval asks first in a dialog, and then signing in again still applies", async () => {
    const name = await petition(env.t, "default", { kind: HIGH_RISK_KIND });
    const bob = await env.signedIn("bob", { viewport, at: `/spaces/default/petitions/${name}` });
    await expect.poll(() => bob.locator("#content .high-risk").textContent(), { timeout: 10_000 }).toBe("High risk");
    const approve = bob.getByRole("button", { name: /^Approve / });
    const dialog = bob.getByRole("dialog", { name: "Approve a high-risk petition?" });

    // Cancelled with Escape: nothing is sent, and focus is back on Approve.
    await approve.click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await focused(bob)).toBe("button:Cancel");
    await expectFits(bob, `the high-risk confirmation (${viewport})`);
    await bob.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await focused(bob)).toMatch(/^button:Approve /);
    expect(await claimsOf(env.t, "default", name, "access/approve")).toEqual([]);

    // Confirmed: the server wants a fresh sign-in, which is then made at the provider.
    await approve.click();
    await dialog.getByRole("button", { name: /^Approve / }).click();
    const stepUp = bob.getByRole("group", { name: "Sign in again to approve" });
    await expect.poll(() => stepUp.count(), { timeout: 10_000 }).toBe(1);
    expect((await serverPetition(env.t, "default", name)).state.status.phase).toBe("open");
    await expectFits(bob, `the high-risk petition asking to sign in again (${viewport})`);
    await stepUp.getByRole("button", { name: "Sign in again" }).click();
    await bob.waitForURL((url) => url.origin === env.idp.issuer);
    await env.atProvider(bob, "bob");
    await expect.poll(() => bob.getByTestId("petition-status").textContent(), { timeout: 10_000 }).toBe("granted");
    await expect.poll(() => result(bob).textContent()).toMatch(/^Approved /);
    expect(await focused(bob)).toBe("decision-result");
    const [approval] = await claimsOf(env.t, "default", name, "access/approve");
    expect(approval!.actor.email).toBe("bob@example.com");
    await bob.context().close();
  });

  it("a grant whose integration failed shows as a problem, with the integration's error for admins", async () => {
    const name = await petition(env.t, "default", { kind: FAILING_KIND });
    // The operator's token holds every role: it approves, and the integration answers 500.
    const approved = await env.t.call("POST", `${SPACE}/petitions/${name}/claims`, {
      claim: { event: "access/approve", reason: "ok", meta: { labels: { "indent.com/time/duration": "1h" } } },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await until(
      async () => (await env.t.call("GET", `${SPACE}/grants?petition=${name}`)).body.grants[0]?.provisioning,
      (state) => state === "apply_failed",
    );

    const alice = await env.signedIn("alice", { viewport, at: `/spaces/default/petitions/${name}` });
    const grant = alice.getByRole("list", { name: "Grants" }).locator("li");
    await expect.poll(() => grant.getAttribute("data-provisioning"), { timeout: 10_000 }).toBe("apply_failed");
    await expect.poll(() => grant.textContent(), { timeout: 10_000 }).toContain("webhook okta gave up");
    expect(await grant.textContent()).toContain("integrations: applying failed");
    expect(await grant.getByRole("note", { name: "Problem" }).textContent()).toMatch(/^Problem: webhook okta gave up: .*500/);
    await expectFits(alice, `a petition whose grant failed, for an admin (${viewport})`);
    await alice.context().close();

    const bob = await env.signedIn("bob", { viewport, at: `/spaces/default/petitions/${name}` });
    const seen = bob.getByRole("list", { name: "Grants" }).getByRole("note", { name: "Problem" });
    await expect.poll(() => seen.textContent(), { timeout: 10_000 }).toContain("an integration could not apply this access");
    expect(await seen.textContent()).toContain("Ask a space admin");
    await expectFits(bob, `a petition whose grant failed, for a reviewer (${viewport})`);
    await bob.context().close();
  });

  it("the inbox counts what awaits, filters and sorts it, and decides several at once, each as its own claim", async () => {
    const space = `inbox-${viewport}`;
    expect((await env.t.call("POST", "/v1/spaces", { space: { name: space, displayName: `Inbox ${viewport}` } })).status).toBe(201);
    expect((await env.t.call("POST", `/v1/spaces/${space}:addToRole`, { role: "reviewer", member: "user:bob@example.com" })).status).toBe(
      200,
    );
    expect((await env.t.call("PUT", `/v1/spaces/${space}/policy`, { policy: REVIEW_POLICY })).status).toBe(200);
    // Made a day and two hours ago, before anyone signs in (the server's clock moves, not the browser's).
    offset = -26 * 3_600_000;
    const dayOld = await petition(env.t, space, { kind: ONE_PERSON_KIND, petitioner: "quinn@example.com" });
    offset = -2 * 3_600_000;
    const hoursOld = await petition(env.t, space, { kind: "gcp.v1.Project" });
    offset = 0;
    const fresh = await petition(env.t, space, { kind: ONE_PERSON_KIND });
    const risky = await petition(env.t, space, { kind: HIGH_RISK_KIND });

    const bob = await env.signedIn("bob", { viewport, at: `/spaces/${space}/inbox` });
    const heading = bob.getByRole("heading", { level: 1 });
    await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toBe("Awaiting your review (4)");
    expect(await bob.title()).toBe(`Inbox (4) · ${space} · Greenlight`);
    expect(await favicon(bob)).toEqual({ count: "4", badge: true });
    await expectFits(bob, `the inbox (${viewport})`);

    // A petition arrives: the count follows.
    const arrived = await petition(env.t, space, { kind: ONE_PERSON_KIND });
    await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toBe("Awaiting your review (5)");
    expect(await bob.title()).toBe(`Inbox (5) · ${space} · Greenlight`);
    if (viewport === "desktop") await env.shot(bob, "inbox-filters");
    expect(await favicon(bob)).toEqual({ count: "5", badge: true });

    const filters = bob.getByRole("group", { name: "Filter and sort" });
    const shown = async () =>
      bob
        .locator("[data-petition]")
        .evaluateAll((cards) => cards.map((c) => (c as unknown as { dataset: { petition: string } }).dataset.petition));
    await filters.getByLabel(/^Kind of resource/).selectOption(ONE_PERSON_KIND);
    await expect.poll(shown).toEqual([arrived, fresh, dayOld]);
    await filters.getByLabel(/^Kind of resource/).selectOption("");
    await filters.getByLabel(/^Risk/).selectOption("high");
    await expect.poll(shown).toEqual([risky]);
    await filters.getByLabel(/^Risk/).selectOption("not-high");
    await expect.poll(shown).toEqual([arrived, fresh, hoursOld, dayOld]);
    await filters.getByLabel(/^Risk/).selectOption("");
    await filters.getByLabel(/^Requester/).selectOption("quinn@example.com");
    await expect.poll(shown).toEqual([dayOld]);
    await filters.getByLabel(/^Requester/).selectOption("");
    await filters.getByLabel(/^Age/).selectOption("1h");
    await expect.poll(shown).toEqual([hoursOld, dayOld]);
    await filters.getByLabel(/^Age/).selectOption("1d");
    await expect.poll(shown).toEqual([dayOld]);
    await filters.getByLabel(/^Age/).selectOption("");
    await filters.getByLabel(/^Order/).selectOption("oldest");
    await expect.poll(shown).toEqual([dayOld, hoursOld, fresh, risky, arrived]);
    await filters.getByLabel(/^Order/).selectOption("newest");
    await expect.poll(shown).toEqual([arrived, risky, fresh, hoursOld, dayOld]);
    await expectFits(bob, `the inbox with its filters used (${viewport})`);

    // A high-risk petition cannot be selected for a bulk decision.
    expect(await card(bob, risky).getByRole("checkbox").isDisabled()).toBe(true);
    await bob.getByRole("button", { name: "Select all shown that are not high risk" }).click();
    expect(await card(bob, risky).getByRole("checkbox").isChecked()).toBe(false);
    // Going around the UI does not help: the server refuses it without a fresh sign-in.
    expect(await approveAroundTheUi(bob, space, risky)).toEqual({ status: 401, code: "STEP_UP_REQUIRED" });
    expect((await serverPetition(env.t, space, risky)).state.status.phase).toBe("open");
    await card(bob, arrived).getByRole("checkbox").uncheck();
    expect(await bob.getByRole("button", { name: "Approve selected (3)" }).isEnabled()).toBe(true);

    // Three approvals, each its own claim by bob.
    await bob.getByRole("button", { name: "Approve selected (3)" }).click();
    await expect.poll(() => result(bob).textContent(), { timeout: 15_000 }).toMatch(/^Approved 3 of 3: /);
    expect(await focused(bob)).toBe("decision-result");
    for (const name of [dayOld, hoursOld, fresh]) {
      const approvals = await claimsOf(env.t, space, name, "access/approve");
      expect(approvals.map((a) => a.actor.email)).toEqual(["bob@example.com"]);
      expect((await serverPetition(env.t, space, name)).state.status.phase).toBe("granted");
    }
    await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toBe("Awaiting your review (2)");
    expect(await favicon(bob)).toEqual({ count: "2", badge: true });
    await expectFits(bob, `the inbox after a bulk approval (${viewport})`);

    // A bulk denial needs one reason; one decided elsewhere meanwhile is reported as such.
    await card(bob, arrived).getByRole("checkbox").check();
    await bob.getByRole("button", { name: "Deny selected (1)" }).click();
    await expect
      .poll(() => bob.getByRole("group", { name: "Decide the selected petitions" }).getByRole("alert").textContent())
      .toContain("Say why you deny them");
    // The inbox stops reading meanwhile, so the petition stays selected after it is decided elsewhere.
    await bob.route(/awaiting=me/, () => undefined);
    const elsewhere = await env.t.call("POST", `/v1/spaces/${space}/petitions/${arrived}/claims`, {
      claim: { event: "access/deny", reason: "decided by the operator" },
    });
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(200);
    await bob.getByLabel("Reason for all").fill("not this quarter");
    await bob.getByRole("button", { name: "Deny selected (1)" }).click();
    await expect
      .poll(() => result(bob).textContent(), { timeout: 15_000 })
      .toMatch(/^Denied 0 of 1\. Not denied: .*someone else decided it meanwhile/);
    expect((await claimsOf(env.t, space, arrived, "access/deny")).map((d) => d.reason)).toEqual(["decided by the operator"]);
    await bob.unroute(/awaiting=me/);

    // The last one, denied on its card: nothing awaits, and the icon is plain again.
    await card(bob, risky).getByLabel("Reason").fill("use the staging cluster");
    await card(bob, risky)
      .getByRole("button", { name: /^Deny / })
      .click();
    await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toBe("Awaiting your review (0)");
    expect(await bob.title()).toBe(`Inbox (0) · ${space} · Greenlight`);
    expect(await favicon(bob)).toEqual({ count: "0", badge: false });
    expect((await claimsOf(env.t, space, risky, "access/deny"))[0]?.reason).toBe("use the staging cluster");
    await expectFits(bob, `the empty inbox (${viewport})`);
    await bob.getByRole("link", { name: "My requests" }).click();
    await expect.poll(() => favicon(bob)).toBeNull();
    await bob.context().close();
  }, 90_000);
});
