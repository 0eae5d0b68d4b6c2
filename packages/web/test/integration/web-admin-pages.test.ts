import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../../../server/test/integration/fakes/receiver.js";
import { approveClaim, SPACE, type TestServer } from "../../../server/test/integration/harness.js";
import { expectAccessible, startBrowserEnv, type BrowserEnv, type ViewportName } from "./browser-env.js";

/**
 * The admin pages end to end, in Chromium against a real server, at a laptop's and a phone's
 * size: the catalog is searched and paged on the server; the policy editor never offers a
 * policy it could not read and never saves over someone else's; opening pages mints one token,
 * not one a page; the audit log hides routine token issuance until asked; on-call providers,
 * pull policies and grants' provisioning are managed here, checked against the server's state.
 */

const VIEWPORTS: ViewportName[] = ["desktop", "phone"];
const POLICY = { rules: [{ name: "dev-auto", match: { resources: "env=dev" }, autoApprove: { reason: "dev" } }] };

let env: BrowserEnv;
let t: TestServer;
let apply: Receiver;
let pull: Receiver;

beforeAll(async () => {
  apply = await startReceiver("/apply");
  pull = await startReceiver("/pull");
  // One retry, soon: a grant its integration refuses twice has failed within the test.
  env = await startBrowserEnv({ logins: ["alice", "bob"], env: { GREENLIGHT_DELIVERY_SCHEDULE: "100ms" } });
  t = env.t;
  for (const [role, email] of [
    ["admin", "alice@example.com"],
    ["member", "bob@example.com"],
  ]) {
    expect((await t.call("POST", `${SPACE}:addToRole`, { role, member: `user:${email}` })).status).toBe(200);
  }
  expect((await t.call("PUT", `${SPACE}/policy`, { policy: POLICY })).status).toBe(200);
  const warehouses = Array.from({ length: 60 }, (_, i) => ({
    kind: "snowflake.v1.Warehouse",
    id: `warehouse-${String(i).padStart(2, "0")}`,
    displayName: `Analytics warehouse ${i}`,
  }));
  const others = Array.from({ length: 100 }, (_, i) => ({ kind: "aws.v1.Role", id: `role-${String(i).padStart(3, "0")}` }));
  expect((await t.call("POST", `${SPACE}/resources:bulkUpdate`, { resources: [...warehouses, ...others] })).status).toBe(200);
  for (const webhook of [
    { name: "okta-apply", url: apply.url, handlers: [{ type: "applyUpdate", resourceKinds: ["okta.v1.Group"] }] },
    { name: "okta-pull", url: pull.url, handlers: [{ type: "pullUpdate", resourceKinds: ["okta.v1.Group"] }] },
  ]) {
    expect((await t.call("POST", `${SPACE}/webhooks`, { webhook })).status).toBe(201);
  }
}, 90_000);

afterAll(async () => {
  await env?.close();
  await apply?.close();
  await pull?.close();
});

async function adminPage(viewport: ViewportName, path: string): Promise<Page> {
  const page = await env.signedIn("alice", { viewport, at: `/spaces/default${path}` });
  await page.waitForURL(`${env.base}/spaces/default${path}`);
  return page;
}

