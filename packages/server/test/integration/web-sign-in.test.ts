import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, signInAtProvider, type LocalProvider } from "./fakes/oidc-provider.js";
import { SPACE, startTestServer, type TestServer } from "./harness.js";
import { startSignInEnv, type SignInEnv } from "./sign-in-env.js";

/**
 * Signing in in the browser, through a real OpenID Connect provider on loopback (the
 * certified `oidc-provider` package) and with one-time links: sessions in HTTP-only cookies,
 * CSRF-checked, exchanged for short access tokens for one space.
 */

let env: SignInEnv;
let t: TestServer;
let idp: LocalProvider;
let base: string;

beforeAll(async () => {
  env = await startSignInEnv({
    accounts: {
      alice: { email: "Alice@Example.com", emailVerified: true },
      bob: { email: "bob@example.com", emailVerified: true },
      mallory: { email: "mallory@example.com", emailVerified: false },
      // A verified address at another domain whose "K" is the Kelvin sign (U+212A): lower-cased, it reads as bob@okta.example.
      kelvin: { email: "bob@o\u212Ata.example", emailVerified: true },
    },
  });
  ({ t, idp, base } = env);
  expect((await t.call("POST", `${SPACE}:addToRole`, { role: "reviewer", member: "user:alice@example.com" })).status).toBe(200);
});
afterAll(async () => {
  await env?.close();
});

const browse = (jar: CookieJar, path: string, init?: RequestInit) => env.browse(jar, path, init);
const signIn = (login: string, returnTo = "/") => env.signIn(login, { returnTo });
const csrf = (jar: CookieJar) => env.csrf(jar);
const linkSignIn = (email: string) => env.linkSignIn(email);

