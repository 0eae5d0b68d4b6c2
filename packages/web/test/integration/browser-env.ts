import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import { freePort, startOidcProvider, type LocalProvider } from "../../../server/test/integration/fakes/oidc-provider.js";
import { startTestServer, type TestServer } from "../../../server/test/integration/harness.js";

/**
 * What the web UI's end-to-end tests share: a real server on a loopback port, a real OpenID
 * Connect provider whose accounts sign in through its own pages, and Debian's Chromium driven
 * by playwright-core. `GREENLIGHT_SCREENSHOTS=docs/screenshots` also saves the README's
 * screenshots.
 */

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const SHOTS = process.env["GREENLIGHT_SCREENSHOTS"];
const CLIENT_SECRET = "a-long-client-secret-for-tests";

export interface BrowserEnv {
  t: TestServer;
  idp: LocalProvider;
  browser: Browser;
  base: string;
  /**
   * A new browser signed in as `login` (`login@example.com`) through the provider's pages,
   * having first opened `at` (a path; `/` unless told), as a link from Slack or a mail would.
   */
  signedIn(login: string, options?: { mobile?: boolean; at?: string }): Promise<Page>;
  /** Saves the page for the README when screenshots are asked for. */
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the provider (with a verified `<login>@example.com` for each login), the server and the browser. */
export async function startBrowserEnv(options: { logins: string[]; env?: Record<string, string> }): Promise<BrowserEnv> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const idp = await startOidcProvider({
    clientId: "greenlight-web",
    clientSecret: CLIENT_SECRET,
    redirectUri: `${base}/auth/callback`,
    accounts: Object.fromEntries(options.logins.map((login) => [login, { email: `${login}@example.com`, emailVerified: true }])),
  });
  const t = await startTestServer({
    env: {
      GREENLIGHT_PORT: String(port),
      GREENLIGHT_PUBLIC_URL: base,
      GREENLIGHT_OIDC_ISSUER: idp.issuer,
      GREENLIGHT_OIDC_CLIENT_ID: "greenlight-web",
      GREENLIGHT_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      ...options.env,
    },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });

  return {
    t,
    idp,
    browser,
    base,
    async signedIn(login, { mobile = false, at = "/" } = {}) {
      const context = await browser.newContext(
        mobile ? { viewport: { width: 390, height: 844 }, isMobile: true } : { viewport: { width: 1100, height: 800 } },
      );
      const page = await context.newPage();
      await page.goto(`${base}${at}`);
      await page.getByRole("link", { name: "Sign in" }).click();
      await page.locator("input[name=login]").fill(login);
      await page.locator("input[name=password]").fill("any");
      await page.locator("button[type=submit]").click();
      // The provider asks for consent once.
      if (!page.url().startsWith(base)) await page.locator("button[type=submit]").click();
      await page.waitForURL(`${base}/**`);
      await expect.poll(() => page.locator(".who").textContent()).toBe(`${login}@example.com`);
      return page;
    },
    async shot(page, name) {
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
    },
    async close() {
      await browser.close();
      await t.close();
      await idp.close();
    },
  };
}
