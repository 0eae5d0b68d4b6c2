import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../../../server/test/integration/fakes/receiver.js";
import { SPACE, type TestServer } from "../../../server/test/integration/harness.js";
import { startBrowserEnv, type BrowserEnv } from "./browser-env.js";

/**
 * The admin's page of event subscriptions in Chromium against a real server and a receiver on
 * loopback: a new subscription's signing secret is shown once, its card shows its events, a
 * hint of its secret and its health, its delivery log lists what it was sent, and deleting it
 * asks first.
 */

let env: BrowserEnv;
let t: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  env = await startBrowserEnv({ logins: ["alice"] });
  t = env.t;
  expect((await t.call("POST", `${SPACE}:addToRole`, { role: "admin", member: "user:alice@example.com" })).status).toBe(200);
}, 90_000);

afterAll(async () => {
  await env?.close();
  await receiver?.close();
});

describe("the subscriptions page", () => {
  it("shows a new subscription's secret once, what it was sent, and deletes it when asked twice", async () => {
    const alice = await env.signedIn("alice");
    await alice.getByRole("link", { name: "Subscriptions" }).click();
    await expect.poll(() => alice.getByText("No subscriptions yet.").count(), { timeout: 10_000 }).toBe(1);

    await alice.getByLabel("Subscription name").fill("audit");
    await alice.getByLabel("URL").fill(receiver.url);
    await alice.getByLabel("Event types").fill("petition.created");
    await alice.getByRole("button", { name: "Create subscription" }).click();
    const secret = alice.getByLabel("Signing secret");
    await expect.poll(() => secret.count(), { timeout: 10_000 }).toBe(1);
    const shown = await secret.inputValue();
    expect(shown).toMatch(/^whsec_/);

    const card = alice.locator('[data-subscription="audit"]');
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    expect(await card.textContent()).toContain("Events: petition.created · secret whsec_…");
    expect(await card.textContent()).not.toContain(shown);
    await alice.getByRole("button", { name: "Done" }).click();
    expect(await secret.count()).toBe(0);

    const created = await t.call("POST", `${SPACE}/petitions`, {
      petition: {
        reason: "to debug",
        petitioners: [{ kind: "user", email: "bob@example.com" }],
        resources: [{ kind: "aws.v1.Role", id: "ro" }],
      },
    });
    expect(created.status).toBe(201);
    const log = alice.getByRole("list", { name: "Deliveries of audit" }).locator("[data-delivery]");
    await expect.poll(() => log.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => log.locator(".delivery").textContent(), { timeout: 15_000 }).toBe("delivered");
    expect(await log.textContent()).toContain("petition.created");
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain("Last delivered");

    await card.getByRole("button", { name: "Delete subscription audit" }).click();
    await card.getByRole("button", { name: "Keep it" }).click();
    await card.getByRole("button", { name: "Delete subscription audit" }).click();
    await card.getByRole("button", { name: "Delete audit and what it has waiting" }).click();
    await expect.poll(() => alice.getByText("No subscriptions yet.").count(), { timeout: 10_000 }).toBe(1);
    expect((await t.call("GET", `${SPACE}/subscriptions/audit`)).status).toBe(404);
    await alice.context().close();
  });
});
