import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { TestServer } from "../../../server/test/integration/harness.js";
import { expectAccessible, scrollsSideways } from "./browser-env.js";

/** What the reviewer's web tests share: making petitions, reading them back, and checks on the page. */

/** A resource kind whose petitions the review policy marks high risk. */
export const HIGH_RISK_KIND = "prod.v1.Cluster";
/** A resource kind that needs two reviewers, for at most 4h (2h unless asked). */
export const TWO_PEOPLE_KIND = "postgres.v1.Database";
/** A resource kind one reviewer approves, for at most 8h. */
export const ONE_PERSON_KIND = "aws.v1.Role";

/** The policy the petition pages are judged under: two approvals for databases, a high-risk rule, limits. */
export const REVIEW_POLICY = {
  rules: [
    {
      name: "databases-need-two",
      match: { kinds: [TWO_PEOPLE_KIND] },
      require: [{ name: "two-reviewers", reviewers: { roles: ["reviewer"] }, approvals: 2 }],
      duration: { max: "4h", default: "2h", allowIndefinite: false },
    },
    { name: "clusters-are-high-risk", match: { kinds: [HIGH_RISK_KIND] }, highRisk: true },
    { name: "roles-for-a-day-at-most", match: { kinds: [ONE_PERSON_KIND] }, duration: { max: "8h", allowIndefinite: false } },
  ],
  // Petitions made "a day ago" for the inbox's age filter must still be open.
  defaults: { pendingTimeout: "72h" },
};

let seq = 0;

/** A petition for `resource` by `petitioner`, unique to this run; its name. */
export async function petition(
  t: TestServer,
  space: string,
  options: { kind: string; petitioner?: string; duration?: string; labels?: Record<string, string> },
): Promise<string> {
  seq += 1;
  const made = await t.call("POST", `/v1/spaces/${space}/petitions`, {
    petition: {
      reason: `month-end close ${seq}`,
      petitioners: [{ kind: "user", email: options.petitioner ?? `pat${seq}@example.com` }],
      resources: [{ kind: options.kind, id: `thing-${seq}`, displayName: `Thing ${seq}` }],
      ...(options.duration ? { defaultDuration: options.duration } : {}),
      ...(options.labels ? { meta: { labels: options.labels } } : {}),
    },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.name as string;
}

/**
 * A petition an agent makes for `person`: a service account labelled as an agent that acts for
 * them, its own token; the server writes whom it acts for. Its name and the agent's email.
 */
export async function agentPetition(
  t: TestServer,
  space: string,
  options: { kind: string; person: string; labels?: Record<string, string> },
): Promise<{ name: string; agent: string }> {
  seq += 1;
  const created = await t.call("POST", `/v1/spaces/${space}/serviceAccounts`, {
    serviceAccount: {
      name: `agent-${seq}`,
      roles: ["member"],
      labels: { "greenlight.dev/agent": "true", "greenlight.dev/acts-for": options.person },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const token = await t.call("POST", `/v1/spaces/${space}/tokens`, { serviceAccountId: created.body.serviceAccountId });
  const exchanged = await t.call(
    "POST",
    "/v1/auth/token",
    { grant_type: "refresh_token", refresh_token: token.body.refreshToken },
    { authorization: "" },
  );
  expect(exchanged.status).toBe(200);
  const made = await t.call(
    "POST",
    `/v1/spaces/${space}/petitions`,
    {
      petition: {
        reason: "rotate the deploy keys",
        petitioners: [{ kind: "user", email: options.person }],
        resources: [{ kind: options.kind, id: `thing-${seq}`, displayName: `Thing ${seq}` }],
        ...(options.labels ? { meta: { labels: options.labels } } : {}),
      },
    },
    { authorization: `Bearer ${exchanged.body.access_token}` },
  );
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return { name: made.body.name as string, agent: created.body.email as string };
}

/** The petition as the server has it. */
export async function serverPetition(t: TestServer, space: string, name: string) {
  const read = await t.call("GET", `/v1/spaces/${space}/petitions/${name}`);
  expect(read.status).toBe(200);
  return read.body;
}

/** The petition's claims of one kind (`access/approve`), as the server recorded them. */
export async function claimsOf(t: TestServer, space: string, name: string, event: string) {
  const { state } = await serverPetition(t, space, name);
  return state.eventHistory.filter((e: { event: string }) => e.event === event) as Array<{
    actor: { email?: string };
    reason?: string;
    timestamp: string;
    meta?: { labels?: Record<string, string> };
  }>;
}

/** Axe finds nothing, and nothing scrolls sideways at the page's width, nor at 320 px. */
export async function expectFits(page: Page, what: string): Promise<void> {
  await expectAccessible(page, what);
  expect(await scrollsSideways(page), `${what} scrolls sideways: ${await overflowing(page)}`).toBe(false);
  const size = page.viewportSize()!;
  if (size.width > 320) {
    await page.setViewportSize({ width: 320, height: size.height });
    expect(await scrollsSideways(page), `${what} scrolls sideways at 320 px: ${await overflowing(page)}`).toBe(false);
    await page.setViewportSize(size);
  }
}

/** The innermost elements wider than the screen, so a failure names what to fix. */
function overflowing(page: Page): Promise<string> {
  return page.evaluate(
    "[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth).map((e) => `${e.tagName.toLowerCase()}.${e.className}`).slice(-5).join(', ')",
  ) as Promise<string>;
}

/**
 * Approves `petition` from the signed-in page with the session's own token, around the UI (as
 * a script in the page could): the server's answer, status and error code.
 */
export function approveAroundTheUi(page: Page, space: string, petition: string): Promise<{ status: number; code?: string }> {
  return page.evaluate(`(async () => {
    const csrf = decodeURIComponent((document.cookie.split("; ").find((c) => c.startsWith("greenlight_csrf=")) ?? "").split("=")[1] ?? "");
    const minted = await (await fetch("/v1/auth/session:token", {
      method: "POST", headers: { "content-type": "application/json", "x-csrf-token": csrf }, body: JSON.stringify({ space: ${JSON.stringify(space)} }),
    })).json();
    const answer = await fetch(${JSON.stringify(`/v1/spaces/${space}/petitions/${petition}/claims`)}, {
      method: "POST",
      headers: { authorization: "Bearer " + minted.accessToken, "content-type": "application/json" },
      body: JSON.stringify({ claim: { event: "access/approve", reason: "with the others" } }),
    });
    return { status: answer.status, code: (await answer.json()).error?.code };
  })()`) as Promise<{ status: number; code?: string }>;
}

/** What has keyboard focus: its test id, else its tag and accessible label. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(
    "(() => { const e = document.activeElement; return e?.dataset?.testid || `${e?.tagName.toLowerCase()}:${e?.getAttribute('aria-label') ?? e?.textContent ?? ''}`; })()",
  ) as Promise<string>;
}

/** The tab's icon: the count it shows (data-count) and whether a badge is drawn; null without one. */
export function favicon(page: Page): Promise<{ count: string; badge: boolean } | null> {
  return page.evaluate(
    "(() => { const l = document.querySelector('link[rel=icon]'); return l ? { count: l.dataset.count ?? '', badge: decodeURIComponent(l.getAttribute('href') ?? '').includes('<text') } : null; })()",
  ) as Promise<{ count: string; badge: boolean } | null>;
}
