import { expect } from "vitest";
import type { Clock } from "../../src/domain/clock.js";
import {
  CookieJar,
  freePort,
  signInAtProvider,
  startOidcProvider,
  type LocalProvider,
  type ProviderAccount,
} from "./fakes/oidc-provider.js";
import { startTestServer, type TestServer } from "./harness.js";

/**
 * A server that signs people in with a real OpenID Connect provider on loopback, and a browser
 * stand-in for it: requests with a cookie jar and no redirects followed, a sign-in through the
 * provider's own pages, a one-time link used, and a session's access token.
 */

const CLIENT_ID = "greenlight-web";
const CLIENT_SECRET = "a-long-client-secret-for-tests";

export interface SignInEnv {
  t: TestServer;
  idp: LocalProvider;
  /** The server's public URL (its origin). */
  base: string;
  /** A request as the browser makes it: its cookies, no redirects followed. */
  browse(jar: CookieJar, path: string, init?: RequestInit): Promise<Response>;
  /**
   * Signs `login` in through the provider (`stepUp`: asked to sign them in again); returns the
   * jar, the authorization redirect, the callback URL and where the callback sent the browser.
   */
  signIn(
    login: string,
    options?: { returnTo?: string; stepUp?: boolean },
  ): Promise<{ jar: CookieJar; start: Response; callback: string; landed: Response }>;
  /** Signs `email` in with a one-time link the admin makes, as an operator would; returns the jar. */
  linkSignIn(email: string): Promise<CookieJar>;
  /** The headers of a state-changing call with the session: its CSRF token, JSON. */
  csrf(jar: CookieJar): Record<string, string>;
  /** An access token for `space` from the jar's session. */
  sessionToken(jar: CookieJar, space?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts the provider with `accounts` and the server. `host: "localhost"` serves it under a
 * name rather than an address (passkeys need one); `clock` moves the server's time; `env` adds
 * settings.
 */
export async function startSignInEnv(options: {
  accounts: Record<string, ProviderAccount>;
  clock?: Clock;
  host?: "127.0.0.1" | "localhost";
  env?: Record<string, string>;
}): Promise<SignInEnv> {
  const port = await freePort();
  const base = `http://${options.host ?? "127.0.0.1"}:${port}`;
  const idp = await startOidcProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: `${base}/auth/callback`,
    accounts: options.accounts,
  });
  const t = await startTestServer({
    ...(options.clock ? { clock: options.clock } : {}),
    env: {
      GREENLIGHT_PORT: String(port),
      GREENLIGHT_PUBLIC_URL: base,
      GREENLIGHT_OIDC_ISSUER: idp.issuer,
      GREENLIGHT_OIDC_CLIENT_ID: CLIENT_ID,
      GREENLIGHT_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      ...options.env,
    },
  });

  const browse = async (jar: CookieJar, path: string, init: RequestInit = {}) => {
    const url = new URL(path, base).href;
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as object), cookie: jar.header(url) } });
    jar.take(url, response);
    return response;
  };
  const csrf = (jar: CookieJar) => ({ "x-csrf-token": jar.get(base, "greenlight_csrf") ?? "", "content-type": "application/json" });

  return {
    t,
    idp,
    base,
    browse,
    csrf,
    async signIn(login, { returnTo = "/", stepUp = false } = {}) {
      const jar = new CookieJar();
      const start = await browse(jar, `/auth/login?returnTo=${encodeURIComponent(returnTo)}${stepUp ? "&stepUp=true" : ""}`);
      expect(start.status).toBe(302);
      const callback = await signInAtProvider(jar, start.headers.get("location")!, login, `${base}/auth/callback`);
      const landed = await browse(jar, callback);
      return { jar, start, callback, landed };
    },
    async linkSignIn(email) {
      const made = await t.call("POST", "/v1/auth/signInLinks", { email });
      expect(made.status).toBe(201);
      const jar = new CookieJar();
      const used = await browse(jar, "/auth/link", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: new URL(made.body.url).searchParams.get("token")! }).toString(),
      });
      expect(used.status).toBe(303);
      return jar;
    },
    async sessionToken(jar, space = "default") {
      const issued = await browse(jar, "/v1/auth/session:token", { method: "POST", body: JSON.stringify({ space }), headers: csrf(jar) });
      expect(issued.status).toBe(200);
      return ((await issued.json()) as { accessToken: string }).accessToken;
    },
    async close() {
      await t.close();
      await idp.close();
    },
  };
}
