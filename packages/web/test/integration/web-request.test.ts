import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveClaim, SPACE, type TestServer } from "../../../server/test/integration/harness.js";
import { expectAccessible, scrollsSideways, startBrowserEnv, VIEWPORTS, type BrowserEnv, type ViewportName } from "./browser-env.js";

/**
 * The requester's own work in the web UI, in Chromium against a real server and a real OpenID
 * Connect provider, at a laptop's and a phone's size: several resources asked for at once, for
 * a duration the policy allows (read from the server's preview, with who would review), for
 * someone else where the role allows; their own requests found among a thousand others', with
 * where each stands; and cancelling, extending and revoking (each in a dialog) and asking again.
 */

const POLICY = {
  rules: [
    {
      name: "clusters",
      match: { kinds: ["k8s.v1.Cluster"] },
      require: [{ name: "platform", reviewers: { users: ["carol@example.com", "dave@example.com"] }, approvals: 2 }],
      duration: { default: "2h", max: "4h", allowIndefinite: false },
      pendingTimeout: "3h",
    },
    // Decides nothing: marks critical clusters high-risk.
    { name: "critical", match: { kinds: ["k8s.v1.Cluster"], resources: "tier=critical" }, highRisk: true },
    {
      name: "read-only",
      match: { kinds: ["aws.v1.Role"] },
      autoApprove: { reason: "read-only roles are granted at once", duration: "1h" },
    },
  ],
};
const VIEWPORT_NAMES = Object.keys(VIEWPORTS) as ViewportName[];
const CLUSTERS = ["east", "west", "north", "south"];

