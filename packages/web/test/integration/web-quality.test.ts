import { request as httpRequest } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPACE, type TestServer } from "../../../server/test/integration/harness.js";
import { expectAccessible, scrollsSideways, startBrowserEnv, VIEWPORTS, type BrowserEnv, type ViewportName } from "./browser-env.js";

/**
 * The UI's quality bar on every page (the person's, the admins', signing in, no access): axe finds nothing in the light scheme or the dark
 * one (which follows the system's setting), nothing scrolls sideways on a phone (390 px) or a
 * small one (320 px), and each page has its own title. And how the UI is served: its files
 * precompressed (brotli, gzip) by what the browser accepts, hashed assets cached for good and
 * the page itself asked again each time, with a shell that shows before the bundle arrives.
 */

/** Every page of a space, the person's and the admins': its path and its title. */
const PAGES: Array<{ path: string; title: string | RegExp }> = [
  { path: "", title: "Request access" },
  { path: "/requests", title: "My requests" },
  { path: "/inbox", title: /^Inbox \(\d+\)$/ },
  { path: "/inbox/decided", title: "Decided by you" },
  { path: "/passkeys", title: "Passkeys" },
  // Filled in with the seeded petition's name below; titled by what it asks for and where it stands.
  { path: "/petitions/", title: /\(open\)$/ },
  { path: "/admin/resources", title: "Resources" },
  { path: "/admin/pull-policies", title: "Pull policies" },
  { path: "/admin/grants", title: "Grants" },
  { path: "/admin/policy", title: "Access policy" },
  { path: "/admin/on-call", title: "On-call providers" },
  { path: "/admin/access", title: "Access" },
  { path: "/admin/webhooks", title: "Webhooks" },
  { path: "/admin/subscriptions", title: "Subscriptions" },
  { path: "/admin/service-accounts", title: "Service accounts" },
  { path: "/admin/slack", title: "Slack" },
  { path: "/admin/audit", title: "Audit log" },
];

/** Long, unbroken text a careless layout lets widen the page. */
const LONG = "a-very-long-identifier-without-any-place-to-break-it-0123456789";

let env: BrowserEnv;
let t: TestServer;

beforeAll(async () => {
  env = await startBrowserEnv({ logins: ["alice", "nora"] });
  t = env.t;
  const seeds: Array<[string, unknown]> = [
    [`${SPACE}:addToRole`, { role: "admin", member: "user:alice@example.com" }],
    [
      `${SPACE}/resources:bulkUpdate`,
      {
        resources: [
          { kind: "aws.v1.Role", id: LONG, displayName: `Role ${LONG}`, labels: { env: "prod", note: LONG } },
          { kind: "okta.v1.Group", id: "eng", displayName: "Engineering" },
        ],
      },
    ],
    [
      `${SPACE}/webhooks`,
      {
        webhook: { name: "okta", url: `http://127.0.0.1:9/${LONG}`, handlers: [{ type: "pullUpdate", resourceKinds: ["okta.v1.Group"] }] },
      },
    ],
    [
      `${SPACE}/pullPolicies`,
      { pullPolicy: { meta: { name: "okta-groups" }, schedule: "@daily", kinds: ["okta.v1.Group", `x.v1.${LONG}`] } },
    ],
    [
      `${SPACE}/onCallProviders`,
      {
        provider: {
          name: "pd",
          kind: "pagerduty",
          baseUrl: `http://127.0.0.1:9/${LONG}`,
          apiKey: "pd-key-0123456789",
          settings: { schedules: [LONG] },
        },
      },
    ],
  ];
  for (const [path, body] of seeds) expect((await t.call("POST", path, body)).status, path).toBeLessThan(300);
  const petition = await t.call("POST", `${SPACE}/petitions`, {
    petition: { reason: LONG, petitioners: [{ kind: "user", email: "alice@example.com" }], resources: [{ kind: "aws.v1.Role", id: LONG }] },
  });
  expect(petition.status).toBe(201);
  PAGES.find((p) => p.path === "/petitions/")!.path += petition.body.name;
}, 90_000);

afterAll(async () => {
  await env?.close();
});

/** What reaches past the screen's right edge, innermost first: where a sideways scroll comes from. */
async function widest(page: Page): Promise<string> {
  return page.evaluate(`[...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .reverse()
    .slice(0, 3)
    .map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " (" + Math.round(e.getBoundingClientRect().right) + " px)")
    .join(", ")`) as Promise<string>;
}

/** Opens a page and waits until it has read what it shows. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${env.base}/spaces/default${path}`);
  await page.locator("h1").first().waitFor();
  // An open petition's page holds a long-poll for its decision, so the network never rests
  // there: its status shown is the sign it has read the petition.
  if (path.includes("/petitions/")) await page.getByTestId("petition-status").waitFor();
  else await page.waitForLoadState("networkidle");
}

/** The page fits a phone (390 px) and a small one (320 px). */
async function fitsPhones(page: Page, what: string): Promise<void> {
  expect(await scrollsSideways(page), `${what} at 390 px: ${await widest(page)}`).toBe(false);
  await page.setViewportSize({ width: 320, height: 700 });
  expect(await scrollsSideways(page), `${what} at 320 px: ${await widest(page)}`).toBe(false);
  await page.setViewportSize({ width: 390, height: 844 });
}