describe("signing in with the identity provider", () => {
  it("is offered on the sign-in page", async () => {
    expect(await (await browse(new CookieJar(), "/v1/auth/signInOptions")).json()).toEqual({ identityProvider: true });
  });

  it("runs authorization code with PKCE, state and nonce, and keeps the session in an HTTP-only cookie", async () => {
    const { jar, landed, start } = await signIn("alice", "/inbox?tab=mine");
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get("state")).toBeTruthy();
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${base}/auth/callback`);

    expect(landed.status).toBe(302);
    expect(landed.headers.get("location")).toBe("/inbox?tab=mine");
    const cookies = landed.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith("greenlight_session="))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(cookies.find((c) => c.startsWith("greenlight_csrf="))).not.toMatch(/HttpOnly/i);

    const who = await browse(jar, "/v1/auth/session");
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({ email: "alice@example.com", via: "oidc" });
  });

  it("gives the signed-in person an access token for a space they have a role in, only with the CSRF token", async () => {
    const { jar } = await signIn("alice");
    const without = await browse(jar, "/v1/auth/session:token", {
      method: "POST",
      body: JSON.stringify({ space: "default" }),
      headers: { "content-type": "application/json" },
    });
    expect(without.status).toBe(403);
    const fromElsewhere = await browse(jar, "/v1/auth/session:token", {
      method: "POST",
      body: JSON.stringify({ space: "default" }),
      headers: { ...csrf(jar), origin: "https://evil.example" },
    });
    expect(fromElsewhere.status).toBe(403);
    const issued = await browse(jar, "/v1/auth/session:token", {
      method: "POST",
      body: JSON.stringify({ space: "default" }),
      headers: csrf(jar),
    });
    expect(issued.status).toBe(200);
    const token = (await issued.json()) as { accessToken: string; expiresIn: number; email: string };
    expect(token.email).toBe("alice@example.com");
    expect(token.expiresIn).toBeLessThanOrEqual(3600);
    const petitions = await fetch(`${base}${SPACE}/petitions`, { headers: { authorization: `Bearer ${token.accessToken}` } });
    expect(petitions.status).toBe(200);
  });

  it("refuses a token for a space the person has no role in", async () => {
    const { jar } = await signIn("bob");
    const issued = await browse(jar, "/v1/auth/session:token", {
      method: "POST",
      body: JSON.stringify({ space: "default" }),
      headers: csrf(jar),
    });
    expect(issued.status).toBe(403);
    expect(((await issued.json()) as any).error.message).toContain("no role");
  });

  it("refuses an account whose email the provider has not verified", async () => {
    const { landed } = await signIn("mallory");
    expect(landed.status).toBe(401);
    expect(landed.headers.getSetCookie().some((c) => c.startsWith("greenlight_session="))).toBe(false);
    expect(((await landed.json()) as any).error.message).toContain("not verified");
  });

  it("never takes a look-alike address for another person's", async () => {
    expect((await t.call("POST", `${SPACE}:addToRole`, { role: "reviewer", member: "user:bob@okta.example" })).status).toBe(200);
    const { landed } = await signIn("kelvin");
    expect(landed.status).toBe(401);
    expect(landed.headers.getSetCookie().some((c) => c.startsWith("greenlight_session="))).toBe(false);
    expect(((await landed.json()) as any).error.message).toContain("ASCII");
  });

  it("refuses a callback used twice, or finished in another browser", async () => {
    const { callback } = await signIn("alice");
    const again = await browse(new CookieJar(), callback);
    expect(again.status).toBe(401);

    const jar = new CookieJar();
    const start = await browse(jar, "/auth/login");
    const url = await signInAtProvider(jar, start.headers.get("location")!, "alice", `${base}/auth/callback`);
    const stranger = await fetch(url, { redirect: "manual" });
    expect(stranger.status).toBe(401);
  });

  it("sends the browser back only to paths on this server", async () => {
    // Each is read by some browser or URL parser as another host, or is no path at all.
    const hostile = [
      "//evil.example/x",
      "https://evil.example/",
      "https:evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/\u0000/evil.example",
      " //evil.example",
      "/.//evil.example",
      "/x/..//evil.example",
      "/%2e%2e//evil.example",
      "\t//evil.example",
      "javascript:alert(1)",
      "data:text/html,hi",
      "",
    ];
    for (const returnTo of hostile) {
      const { landed } = await signIn("alice", returnTo);
      expect(landed.status, JSON.stringify(returnTo)).toBe(302);
      const location = landed.headers.get("location")!;
      expect(location, JSON.stringify(returnTo)).toBe("/");
    }
    // A path of this server comes back as the same path, percent-encoded as the URL parser writes it.
    for (const [returnTo, expected] of [
      ["/spaces/default/petitions/pet_1?tab=a#t", "/spaces/default/petitions/pet_1?tab=a#t"],
      ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
      ["/inbox?next=//evil.example", "/inbox?next=//evil.example"],
    ]) {
      const { landed } = await signIn("alice", returnTo);
      expect(landed.headers.get("location")).toBe(expected);
      expect(new URL(landed.headers.get("location")!, base).origin).toBe(base);
    }
  });

  it("ends the session on sign-out", async () => {
    const { jar } = await signIn("alice");
    const session = jar.get(base, "greenlight_session")!;
    const out = await browse(jar, "/auth/logout", { method: "POST", headers: csrf(jar), body: "{}" });
    expect(out.status).toBe(200);
    const replayed = await fetch(`${base}/v1/auth/session`, { headers: { cookie: `greenlight_session=${session}` } });
    expect(replayed.status).toBe(401);
  });

  it("ends the session it replaces when the same browser signs in again, with its tokens", async () => {
    const { jar } = await signIn("alice");
    const before = jar.get(base, "greenlight_session")!;
    const token = await env.sessionToken(jar);
    const again = await env.browse(jar, "/auth/login?returnTo=%2F");
    const callback = await signInAtProvider(jar, again.headers.get("location")!, "alice", `${base}/auth/callback`);
    expect((await env.browse(jar, callback)).status).toBe(302);
    expect(jar.get(base, "greenlight_session")).not.toBe(before);
    expect((await fetch(`${base}/v1/auth/session`, { headers: { cookie: `greenlight_session=${before}` } })).status).toBe(401);
    expect((await fetch(`${base}${SPACE}/petitions`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await env.browse(jar, "/v1/auth/session")).status).toBe(200);
  });

  it("ends the session's access tokens on sign-out, in every space, at once", async () => {
    expect((await t.call("POST", "/v1/spaces", { space: { name: "north", displayName: "North" } })).status).toBe(201);
    expect((await t.call("POST", "/v1/spaces/north:addToRole", { role: "member", member: "user:alice@example.com" })).status).toBe(200);
    const { jar } = await signIn("alice");
    const bearers: Array<[string, Record<string, string>]> = [];
    for (const space of ["default", "north"]) {
      const issued = await browse(jar, "/v1/auth/session:token", { method: "POST", body: JSON.stringify({ space }), headers: csrf(jar) });
      expect(issued.status).toBe(200);
      const { accessToken } = (await issued.json()) as { accessToken: string };
      bearers.push([space, { authorization: `Bearer ${accessToken}` }]);
    }
    for (const [space, bearer] of bearers)
      expect((await fetch(`${base}/v1/spaces/${space}/petitions`, { headers: bearer })).status).toBe(200);

    expect((await browse(jar, "/auth/logout", { method: "POST", headers: csrf(jar), body: "{}" })).status).toBe(200);
    for (const [space, bearer] of bearers) {
      const after = await fetch(`${base}/v1/spaces/${space}/petitions`, { headers: bearer });
      expect(after.status).toBe(401);
      expect(((await after.json()) as any).error.message).toContain("revoked");
    }
  });
});

describe("one-time sign-in links", () => {
  it("signs in once, from a page whose button uses the link (fetching the link alone does not)", async () => {
    const made = await t.call("POST", "/v1/auth/signInLinks", { email: "alice@example.com", ttl: "10m" });
    expect(made.status).toBe(201);
    const url = new URL(made.body.url);
    expect(url.origin + url.pathname).toBe(`${base}/auth/link`);
    const token = url.searchParams.get("token")!;

    const jar = new CookieJar();
    const page = await browse(jar, url.pathname + url.search);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post" action="/auth/link">');
    // The form must carry the page's own Origin (Chromium sends "null" under no-referrer), and a "null" one is refused.
    expect(page.headers.get("referrer-policy")).toBe("same-origin");
    const opaque = await browse(new CookieJar(), "/auth/link", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "null" },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(opaque.status).toBe(403);
    const used = await browse(jar, "/auth/link", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(used.status).toBe(303);
    expect(await (await browse(jar, "/v1/auth/session")).json()).toMatchObject({ email: "alice@example.com", via: "link" });

    const twice = await browse(new CookieJar(), "/auth/link", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(twice.status).toBe(401);
  });

  it("is made only with the server admin token", async () => {
    const minted = await t.call("POST", `${SPACE}/userTokens`, { email: "alice@example.com" });
    expect(minted.status).toBe(201);
    const refused = await t.call(
      "POST",
      "/v1/auth/signInLinks",
      { email: "alice@example.com" },
      { authorization: `Bearer ${minted.body.accessToken}` },
    );
    expect(refused.status).toBe(403);
    const bad = await t.call("POST", "/v1/auth/signInLinks", { email: "not an email" });
    expect(bad.status).toBe(400);
  });
});

async function sessionOf(jar: CookieJar) {
  const who = await browse(jar, "/v1/auth/session");
  expect(who.status).toBe(200);
  return (await who.json()) as { email: string; spaces: Array<{ name: string; displayName: string; roles: string[] }> };
}

describe("the session's spaces", () => {
  beforeAll(async () => {
    for (const [name, displayName] of [
      ["acme", "Acme Corp"],
      ["zeta", "Zeta"],
    ]) {
      expect((await t.call("POST", "/v1/spaces", { space: { name, displayName } })).status).toBe(201);
    }
    // Erin: admin of acme directly and a member there through a group; a member of default; nothing in zeta.
    const grants: Array<[string, string, string]> = [
      ["acme", "admin", "user:erin@example.com"],
      ["acme", "member", "group:ops"],
      ["default", "member", "user:Erin@Example.com"],
      ["zeta", "admin", "user:zed@example.com"],
      ["zeta", "reviewer", "group:ops"],
    ];
    const group = await t.call("POST", "/v1/spaces/acme/groups", { group: { name: "ops", members: ["erin@example.com"] } });
    expect(group.status).toBe(201);
    // A group of the same name in zeta, without erin: groups are per space.
    expect((await t.call("POST", "/v1/spaces/zeta/groups", { group: { name: "ops", members: ["zed@example.com"] } })).status).toBe(201);
    for (const [space, role, member] of grants) {
      expect((await t.call("POST", `/v1/spaces/${space}:addToRole`, { role, member })).status).toBe(200);
    }
  });

  it("lists the spaces where the person holds a role, directly or through a group, with those roles", async () => {
    const session = await sessionOf(await linkSignIn("erin@example.com"));
    expect(session.email).toBe("erin@example.com");
    expect(session.spaces).toEqual([
      { name: "acme", displayName: "Acme Corp", roles: ["admin", "member"] },
      { name: "default", displayName: expect.any(String), roles: ["member"] },
    ]);
  });

  it("never lists a space where the person holds no role, whatever they hold elsewhere", async () => {
    const erin = await sessionOf(await linkSignIn("erin@example.com"));
    expect(erin.spaces.map((s) => s.name)).not.toContain("zeta");
    const zed = await sessionOf(await linkSignIn("zed@example.com"));
    expect(zed.spaces).toEqual([{ name: "zeta", displayName: "Zeta", roles: ["admin", "reviewer"] }]);
    // Someone with no role anywhere is told of no space at all.
    const nobody = await sessionOf(await linkSignIn("nobody@example.com"));
    expect(nobody.spaces).toEqual([]);
    // And a token for a space the list leaves out is refused.
    const jar = await linkSignIn("erin@example.com");
    const issued = await browse(jar, "/v1/auth/session:token", {
      method: "POST",
      body: JSON.stringify({ space: "zeta" }),
      headers: csrf(jar),
    });
    expect(issued.status).toBe(403);
  });

  it("follows the bindings as they change: a removed role is gone on the next read", async () => {
    const jar = await linkSignIn("erin@example.com");
    expect((await t.call("POST", "/v1/spaces/default:removeFromRole", { role: "member", member: "user:erin@example.com" })).status).toBe(
      200,
    );
    try {
      expect((await sessionOf(jar)).spaces.map((s) => s.name)).toEqual(["acme"]);
      // Leaving the group takes the group's role away; the direct one stays.
      expect((await t.call("PUT", "/v1/spaces/acme/groups/ops", { group: { members: [] } })).status).toBe(200);
      expect((await sessionOf(jar)).spaces).toEqual([{ name: "acme", displayName: "Acme Corp", roles: ["admin"] }]);
    } finally {
      expect((await t.call("POST", "/v1/spaces/default:addToRole", { role: "member", member: "user:erin@example.com" })).status).toBe(200);
      expect((await t.call("PUT", "/v1/spaces/acme/groups/ops", { group: { members: ["erin@example.com"] } })).status).toBe(200);
    }
  });

  it("is read only with a live session", async () => {
    const jar = await linkSignIn("erin@example.com");
    expect((await browse(jar, "/auth/logout", { method: "POST", headers: csrf(jar), body: "{}" })).status).toBe(200);
    const after = await browse(jar, "/v1/auth/session");
    expect(after.status).toBe(401);
    expect(JSON.stringify(await after.json())).not.toContain("acme");
  });
});

describe("without an identity provider", () => {
  it("says how to set one up, and tells the sign-in page there is none to offer", async () => {
    const plain = await startTestServer();
    try {
      const reply = await plain.call("GET", "/auth/login");
      expect(reply.status).toBe(404);
      expect(reply.body.error.message).toContain("GREENLIGHT_OIDC_ISSUER");
      const options = await fetch(`${plain.url}/v1/auth/signInOptions`);
      expect(await options.json()).toEqual({ identityProvider: false });
    } finally {
      await plain.close();
    }
  });
});