let env: BrowserEnv;
let t: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  env = await startBrowserEnv({ logins: ["alice", "bob", "carol", "dave", "pat"] });
  t = env.t;
  for (const [role, login] of [
    ["admin", "alice"],
    ["member", "bob"],
    ["reviewer", "carol"],
    ["reviewer", "dave"],
    ["member", "pat"],
  ]) {
    const email = `${login}@example.com`;
    expect((await t.call("POST", `${SPACE}:addToRole`, { role, member: `user:${email}` })).status).toBe(200);
    tokens[login!] = (await t.call("POST", `${SPACE}/userTokens`, { email, ttl: "1h" })).body.accessToken;
  }
  const upload = await t.call("POST", `${SPACE}/resources:bulkUpdate`, {
    resources: VIEWPORT_NAMES.flatMap((vp) => [
      ...CLUSTERS.map((id) => ({
        kind: "k8s.v1.Cluster",
        id: `${vp}-${id}`,
        displayName: `Cluster ${vp} ${id}`,
        labels: { tier: id === "north" ? "critical" : "standard" },
      })),
      { kind: "aws.v1.Role", id: `${vp}-readonly`, displayName: `Role ${vp} read-only` },
      // No rule names replicas: the server's limits apply, which allow access until revoked.
      { kind: "db.v1.Replica", id: `${vp}-replica`, displayName: `Replica ${vp}` },
    ]),
  });
  expect(upload.status).toBe(200);
  expect((await t.call("PUT", `${SPACE}/policy`, { policy: POLICY })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

const as = (login: string) => ({ authorization: `Bearer ${tokens[login]}` });

/** Accessible, and nothing wider than the screen: at a phone's 390 and 320 px, or the laptop's width. */
async function checkPage(page: Page, vp: ViewportName, what: string): Promise<void> {
  await expectAccessible(page, `${what} (${vp})`);
  if (vp === "desktop") {
    expect(await scrollsSideways(page), `${what} scrolls sideways`).toBe(false);
    return;
  }
  for (const width of [390, 320]) {
    await page.setViewportSize({ width, height: 844 });
    expect(await scrollsSideways(page), `${what} scrolls sideways at ${width} px`).toBe(false);
  }
  await page.setViewportSize(VIEWPORTS.phone.viewport);
}

async function petitionOnServer(name: string) {
  const reply = await t.call("GET", `${SPACE}/petitions/${name}`);
  expect(reply.status).toBe(200);
  return reply.body;
}

/** A petition made through the API for `login`, as `login`. */
async function asked(login: string, resources: Array<{ kind: string; id: string }>, extra: Record<string, unknown> = {}): Promise<string> {
  const reply = await t.call(
    "POST",
    `${SPACE}/petitions`,
    { petition: { reason: "on-call work", petitioners: [{ kind: "user", email: `${login}@example.com` }], resources, ...extra } },
    as(login),
  );
  expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
  return reply.body.name;
}

const card = (page: Page, name: string) => page.locator(`[data-petition="${name}"]`);

describe.each(VIEWPORT_NAMES)("the request page (%s)", (vp) => {
  it("asks for three resources at once, for a duration the policy allows, saying who would review", async () => {
    const bob = await env.signedIn("bob", { viewport: vp });
    await bob.getByLabel("Search").fill(`Cluster ${vp}`);
    const catalog = bob.getByRole("list", { name: "Requestable resources" });
    await expect.poll(() => catalog.getByRole("button").count()).toBe(CLUSTERS.length);
    for (const id of ["east", "west", "north"]) await catalog.getByRole("button", { name: `Cluster ${vp} ${id}` }).click();
    const chips = bob.getByRole("list", { name: "Chosen resources" });
    await expect.poll(() => chips.getByRole("listitem").count()).toBe(3);
    // A chip taken out, and put back from the catalog.
    await chips.getByRole("button", { name: `Remove Cluster ${vp} west (k8s.v1.Cluster)` }).click();
    await expect.poll(() => chips.getByRole("listitem").count()).toBe(2);
    expect(await catalog.getByRole("button", { name: `Cluster ${vp} west` }).getAttribute("aria-pressed")).toBe("false");
    await catalog.getByRole("button", { name: `Cluster ${vp} west` }).click();
    await expect.poll(() => chips.getByRole("listitem").count()).toBe(3);

    // The durations come from the preview: up to the rule's 4h, its 2h preselected, no "until revoked".
    const duration = bob.getByLabel("For how long");
    await expect.poll(() => duration.isEnabled()).toBe(true);
    const offered = await duration
      .locator("option")
      .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    expect(offered).toEqual(["15m", "30m", "1h", "2h", "4h"]);
    expect(await duration.inputValue()).toBe("2h");
    const preview = bob.getByRole("region", { name: "What happens next" });
    await expect.poll(() => preview.textContent()).toContain("platform: 2 approvals from carol@example.com or dave@example.com");
    expect(await preview.textContent()).toContain("High risk");
    expect(await preview.textContent()).toContain("If nobody decides within 3 hours");
    expect(await bob.getByLabel("For", { exact: true }).count()).toBe(0);
    await checkPage(bob, vp, "the request form");
    if (vp === "desktop") await env.shot(bob, "request-several");

    await duration.selectOption("4h");
    await bob.getByLabel("Why do you need it?").fill("cluster upgrade");
    await bob.getByRole("button", { name: "Request", exact: true }).click();
    await bob.waitForURL(/\/spaces\/default\/petitions\/pet_/);
    const made = await petitionOnServer(bob.url().split("/").at(-1)!);
    expect(made.petitioners.map((p: { email: string }) => p.email)).toEqual(["bob@example.com"]);
    expect(made.resources.map((r: { id: string }) => r.id).sort()).toEqual([`${vp}-east`, `${vp}-north`, `${vp}-west`]);
    expect(made.defaultDuration).toBe("14400s");
    expect(made.reason).toBe("cluster upgrade");
    await bob.context().close();
  });

  it("searches the whole catalog on the server, however large, and shows more on asking", async () => {
    // 60 warehouses among 120 other tables, more than a page (50) and more than the 100 the
    // page once read and searched in the browser.
    const tables = (prefix: string, n: number, name: (i: number) => string) =>
      Array.from({ length: n }, (_, i) => ({ kind: "snowflake.v1.Table", id: `${vp}-${prefix}-${i}`, displayName: name(i) }));
    const upload = await t.call("POST", `${SPACE}/resources:bulkUpdate`, {
      resources: [...tables("other", 120, (i) => `Table ${vp} ${i}`), ...tables("wh", 60, (i) => `Warehouse ${vp} ${i}`)],
    });
    expect(upload.status).toBe(200);

    const bob = await env.signedIn("bob", { viewport: vp });
    const catalog = bob.getByRole("list", { name: "Requestable resources" });
    await bob.getByLabel("Search").fill(`WAREHOUSE ${vp}`);
    // The whole catalog's first page shows at first: wait for the search's, fifty warehouses and nothing else.
    const shown = async () => [
      await catalog.getByRole("button", { name: /^Warehouse / }).count(),
      await catalog.getByRole("button").count(),
    ];
    await expect.poll(shown, { timeout: 10_000 }).toEqual([50, 50]);
    await bob.getByRole("button", { name: "Show more" }).click();
    await expect.poll(() => catalog.getByRole("button").count()).toBe(60);
    expect(await bob.getByRole("button", { name: "Show more" }).count()).toBe(0);
    await checkPage(bob, vp, "the catalog searched");
    await bob.context().close();
  });

  it("offers access until revoked only where the policy allows it", async () => {
    const bob = await env.signedIn("bob", { viewport: vp });
    await bob.getByRole("button", { name: `Replica ${vp}` }).click();
    const duration = bob.getByLabel("For how long");
    await expect.poll(() => duration.locator("option", { hasText: "until revoked" }).count()).toBe(1);
    await duration.selectOption({ label: "until revoked" });
    await bob.getByLabel("Why do you need it?").fill("replication lag");
    await bob.getByRole("button", { name: "Request", exact: true }).click();
    await bob.waitForURL(/\/spaces\/default\/petitions\/pet_/);
    const made = await petitionOnServer(bob.url().split("/").at(-1)!);
    expect(made.meta.labels["indent.com/time/indefinite"]).toBe("true");
    expect(made.defaultDuration).toBeUndefined();
    await bob.context().close();
  });

  it("lets an admin ask for someone else, and shows a member no such field", async () => {
    const alice = await env.signedIn("alice", { viewport: vp });
    await alice.getByRole("button", { name: `Cluster ${vp} south` }).click();
    const forWhom = alice.getByLabel("For", { exact: true });
    await expect.poll(() => forWhom.count()).toBe(1);
    await forWhom.fill(`erin-${vp}@example.com`);
    await alice.getByLabel("Why do you need it?").fill("new starter");
    await expect.poll(() => alice.getByLabel("For how long").inputValue()).toBe("2h");
    await checkPage(alice, vp, "the request form for someone else");
    await alice.getByRole("button", { name: "Request", exact: true }).click();
    await alice.waitForURL(/\/spaces\/default\/petitions\/pet_/);
    const made = await petitionOnServer(alice.url().split("/").at(-1)!);
    expect(made.petitioners.map((p: { email: string }) => p.email)).toEqual([`erin-${vp}@example.com`]);
    await alice.context().close();

    const bob = await env.signedIn("bob", { viewport: vp });
    await bob.getByRole("button", { name: `Cluster ${vp} south` }).click();
    await expect.poll(() => bob.getByLabel("Why do you need it?").count()).toBe(1);
    expect(await bob.getByLabel("For", { exact: true }).count()).toBe(0);
    await bob.context().close();
  });
});

describe("my requests", () => {
  let alices: string;
  /** Twenty-one requests of pat's, oldest first: a page of twenty, and one more. */
  const pats: string[] = [];

  beforeAll(async () => {
    // Alice's own request, approved by one of its two reviewers, then a thousand of others' after it.
    alices = await asked("alice", [{ kind: "k8s.v1.Cluster", id: "desktop-east" }]);
    expect((await t.call("POST", `${SPACE}/petitions/${alices}/claims`, approveClaim("1h"), as("carol"))).status).toBe(200);
    for (let i = 0; i < 21; i++) pats.push(await asked("pat", [{ kind: "db.v1.Replica", id: `pat-${i}` }]));
    for (let batch = 0; batch < 50; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.call("POST", `${SPACE}/petitions`, {
            petition: {
              reason: "someone else's",
              petitioners: [{ kind: "user", email: `other-${batch * 20 + i}@example.com` }],
              resources: [{ kind: "k8s.v1.Cluster", id: "phone-east" }],
            },
          }),
        ),
      );
    }
  }, 120_000);

  describe.each(VIEWPORT_NAMES)("(%s)", (vp) => {
    it("shows an admin's own request among a thousand others', with its approvals and when it times out", async () => {
      const alice = await env.signedIn("alice", { viewport: vp, at: "/spaces/default/requests" });
      const mine = card(alice, alices);
      await expect.poll(() => mine.count(), { timeout: 10_000 }).toBe(1);
      const text = await mine.textContent();
      expect(text).toContain("1 of 2 approvals (approved by carol@example.com)");
      expect(text).toContain("approvers: carol@example.com or dave@example.com");
      expect(text).toMatch(/Times out/);
      // Only her own: nobody else's petition is listed.
      const listed = await alice.locator("[data-petition]").evaluateAll((cards) => cards.length);
      expect(listed).toBe((await t.call("GET", `${SPACE}/petitions?petitioner=me`, undefined, as("alice"))).body.petitions.length);
      await checkPage(alice, vp, "my requests");
      if (vp === "desktop") await env.shot(alice, "my-requests");
      await alice.context().close();
    });

    it("pages through a person's requests on the server", async () => {
      const pat = await env.signedIn("pat", { viewport: vp, at: "/spaces/default/requests" });
      const cards = pat.locator("[data-petition]");
      await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(20);
      const pager = pat.getByRole("navigation", { name: "Pages of my requests" });
      await checkPage(pat, vp, "my requests, first page");
      const first = await cards.first().getAttribute("data-petition");
      await pager.getByRole("button", { name: "Next" }).click();
      await expect.poll(() => cards.count()).toBe(1);
      expect(await cards.first().getAttribute("data-petition")).toBe(pats[0]);
      expect(first).toBe(pats.at(-1));
      await pager.getByRole("button", { name: "Previous" }).click();
      await expect.poll(() => cards.count()).toBe(20);
      await pat.context().close();
    });

    it("cancels an open request, then asks again for it in one click", async () => {
      const name = await asked("bob", [{ kind: "k8s.v1.Cluster", id: `${vp}-north` }], { defaultDuration: "1h", reason: "to cancel" });
      const bob = await env.signedIn("bob", { viewport: vp, at: "/spaces/default/requests" });
      const open = card(bob, name);
      await expect.poll(() => open.count(), { timeout: 10_000 }).toBe(1);
      await open.getByRole("button", { name: "Cancel request" }).click();
      await expect.poll(async () => (await petitionOnServer(name)).state.status).toEqual({ phase: "closed", outcome: "cancelled" });
      const again = open.getByRole("button", { name: "Request again" });
      await expect.poll(() => again.count(), { timeout: 10_000 }).toBe(1);
      await checkPage(bob, vp, "my requests with a cancelled request");

      await again.click();
      await bob.waitForURL((url) => /\/petitions\/pet_/.test(url.pathname) && !url.pathname.endsWith(name));
      const renewed = await petitionOnServer(bob.url().split("/").at(-1)!);
      expect(renewed.state.status.phase).toBe("open");
      expect(renewed.resources.map((r: { kind: string; id: string }) => [r.kind, r.id])).toEqual([["k8s.v1.Cluster", `${vp}-north`]]);
      expect(renewed.reason).toBe("to cancel");
      expect(renewed.defaultDuration).toBe("3600s");
      expect(renewed.petitioners.map((p: { email: string }) => p.email)).toEqual(["bob@example.com"]);
      await bob.context().close();
    });

    it("asks for more time on granted access, for a duration the policy allows, and lands on the extension", async () => {
      const name = await asked("bob", [{ kind: "k8s.v1.Cluster", id: `${vp}-south` }], { defaultDuration: "1h" });
      for (const reviewer of ["carol", "dave"])
        expect((await t.call("POST", `${SPACE}/petitions/${name}/claims`, approveClaim("1h"), as(reviewer))).status).toBe(200);
      expect((await petitionOnServer(name)).state.status.phase).toBe("granted");
      const extensionsOf = async () =>
        (await t.call("GET", `${SPACE}/petitions?labelSelector=${encodeURIComponent(`greenlight.dev/extends=${name}`)}`)).body.petitions;

      const bob = await env.signedIn("bob", { viewport: vp, at: "/spaces/default/requests" });
      const granted = card(bob, name);
      await expect.poll(() => granted.count(), { timeout: 10_000 }).toBe(1);
      const extend = granted.getByRole("button", { name: `Extend access to Cluster ${vp} south` });
      await extend.click();
      const dialog = bob.getByRole("dialog", { name: "Ask for more time?" });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      // The durations come from the policy's preview for this access: up to its 4 hours, its 2 hours first.
      const duration = dialog.getByLabel("For how long");
      await expect.poll(() => duration.isEnabled(), { timeout: 10_000 }).toBe(true);
      expect(await duration.locator("option").allTextContents()).toEqual(["15 minutes", "30 minutes", "1 hour", "2 hours", "4 hours"]);
      expect(await duration.inputValue()).toBe("2h");
      expect(await dialog.textContent()).toMatch(/platform/);
      await checkPage(bob, vp, "the extend dialog");
      if (vp === "desktop") await env.shot(bob, "extend-dialog");
      // Keeping it as it is asks for nothing.
      await dialog.getByRole("button", { name: "Keep as it is" }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      expect(await extensionsOf()).toEqual([]);

      await extend.click();
      await expect.poll(() => duration.isEnabled(), { timeout: 10_000 }).toBe(true);
      await duration.selectOption("4h");
      await dialog.getByLabel(/Why do you need more time/).fill("the migration runs long");
      await dialog.getByRole("button", { name: "Ask for more time" }).click();
      await bob.waitForURL((url) => /\/petitions\/pet_/.test(url.pathname) && !url.pathname.endsWith(name));
      const extension = await petitionOnServer(bob.url().split("/").at(-1)!);
      expect(extension.meta.labels["greenlight.dev/extends"]).toBe(name);
      expect(extension.state.status.phase).toBe("open");
      expect(extension.defaultDuration).toBe("14400s");
      expect(extension.reason).toBe("the migration runs long");
      expect(extension.petitioners.map((p: { email: string }) => p.email)).toEqual(["bob@example.com"]);
      expect(extension.resources.map((r: { id: string }) => r.id)).toEqual([`${vp}-south`]);
      expect((await extensionsOf()).map((p: { name: string }) => p.name)).toEqual([extension.name]);
      // The access it extends goes on meanwhile.
      expect((await petitionOnServer(name)).state.status.phase).toBe("granted");
      await expect.poll(() => bob.getByRole("heading", { level: 1 }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await checkPage(bob, vp, "the extension");
      await bob.context().close();
    });

    it("revokes granted access after confirming in a dialog", async () => {
      const name = await asked("bob", [{ kind: "aws.v1.Role", id: `${vp}-readonly` }]);
      expect((await petitionOnServer(name)).state.status.phase).toBe("granted");
      const bob = await env.signedIn("bob", { viewport: vp, at: "/spaces/default/requests" });
      const granted = card(bob, name);
      await expect.poll(() => granted.count(), { timeout: 10_000 }).toBe(1);
      expect(await granted.textContent()).toMatch(/Expires/);
      await granted.getByRole("button", { name: "Revoke access" }).click();
      const dialog = bob.getByRole("dialog", { name: "Revoke your access?" });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await checkPage(bob, vp, "the revoke dialog");
      // Keeping it changes nothing.
      await dialog.getByRole("button", { name: "Keep access" }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      expect((await petitionOnServer(name)).state.status.phase).toBe("granted");

      await granted.getByRole("button", { name: "Revoke access" }).click();
      await bob.getByRole("dialog", { name: "Revoke your access?" }).getByRole("button", { name: "Revoke now" }).click();
      await expect.poll(async () => (await petitionOnServer(name)).state.status).toEqual({ phase: "closed", outcome: "revoked" });
      const grants = (await t.call("GET", `${SPACE}/grants?petition=${name}`)).body.grants;
      expect(grants.map((g: { status: string }) => g.status)).toEqual(["revoked"]);
      await bob.context().close();
    });
  });
});
