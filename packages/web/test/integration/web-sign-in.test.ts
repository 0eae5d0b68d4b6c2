import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPACE } from "../../../server/test/integration/harness.js";
import { startBrowserEnv, type BrowserEnv } from "./browser-env.js";

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
