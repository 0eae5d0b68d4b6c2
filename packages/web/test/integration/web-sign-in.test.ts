import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPACE, startTestServer } from "../../../server/test/integration/harness.js";
import { launchChromium, startBrowserEnv, type BrowserEnv } from "./browser-env.js";

/**
 * Signing in to the web UI in Chromium itself, against a real server: a one-time link an
 * admin made signs its person in from the link's page (the browser sends the page's real
 * origin with the form), once.
 */

let env: BrowserEnv;

beforeAll(async () => {
  env = await startBrowserEnv({ logins: [] });
  expect((await env.t.call("POST", `${SPACE}:addToRole`, { role: "member", member: "user:lena@example.com" })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe("one-time sign-in links in the browser", () => {
  it("sign their person in from the link's page, and only once", async () => {
    const made = await env.t.call("POST", "/v1/auth/signInLinks", { email: "lena@example.com", ttl: "10m" });
    expect(made.status).toBe(201);
    const page = await (await env.browser.newContext()).newPage();
    await page.goto(made.body.url);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${env.base}/**`);
    await expect.poll(() => page.locator(".who").textContent()).toBe("lena@example.com");

    // The same link in another browser does nothing: it was used.
    const other = await (await env.browser.newContext()).newPage();
    await other.goto(made.body.url);
    await other.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => other.locator("body").textContent()).toContain("was used");
    await page.context().close();
    await other.context().close();
  });
});

describe("a server without an identity provider", () => {
  it("explains the way in on the sign-in page, and a link an admin made leads to the inbox", async () => {
    const t = await startTestServer();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${t.url}/`);
      await expect.poll(() => page.getByRole("heading", { name: "Signing in with a link" }).count()).toBe(1);
      await expect.poll(() => page.locator("main").textContent()).toContain("greenlight sign-in-link you@example.com --role admin");
      expect(await page.getByRole("link", { name: "Sign in" }).count()).toBe(0);

      expect((await t.call("POST", `${SPACE}:addToRole`, { role: "reviewer", member: "user:omar@example.com" })).status).toBe(200);
      const made = await t.call("POST", "/v1/auth/signInLinks", { email: "omar@example.com" });
      await page.goto(made.body.url);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${t.url}/**`);
      await expect.poll(() => page.locator(".who").textContent()).toBe("omar@example.com");
      await page.getByRole("link", { name: "Inbox" }).click();
      await expect.poll(() => page.url()).toBe(`${t.url}/spaces/default/inbox`);
    } finally {
      await browser.close();
      await t.close();
    }
  });
});