describe.each(VIEWPORTS)("on a %s", (viewport) => {
  it("searches the whole catalog on the server and pages through every match", async () => {
    const page = await adminPage(viewport, "/admin/resources");
    expect(await page.title()).toBe("Resources · default · Greenlight");
    await page.getByLabel("Search").fill("WAREHOUSE");
    const rows = page.getByRole("table", { name: "Resources" }).locator("tbody tr");
    const pager = page.getByRole("navigation", { name: "Pages of resources" });
    const seen = new Set<string>();
    let first = "";
    for (const [number, expected] of [25, 25, 10].entries()) {
      if (number > 0) await pager.getByRole("button", { name: "Next" }).click();
      await expect.poll(() => pager.textContent(), { timeout: 10_000 }).toContain(`Page ${number + 1}`);
      await expect.poll(() => rows.first().textContent(), { timeout: 10_000 }).not.toBe(first);
      first = (await rows.first().textContent()) ?? "";
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(expected);
      await expect.poll(async () => (await rows.allTextContents()).every((row) => /warehouse/i.test(row))).toBe(true);
      for (const row of await rows.allTextContents()) seen.add(row);
    }
    expect(seen.size).toBe(60);
    expect(await page.getByRole("button", { name: "Next" }).isDisabled()).toBe(true);
    await expectAccessible(page, `resources searched (${viewport})`);
    await page.context().close();
  });

  it("shows why the policy could not be read, with no editor to save an empty one over it", async () => {
    const page = await env.signedIn("alice", { viewport });
    await page.route("**/v1/spaces/default/policy", (route) =>
      route.request().method() === "GET"
        ? route.fulfill({
            status: 500,
            contentType: "application/json",
            body: JSON.stringify({ error: { code: "INTERNAL", message: "the database did not answer" } }),
          })
        : route.continue(),
    );
    await page.goto(`${env.base}/spaces/default/admin/policy`);
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toContain("could not be read");
    expect(await alert.textContent()).toContain("Try again");
    expect(await alert.textContent()).not.toContain("{");
    expect(await page.getByRole("button", { name: "Save" }).count()).toBe(0);
    expect(await page.getByLabel(/Policy \(JSON\)/).count()).toBe(0);
    await expectAccessible(page, `policy unreadable (${viewport})`);

    // Once the server answers again, Try again opens the policy in force.
    await page.unroute("**/v1/spaces/default/policy");
    await page.getByRole("button", { name: "Try again" }).click();
    await expect.poll(() => page.getByLabel(/Policy \(JSON\)/).inputValue(), { timeout: 10_000 }).toContain("dev-auto");
    await page.context().close();
  });

  it("refuses the second of two editors' saves, keeps the first on the server, and offers to reload", async () => {
    const before = (await t.call("GET", `${SPACE}/policy`)).body.version as number;
    const [first, second] = [await adminPage(viewport, "/admin/policy"), await adminPage(viewport, "/admin/policy")];
    for (const page of [first, second]) {
      await expect.poll(() => page.getByLabel(/Policy \(JSON\)/).inputValue(), { timeout: 10_000 }).toContain("dev-auto");
    }
    const edited = (name: string) => JSON.stringify({ rules: [{ ...POLICY.rules[0], name }] }, null, 2);
    await first.getByLabel(/Policy \(JSON\)/).fill(edited(`first-${viewport}`));
    await first.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => first.getByText(`Saved as version ${before + 1}.`).count(), { timeout: 10_000 }).toBe(1);

    await second.getByLabel(/Policy \(JSON\)/).fill(edited(`second-${viewport}`));
    await second.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => second.getByRole("alert").textContent(), { timeout: 10_000 }).toContain("Someone else saved the policy");
    await expectAccessible(second, `policy saved meanwhile (${viewport})`);
    const stored = await t.call("GET", `${SPACE}/policy`);
    expect(stored.body.version).toBe(before + 1);
    expect(stored.body.policy.rules[0].name).toBe(`first-${viewport}`);

    await second.getByRole("button", { name: "Reload the policy" }).click();
    await expect.poll(() => second.getByLabel(/Policy \(JSON\)/).inputValue(), { timeout: 10_000 }).toContain(`first-${viewport}`);
    expect(await second.getByText(`Policy (JSON), version ${before + 1}`).count()).toBe(1);
    // Put it back for the other tests.
    expect((await t.call("PUT", `${SPACE}/policy`, { policy: POLICY })).status).toBe(200);
    for (const page of [first, second]) await page.context().close();
  });

  it("mints one token for many pages opened, and reuses it after a reload", async () => {
    const tokensIssued = async () =>
      (await t.call("GET", `${SPACE}/audit?event=token/issued&actor=bob@example.com&pageSize=100`)).body.events.length as number;
    const before = await tokensIssued();
    const page = await env.signedIn("bob", { viewport });
    for (const path of ["/requests", "/inbox", "/", "/inbox/decided", "/requests", "/passkeys", "/", "/inbox", "/requests", "/"]) {
      await page.goto(`${env.base}/spaces/default${path}`);
      await expect.poll(() => page.locator(".who").textContent()).toBe("bob@example.com");
      // As a person would, move on once the page has what it shows (and so its token): a
      // reload while the first token is still being minted would rightly mint another.
      await expect.poll(() => page.evaluate("Object.keys(sessionStorage).some((k) => k.startsWith('greenlight.token.'))")).toBe(true);
    }
    expect((await tokensIssued()) - before).toBeLessThanOrEqual(2);
    // Signing out forgets it: nothing is left in the tab for whoever signs in next.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => page.getByRole("link", { name: "Sign in" }).count()).toBe(1);
    expect(await page.evaluate("Object.keys(sessionStorage).filter((k) => k.startsWith('greenlight.token.')).length")).toBe(0);
    await page.context().close();
  });

  it("hides routine token issuance in the audit log until asked, and filters it on the server", async () => {
    const page = await adminPage(viewport, "/admin/audit");
    expect(await page.title()).toBe("Audit log · default · Greenlight");
    const events = page.getByRole("table", { name: "Audit events" }).locator("tbody tr");
    await expect.poll(() => events.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await t.call("GET", `${SPACE}/audit?event=token/issued`)).body.events.length).toBeGreaterThan(0);
    expect((await events.allTextContents()).some((row) => row.includes("token/issued"))).toBe(false);
    await expectAccessible(page, `audit log (${viewport})`);

    await page.getByLabel("Show tokens issued at sign-in").check();
    await page.getByRole("button", { name: "Search" }).click();
    await expect
      .poll(async () => (await events.allTextContents()).some((row) => row.includes("token/issued")), { timeout: 10_000 })
      .toBe(true);
    await page.context().close();
  });

  it("adds, changes and removes an on-call provider, never showing its API key back", async () => {
    const name = `pd-${viewport}`;
    const key = `pd-key-${viewport}-0123456789abcd`;
    const page = await adminPage(viewport, "/admin/on-call");
    expect(await page.title()).toBe("On-call providers · default · Greenlight");
    await expectAccessible(page, `on-call providers, none (${viewport})`);
    const form = page.getByRole("form", { name: "Add a provider" });
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Provider").selectOption("pagerduty");
    await form.getByLabel("API address").fill(apply.url.replace("/apply", "/pd"));
    await form.getByLabel("API key").fill(key);
    await form.getByLabel(/Schedules/).fill("P123, P456");
    await form.getByRole("button", { name: "Add" }).click();
    const card = page.locator(`[data-provider="${name}"]`);
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    const stored = await t.call("GET", `${SPACE}/onCallProviders/${name}`);
    expect(stored.status).toBe(200);
    expect(stored.body.settings.schedules).toEqual(["P123", "P456"]);
    expect(stored.body.kind).toBe("pagerduty");
    expect(await card.textContent()).toContain("healthy");
    expect(await page.content()).not.toContain(key);
    await expectAccessible(page, `on-call providers, one (${viewport})`);
    if (viewport === "desktop") await env.shot(page, "on-call");

    // A new address needs the key again: the form asks for it, and the server has the new one.
    await card.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = page.getByRole("form", { name: `Edit ${name}` });
    expect(await edit.getByLabel("API key").inputValue()).toBe("");
    expect(await edit.getByTestId("oncall-key-hint").textContent()).toContain("Saved key");
    await edit.getByLabel("API address").fill(apply.url.replace("/apply", "/pd-moved"));
    await expect.poll(() => edit.getByTestId("oncall-key-hint").textContent()).toContain("needs the API key again");
    expect(await edit.getByLabel("API key").getAttribute("required")).not.toBeNull();
    await edit.getByLabel("API key").fill(`${key}-new9`);
    await edit.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(async () => (await t.call("GET", `${SPACE}/onCallProviders/${name}`)).body.baseUrl, { timeout: 10_000 })
      .toContain("/pd-moved");
    expect((await t.call("GET", `${SPACE}/onCallProviders/${name}`)).body.apiKeyHint).toContain("new9");
    expect(await page.content()).not.toContain(`${key}-new9`);

    await card.getByRole("button", { name: `Delete ${name}` }).click();
    await card.getByRole("button", { name: /^Delete pd-/ }).click();
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);
    expect((await t.call("GET", `${SPACE}/onCallProviders/${name}`)).status).toBe(404);
    await page.context().close();
  });

  it("adds a pull policy, runs it now, changes its schedule and deletes it", async () => {
    const name = `okta-groups-${viewport}`;
    pull.answer = () => ({
      status: 200,
      body: {
        resources: [
          { kind: "okta.v1.Group", id: `eng-${viewport}`, displayName: "Engineering" },
          { kind: "okta.v1.Group", id: `ops-${viewport}`, displayName: "Operations" },
        ],
      },
    });
    const page = await adminPage(viewport, "/admin/pull-policies");
    expect(await page.title()).toBe("Pull policies · default · Greenlight");
    const form = page.getByRole("form", { name: "Add a pull policy" });
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Schedule").fill("@daily");
    await form.getByLabel(/Resource kinds/).fill("okta.v1.Group");
    await form.getByRole("button", { name: "Add" }).click();
    const card = page.locator(`[data-pull-policy="${name}"]`);
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    expect(await card.textContent()).toContain("never");
    await expectAccessible(page, `pull policies (${viewport})`);

    await card.getByRole("button", { name: `Run now: ${name}` }).click();
    await expect.poll(() => card.getByTestId("last-result").textContent(), { timeout: 15_000 }).toContain("2 resources");
    const stored = await t.call("GET", `${SPACE}/pullPolicies/${name}`);
    expect(stored.body.lastResult).toMatchObject({ resources: 2, errors: [] });
    const catalog = await t.call("GET", `${SPACE}/resources?search=${viewport}&pageSize=100`);
    expect(catalog.body.resources.map((r: { id: string }) => r.id).sort()).toEqual([`eng-${viewport}`, `ops-${viewport}`]);

    await card.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = page.getByRole("form", { name: `Edit ${name}` });
    await edit.getByLabel("Schedule").fill("@hourly");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(async () => (await t.call("GET", `${SPACE}/pullPolicies/${name}`)).body.schedule, { timeout: 10_000 })
      .toBe("@hourly");

    await card.getByRole("button", { name: `Delete ${name}` }).click();
    await card.getByRole("button", { name: /stops running/ }).click();
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);
    expect((await t.call("GET", `${SPACE}/pullPolicies/${name}`)).status).toBe(404);
    await page.context().close();
  });

  it("lists grants whose provisioning failed, with the integration's answer, and Retry applies them", async () => {
    // The integration is down: both attempts fail, and the grant's provisioning with them.
    apply.answer = () => ({ status: 500, body: { error: "okta is down" } });
    const petition = await t.call("POST", `${SPACE}/petitions`, {
      petition: {
        reason: `join the team (${viewport})`,
        petitioners: [{ kind: "user", email: "bob@example.com" }],
        resources: [{ kind: "okta.v1.Group", id: `eng-${viewport}` }],
        defaultDuration: "2h",
      },
    });
    expect(petition.status).toBe(201);
    const approved = await t.call("POST", `${SPACE}/petitions/${petition.body.name}/claims`, approveClaim("1h"));
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const grantOf = async () => (await t.call("GET", `${SPACE}/grants?petition=${petition.body.name}`)).body.grants[0];
    await expect.poll(async () => (await grantOf())?.provisioning, { timeout: 15_000 }).toBe("apply_failed");
    const grant = await grantOf();

    const page = await adminPage(viewport, "/admin/grants");
    expect(await page.title()).toBe("Grants · default · Greenlight");
    await page.getByLabel("Only grants whose provisioning failed").check();
    const card = page.locator(`[data-grant="${grant.name}"]`);
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain("apply failed");
    expect(await card.textContent()).toContain("HTTP 500");
    expect(await page.locator("[data-grant]").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-provisioning")))).toEqual(
      expect.arrayContaining(["apply_failed"]),
    );
    expect(
      (await page.locator("[data-grant]").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-provisioning")))).every((p) =>
        ["apply_failed", "revoke_failed"].includes(p ?? ""),
      ),
    ).toBe(true);
    await expectAccessible(page, `failed grants (${viewport})`);
    if (viewport === "desktop") await env.shot(page, "grants-failed");

    apply.answer = () => ({ status: 200, body: {} });
    await card.getByRole("button", { name: "Retry access/grant to okta-apply" }).click();
    await expect.poll(async () => (await grantOf()).provisioning, { timeout: 15_000 }).toBe("applied");
    // Applied, it leaves the list of failures.
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);
    await page.context().close();
  });
});
