import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock, type Clock } from "../../../server/src/domain/clock.js";
import { SPACE } from "../../../server/test/integration/harness.js";
import { startBrowserEnv, type BrowserEnv } from "./browser-env.js";

/**
 * High-risk approvals in the web UI, in Chromium against a real server and a real OpenID
 * Connect provider: the inbox and the petition page say a petition is high risk before anyone
 * decides; approving one asks for confirmation, then asks the reviewer to sign in again, at the provider (prompt=login) or
 * with a passkey (Chromium's virtual authenticator, through the DevTools protocol), and the
 * approval is then made without another click. Served at `localhost`: passkeys need a name.
 */

const HIGH_RISK_KIND = "prod.v1.Database";
let env: BrowserEnv;
let offset = 0;
const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
let seq = 0;

beforeAll(async () => {
  env = await startBrowserEnv({ logins: ["alice", "bob"], host: "localhost", clock });
  for (const email of ["alice@example.com", "bob@example.com"]) {
    expect((await env.t.call("POST", `${SPACE}:addToRole`, { role: "reviewer", member: `user:${email}` })).status).toBe(200);
  }
  const policy = await env.t.call("PUT", `${SPACE}/policy`, {
    policy: { rules: [{ name: "prod-is-high-risk", match: { kinds: [HIGH_RISK_KIND] }, highRisk: true }] },
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

async function highRiskPetition(): Promise<string> {
  seq += 1;
  const made = await env.t.call("POST", `${SPACE}/petitions`, {
    petition: {
      reason: `restore the billing backup ${seq}`,
      petitioners: [{ kind: "user", email: `pat${seq}@example.com` }],
      resources: [{ kind: HIGH_RISK_KIND, id: `billing-${seq}`, displayName: `Billing DB ${seq}` }],
    },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.name as string;
}

/** Approving a high-risk petition asks first: the dialog's Approve goes on. */
async function confirmHighRisk(page: Page): Promise<void> {
  await page.getByRole("dialog", { name: "Approve a high-risk petition?" }).getByRole("button", { name: "Approve" }).click();
}

async function phaseOf(name: string): Promise<string> {
  return (await env.t.call("GET", `${SPACE}/petitions/${name}`)).body.state.status.phase;
}

describe("high-risk petitions in the web UI", () => {
  it("are marked high risk in the inbox and on their page before anyone decides", async () => {
    const name = await highRiskPetition();
    const bob = await env.signedIn("bob");
    await bob.getByRole("link", { name: "Inbox" }).click();
    const card = bob.locator(`[data-petition="${name}"]`);
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    expect(await card.locator(".high-risk").textContent()).toBe("High risk");
    await card.getByRole("link", { name: /Billing DB/ }).click();
    await expect.poll(() => bob.locator("#content .high-risk").textContent()).toBe("High risk");
    await bob.context().close();
  });

  it("are approved after signing in again at the identity provider, without clicking Approve again", async () => {
    const name = await highRiskPetition();
    const bob = await env.signedIn("bob", { at: `/spaces/default/petitions/${name}` });
    const authorizations: URL[] = [];
    bob.on("request", (request) => {
      const url = new URL(request.url());
      if (url.origin === env.idp.issuer && url.searchParams.has("client_id")) authorizations.push(url);
    });
    await bob.getByRole("button", { name: "Approve" }).click();
    await confirmHighRisk(bob);
    const stepUp = bob.getByRole("group", { name: "Sign in again to approve" });
    await expect.poll(() => stepUp.count()).toBe(1);
    expect(await stepUp.getByRole("button", { name: "Use a passkey" }).count()).toBe(0);
    expect(await phaseOf(name)).toBe("open");

    await stepUp.getByRole("button", { name: "Sign in again" }).click();
    await bob.waitForURL((url) => url.origin === env.idp.issuer);
    await env.atProvider(bob, "bob");
    expect(bob.url()).toBe(`${env.base}/spaces/default/petitions/${name}`);
    await expect.poll(() => bob.getByTestId("petition-status").textContent(), { timeout: 10_000 }).toBe("granted");
    expect(authorizations.at(-1)?.searchParams.get("prompt")).toBe("login");
    expect(authorizations.at(-1)?.searchParams.get("max_age")).toBe("600");
    const timeline = await bob.getByRole("list", { name: "Timeline" }).textContent();
    expect(timeline).toContain("access/approve by bob@example.com");
    await bob.context().close();
  });

  it("are approved after confirming with a passkey, added once after signing in again", async () => {
    const alice = await env.signedIn("alice");
    const cdp = await alice.context().newCDPSession(alice);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    // A plain sign-in is not enough to add a passkey: the page asks to sign in again first.
    await alice.getByRole("link", { name: "Passkeys" }).click();
    await alice.getByLabel("Name").fill("virtual authenticator");
    await alice.getByRole("button", { name: "Add a passkey" }).click();
    const first = alice.getByRole("group", { name: "Sign in again first" });
    await expect.poll(() => first.count()).toBe(1);
    await first.getByRole("button", { name: "Sign in again" }).click();
    await alice.waitForURL((url) => url.origin === env.idp.issuer);
    await env.atProvider(alice, "alice");
    expect(alice.url()).toBe(`${env.base}/spaces/default/passkeys`);
    await alice.getByLabel("Name").fill("virtual authenticator");
    await alice.getByRole("button", { name: "Add a passkey" }).click();
    const listed = alice.getByRole("list", { name: "Your passkeys" }).locator("li");
    await expect.poll(() => listed.count(), { timeout: 10_000 }).toBe(1);
    expect(await listed.textContent()).toContain("virtual authenticator");

    // Eleven minutes on, that sign-in is too old to approve a high-risk petition.
    offset += 11 * 60_000;
    const name = await highRiskPetition();
    await alice.goto(`${env.base}/spaces/default/petitions/${name}`);
    await alice.getByRole("button", { name: "Approve" }).click();
    await confirmHighRisk(alice);
    const stepUp = alice.getByRole("group", { name: "Sign in again to approve" });
    await expect.poll(() => stepUp.count()).toBe(1);
    expect(await phaseOf(name)).toBe("open");
    await stepUp.getByRole("button", { name: "Use a passkey" }).click();
    await expect.poll(() => alice.getByTestId("petition-status").textContent(), { timeout: 10_000 }).toBe("granted");
    const approval = (await env.t.call("GET", `${SPACE}/petitions/${name}`)).body.state.eventHistory.find(
      (e: { event: string }) => e.event === "access/approve",
    );
    expect(approval.actor.email).toBe("alice@example.com");
    // The authenticator signed with the passkey it made for this server.
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.rpId).toBe("localhost");
    expect(credentials[0]!.signCount).toBeGreaterThan(0);
    await alice.context().close();
  });
});
