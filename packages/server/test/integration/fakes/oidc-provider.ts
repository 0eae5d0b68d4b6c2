import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A real OpenID Connect provider (the `oidc-provider` package, certified) on 127.0.0.1, with
 * its development login and consent pages, and a browser stand-in that signs in through them:
 * it follows redirects with its own cookies and submits the pages' forms.
 */

export interface LocalProvider {
  issuer: string;
  close(): Promise<void>;
}

export interface ProviderAccount {
  email: string;
  emailVerified: boolean;
}

export async function startOidcProvider(options: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  accounts: Record<string, ProviderAccount>;
}): Promise<LocalProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: options.clientId, client_secret: options.clientSecret, redirect_uris: [options.redirectUri] }],
    findAccount: async (_ctx, id) => {
      const account = options.accounts[id];
      return {
        accountId: id,
        claims: async () => (account ? { sub: id, email: account.email, email_verified: account.emailVerified } : { sub: id }),
      };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    pkce: { required: () => true },
  });
  const server: Server = provider.listen(port);
  await new Promise<void>((resolve) => server.once("listening", resolve));
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Cookies of one origin, as a browser keeps them (names and values only). */
export class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  take(url: string, response: Response): void {
    const jar = this.of(url);
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: string): string {
    return [...this.of(url)].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  get(url: string, name: string): string | undefined {
    return this.of(url).get(name);
  }

  private of(url: string): Map<string, string> {
    const origin = new URL(url).origin;
    let jar = this.byOrigin.get(origin);
    if (!jar) this.byOrigin.set(origin, (jar = new Map()));
    return jar;
  }
}

/**
 * Goes from `start` through the provider's login and consent pages as `login` would, until a
 * redirect to `stopAt`; returns that URL (the callback, with code and state) without opening it.
 */
export async function signInAtProvider(jar: CookieJar, start: string, login: string, stopAt: string): Promise<string> {
  let url = start;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step += 1) {
    if (url.startsWith(stopAt)) return url;
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as object), cookie: jar.header(url) } });
    jar.take(url, response);
    const location = response.headers.get("location");
    if (location) {
      url = new URL(location, url).href;
      init = {};
      continue;
    }
    const html = await response.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    if (!form) throw new Error(`the provider answered ${response.status} without a form or redirect: ${html.slice(0, 300)}`);
    const fields = new URLSearchParams();
    for (const input of form[2]!.matchAll(/<input[^>]*>/gi)) {
      const name = /name="([^"]+)"/.exec(input[0])?.[1];
      if (!name) continue;
      const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? "";
      fields.set(name, name === "login" ? login : name === "password" ? "any" : value);
    }
    url = new URL(form[1]!, url).href;
    init = { method: "POST", body: fields.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } };
  }
  throw new Error("signing in at the provider took too many steps");
}
