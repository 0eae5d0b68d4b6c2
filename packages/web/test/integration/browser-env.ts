import { mkdirSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import type { LocalProvider } from "../../../server/test/integration/fakes/oidc-provider.js";
import type { TestServer } from "../../../server/test/integration/harness.js";
import { startSignInEnv } from "../../../server/test/integration/sign-in-env.js";
import type { Clock } from "../../../server/src/domain/clock.js";

/**
 * What the web UI's end-to-end tests share: a real server on a loopback port, a real OpenID
 * Connect provider whose accounts sign in through its own pages, and Debian's Chromium driven
 * by playwright-core. `GREENLIGHT_SCREENSHOTS=docs/screenshots` also saves the web UI guide's
 * screenshots.
 */

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const SHOTS = process.env["GREENLIGHT_SCREENSHOTS"];

/** Debian's Chromium (or `CHROMIUM_PATH`), headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

/** The two screens the UI is made for: a laptop's, and a phone's (an iPhone 15's CSS pixels). */
export const VIEWPORTS = {
  desktop: { viewport: { width: 1440, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/**
 * Fails with each violation axe-core finds on the page as it is now (WCAG 2.1 A and AA, and
 * axe's best practices), naming the rule, what it is about and where.
 */
export async function expectAccessible(page: Page, what = page.url()): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(found, `accessibility of ${what}`).toEqual([]);
}

/** Whether the page scrolls sideways: nothing may be wider than the screen. */
export async function scrollsSideways(page: Page): Promise<boolean> {
  // Runs in the page; the test's own types have no DOM.
  return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth") as Promise<boolean>;
}

export interface BrowserEnv {
  t: TestServer;
  idp: LocalProvider;
  browser: Browser;
  base: string;
  /**
   * A new browser signed in as `login` (`login@example.com`) through the provider's pages,
   * having first opened `at` (a path; `/` unless told), as a link from Slack or a mail would.
   */
  signedIn(
    login: string,
    options?: { mobile?: boolean; viewport?: ViewportName; at?: string; colorScheme?: "light" | "dark" },
  ): Promise<Page>;
  /** Fills in the provider's login page (and, the first time, its consent page) as `login`, until the browser is back here. */
  atProvider(page: Page, login: string): Promise<void>;
  /** Saves the page for the web UI guide when screenshots are asked for. */
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the provider (with a verified `<login>@example.com` for each login), the server and the
 * browser. `host: "localhost"` serves the UI under a name rather than an address, as passkeys
 * need (WebAuthn takes no IP address as the relying party); `clock` moves the server's time.
 */
export async function startBrowserEnv(options: {
  logins: string[];
  env?: Record<string, string>;
  host?: "127.0.0.1" | "localhost";
  clock?: Clock;
}): Promise<BrowserEnv> {
  const { t, idp, base } = await startSignInEnv({
    accounts: Object.fromEntries(options.logins.map((login) => [login, { email: `${login}@example.com`, emailVerified: true }])),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const browser = await launchChromium();
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });

  /** The provider's login page (and, the first time, its consent page), as `login` fills them in. */
  const atProvider = async (page: Page, login: string): Promise<void> => {
    await page.locator("input[name=login]").fill(login);
    await page.locator("input[name=password]").fill("any");
    await page.getByRole("button", { name: "Sign-in" }).click();
    // Then the browser is back here, or (the first time) the provider asks for consent.
    const consent = page.getByRole("button", { name: "Continue" });
    await expect.poll(async () => page.url().startsWith(base) || (await consent.count()) > 0, { timeout: 10_000 }).toBe(true);
    if (!page.url().startsWith(base)) await consent.click();
    await page.waitForURL(`${base}/**`);
  };

  return {
    t,
    idp,
    browser,
    base,
    atProvider,
    async signedIn(login, { mobile = false, viewport, at = "/", colorScheme = "light" } = {}) {
      const context = await browser.newContext({ ...VIEWPORTS[viewport ?? (mobile ? "phone" : "desktop")], colorScheme });
      const page = await context.newPage();
      await page.goto(`${base}${at}`);
      await page.getByRole("link", { name: "Sign in" }).click();
      await atProvider(page, login);
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
