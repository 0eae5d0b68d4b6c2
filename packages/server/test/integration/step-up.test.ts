import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock, type Clock } from "../../src/domain/clock.js";
import type { CookieJar } from "./fakes/oidc-provider.js";
import { approveClaim, denyClaim, SPACE, type TestServer } from "./harness.js";
import { bearer, serviceAccount } from "./identity-fixtures.js";
import { startSignInEnv, type SignInEnv } from "./sign-in-env.js";

/**
 * High risk means a fresh, strong sign-in, on every channel: a petition a `highRisk` rule
 * matches is approved only with an access token minted from a browser session whose person
 * signed in within GREENLIGHT_STEP_UP_MAX_AGE with the identity provider (asked to sign them
 * in again) or a passkey. Service accounts, the bootstrap admin token, tokens an admin minted
 * and sign-in link sessions are refused with STEP_UP_REQUIRED and how to step up. Runs against
 * a real OpenID Connect provider; the server's clock is moved to age a sign-in.
 */

const HIGH_RISK_KIND = "prod.v1.Database";

let env: SignInEnv;
let t: TestServer;
let base: string;
let offset = 0;
const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
let seq = 0;

beforeAll(async () => {
  env = await startSignInEnv({ accounts: { rita: { email: "rita@example.com", emailVerified: true } }, clock });
  ({ t, base } = env);
  expect((await t.call("POST", `${SPACE}:addToRole`, { role: "reviewer", member: "user:rita@example.com" })).status).toBe(200);
  const policy = await t.call("PUT", `${SPACE}/policy`, {
    policy: { rules: [{ name: "prod-is-high-risk", match: { kinds: [HIGH_RISK_KIND] }, highRisk: true }] },
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);
});
afterAll(async () => {
  await env?.close();
});

/** A petition for someone else; high-risk unless told otherwise. */
async function petition(highRisk = true): Promise<{ name: string; body: any }> {
  seq += 1;
  const made = await t.call("POST", `${SPACE}/petitions`, {
    petition: {
      reason: "month-end close",
      petitioners: [{ kind: "user", email: `petitioner${seq}@example.com` }],
      resources: [{ kind: highRisk ? HIGH_RISK_KIND : "aws.v1.Role", id: `db-${seq}` }],
    },
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return { name: made.body.name, body: made.body };
}

async function approve(name: string, headers: Record<string, string>, body: unknown = approveClaim()) {
  return t.fetch("POST", `${SPACE}/petitions/${name}/claims`, body, headers);
}

async function phaseOf(name: string): Promise<string> {
  return (await t.call("GET", `${SPACE}/petitions/${name}`)).body.state.status.phase;
}

/** Signs rita in through the provider (asked to sign her in again when `stepUp`); returns the jar and the authorization URL. */
async function signIn(stepUp: boolean) {
  const { jar, start, landed } = await env.signIn("rita", { stepUp });
  expect(landed.status, await landed.clone().text()).toBe(302);
  return { jar, authorize: new URL(start.headers.get("location")!) };
}

const sessionToken = (jar: CookieJar) => env.sessionToken(jar);

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
}

function expectStepUpRequired(reply: { status: number; body: any; headers: Record<string, unknown> }, name: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(401);
  expect(reply.body.error.code).toBe("STEP_UP_REQUIRED");
  expect(reply.body.error.message).toContain(`${base}/spaces/default/petitions/${name}`);
  expect(String(reply.headers["www-authenticate"])).toContain('error="insufficient_user_authentication"');
  expect(String(reply.headers["www-authenticate"])).toContain("max_age=600");
}

describe("approving a high-risk petition", () => {
  it("shows that the petition is high-risk before anyone decides", async () => {
    const { body } = await petition();
    expect(body.state.review.highRisk).toBe(true);
    expect((await petition(false)).body.state.review.highRisk).toBe(false);
  });

  it("is refused to every token that carries no recent strong sign-in, with STEP_UP_REQUIRED and where to step up", async () => {
    const { name } = await petition();
    const minted = await t.call("POST", `${SPACE}/userTokens`, { email: "rita@example.com" });
    expect(minted.status).toBe(201);
    const account = await serviceAccount(t, "default", `approver-${Date.now().toString(36)}`, ["reviewer"]);
    const linkJar = await env.linkSignIn("rita@example.com");

    const callers: Array<[string, Record<string, string>]> = [
      ["the bootstrap admin token", {}],
      ["a user token an admin minted", bearer(minted.body.accessToken)],
      ["a service account with the reviewer role", bearer(account.accessToken)],
      ["a sign-in link session's token", bearer(await sessionToken(linkJar))],
    ];
    for (const [who, headers] of callers) {
      const reply = await approve(name, headers);
      expectStepUpRequired(reply, name);
      expect(reply.body.error.message, who).toMatch(/high-risk/);
    }
    // Labels in the body say nothing about how anyone signed in.
    const claimed = await approve(
      name,
      bearer(minted.body.accessToken),
      approveClaim("1h", { meta: { labels: { auth_time: String(Math.floor(Date.now() / 1000)), amr: "passkey" } } }),
    );
    expectStepUpRequired(claimed, name);
    expect(await phaseOf(name)).toBe("open");
    expect((await t.call("GET", `${SPACE}/petitions/${name}`)).body.state.eventHistory.map((e: any) => e.event)).not.toContain(
      "access/approve",
    );
  });

  it("is refused after a plain sign-in, whose ID token says nothing of when the person authenticated", async () => {
    const { name } = await petition();
    const { jar } = await signIn(false);
    const token = await sessionToken(jar);
    expect(claimsOf(token)["auth_time"]).toBeUndefined();
    expectStepUpRequired(await approve(name, bearer(token)), name);
  });

  it("is taken after signing in again at the provider (prompt=login, max_age); the token carries auth_time and amr", async () => {
    const { name } = await petition();
    const { jar, authorize } = await signIn(true);
    expect(authorize.searchParams.get("prompt")).toBe("login");
    expect(authorize.searchParams.get("max_age")).toBe("600");
    const token = await sessionToken(jar);
    const claims = claimsOf(token);
    expect(claims["amr"]).toEqual(["oidc"]);
    expect(Math.abs(Number(claims["auth_time"]) - clock.now() / 1000)).toBeLessThan(30);
    const session = (await (await env.browse(jar, "/v1/auth/session")).json()) as { stepUp: unknown };
    expect(session.stepUp).toMatchObject({ methods: ["oidc"], maxAge: "10m", lastStrongSignIn: { method: "oidc", fresh: true } });

    const reply = await approve(name, bearer(token));
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(await phaseOf(name)).toBe("granted");
  });

  it("is refused once the strong sign-in is older than the window; other approvals and denials go on", async () => {
    const { jar } = await signIn(true);
    const token = await sessionToken(jar);
    offset += 11 * 60_000;
    try {
      const { name } = await petition();
      const stale = await approve(name, bearer(token));
      expectStepUpRequired(stale, name);
      expect(stale.body.error.message).toMatch(/yours was 11m\d*s? ago/);
      // A fresh token from the same session carries the same, old sign-in.
      expectStepUpRequired(await approve(name, bearer(await sessionToken(jar))), name);

      const ordinary = await petition(false);
      expect((await approve(ordinary.name, bearer(token))).status).toBe(200);
      expect((await t.fetch("POST", `${SPACE}/petitions/${name}/claims`, denyClaim, bearer(token))).status).toBe(200);
      expect(await phaseOf(name)).toBe("closed");
    } finally {
      offset -= 11 * 60_000;
    }
  });
});

describe("passkeys", () => {
  it("cannot be added without a recent strong sign-in, so a sign-in link cannot make itself strong", async () => {
    const jar = await env.linkSignIn("rita@example.com");
    const options = await env.browse(jar, "/v1/auth/passkeys:registrationOptions", {
      method: "POST",
      headers: { "x-csrf-token": jar.get(base, "greenlight_csrf") ?? "" },
    });
    expect(options.status).toBe(401);
    expect(((await options.json()) as any).error.code).toBe("STEP_UP_REQUIRED");
    const stepUp = await env.browse(jar, "/v1/auth/session:stepUpOptions", {
      method: "POST",
      headers: { "x-csrf-token": jar.get(base, "greenlight_csrf") ?? "" },
    });
    expect(stepUp.status).toBe(404);
    expect(((await stepUp.json()) as any).error.message).toContain("has no passkey");
  });
});
