import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpDatabase } from "./database-files.js";
import { freePort, startOidcProvider, type LocalProvider } from "./fakes/oidc-provider.js";
import { startTestServer, type TestServer } from "./harness.js";

/**
 * A sign-in under way at the identity provider keeps its PKCE code verifier sealed at rest: a
 * copy of the database taken meanwhile, with an authorization code caught on its way back, must
 * not be enough to finish the sign-in, which is what PKCE is for.
 */

let t: TestServer;
let idp: LocalProvider;

beforeAll(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  idp = await startOidcProvider({
    clientId: "greenlight-web",
    clientSecret: "a-long-client-secret-for-tests",
    redirectUri: `${base}/auth/callback`,
    accounts: {},
  });
  t = await startTestServer({
    env: {
      GREENLIGHT_PORT: String(port),
      GREENLIGHT_PUBLIC_URL: base,
      GREENLIGHT_OIDC_ISSUER: idp.issuer,
      GREENLIGHT_OIDC_CLIENT_ID: "greenlight-web",
      GREENLIGHT_OIDC_CLIENT_SECRET: "a-long-client-secret-for-tests",
    },
  });
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

describe("a sign-in under way", () => {
  it("stores nothing that hashes to the code challenge the provider was sent", async () => {
    const started = await fetch(`${t.url}/auth/login?returnTo=/`, { redirect: "manual" });
    expect(started.status).toBe(302);
    const challenge = new URL(started.headers.get("location")!).searchParams.get("code_challenge")!;
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // PKCE verifiers are 43 characters of base64url: try every such run the database holds.
    const candidates = (await dumpDatabase(t.dataDir)).match(/[A-Za-z0-9_-]{43}/g) ?? [];
    expect(candidates.length).toBeGreaterThan(0);
    const challenges = new Set(candidates.map((candidate) => createHash("sha256").update(candidate).digest("base64url")));
    expect(challenges.has(challenge)).toBe(false);
  });
});