describe.each(["desktop", "phone"] as ViewportName[])("every page on a %s", (viewport) => {
  for (const colorScheme of ["light", "dark"] as const) {
    it(`has its own title, no accessibility violation in the ${colorScheme} scheme, and no sideways scroll`, async () => {
      const page = await env.signedIn("alice", { viewport, colorScheme });
      // The scheme is the system's: the page's background follows it.
      const background = await page.evaluate("getComputedStyle(document.documentElement).backgroundColor");
      expect(background).toBe(colorScheme === "dark" ? "rgb(17, 19, 24)" : "rgb(249, 250, 251)");
      for (const { path, title } of PAGES) {
        await open(page, path);
        const named = (await page.title()).replace(/( · default)? · Greenlight$/, "");
        if (typeof title === "string") expect(named, path).toBe(title);
        else expect(named, path).toMatch(title);
        await expectAccessible(page, `${path || "/"} (${viewport}, ${colorScheme})`);
        if (viewport === "desktop" && colorScheme === "dark" && path.startsWith("/petitions/")) await env.shot(page, "petition-dark");
        if (viewport === "phone") await fitsPhones(page, path || "/");
      }
      await page.context().close();
    }, 180_000);
  }

  it("names the sign-in page and the no-access page, with no accessibility violation and no sideways scroll", async () => {
    const browser = await env.browser.newContext(VIEWPORTS[viewport]);
    const signedOut = await browser.newPage();
    await signedOut.goto(`${env.base}/`);
    await signedOut.getByRole("link", { name: "Sign in" }).waitFor();
    expect(await signedOut.title()).toBe("Sign in · Greenlight");
    await expectAccessible(signedOut, `the sign-in page (${viewport})`);
    if (viewport === "phone") await fitsPhones(signedOut, "the sign-in page");
    await browser.close();

    // Nora holds no role anywhere.
    const nora = await env.signedIn("nora", { viewport });
    await nora.locator("h1").first().waitFor();
    expect(await nora.title()).toBe("No access · Greenlight");
    await expectAccessible(nora, `the no-access page (${viewport})`);
    if (viewport === "phone") await fitsPhones(nora, "the no-access page");
    await nora.context().close();
  }, 60_000);
});

/** A GET over plain HTTP, as sent (no decompression): the status, the headers and the body's bytes. */
function get(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${env.base}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end();
  });
}

describe("serving the built UI", () => {
  it("sends each file brotli- or gzip-compressed as the browser accepts, the assets cached for good and the page never without asking", async () => {
    const page = await get("/", { accept: "text/html" });
    expect(page.status).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-cache");
    const html = page.body.toString("utf8");
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(2);

    for (const asset of assets) {
      const plain = await get(asset, {});
      expect(plain.status).toBe(200);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      const br = await get(asset, { "accept-encoding": "gzip, deflate, br" });
      expect(br.headers["content-encoding"]).toBe("br");
      expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(br.headers["vary"]).toMatch(/accept-encoding/i);
      expect(br.headers["content-type"]).toBe(plain.headers["content-type"]);
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      expect(br.body.length).toBeLessThan(plain.body.length / 2);
      const gzip = await get(asset, { "accept-encoding": "gzip" });
      expect(gzip.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    }

    const compressedPage = await get("/spaces/default/admin/audit", { accept: "text/html", "accept-encoding": "br" });
    expect(compressedPage.headers["content-encoding"]).toBe("br");
    expect(compressedPage.headers["cache-control"]).toBe("no-cache");
    expect(brotliDecompressSync(compressedPage.body).toString("utf8")).toBe(html);
  });

  it("shows the shell (its inline style allowed by hash, nothing else inline) before the bundle loads", async () => {
    const page = await get("/", { accept: "text/html" });
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain("unsafe-inline");

    for (const colorScheme of ["light", "dark"] as const) {
      const context = await env.browser.newContext({ colorScheme });
      const browser = await context.newPage();
      const refused: string[] = [];
      browser.on("console", (message) => {
        if (message.type() === "error") refused.push(message.text());
      });
      // The bundle never arrives: what shows is the page alone.
      await browser.route("**/assets/*.js", (route) => route.abort());
      await browser.goto(`${env.base}/`);
      expect(await browser.locator(".boot .brand").textContent()).toBe("Greenlight");
      expect(await browser.getByText("Loading…").count()).toBe(1);
      const background = await browser.evaluate("getComputedStyle(document.documentElement).backgroundColor");
      expect(background).toBe(colorScheme === "dark" ? "rgb(17, 19, 24)" : "rgb(249, 250, 251)");
      expect(refused.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
      await context.close();
    }
  });
});
