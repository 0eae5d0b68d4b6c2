import { audit, auditTarget, SERVER_CHAIN, type AuditOrigin } from "../audit/audit.js";
import { randomBytes } from "node:crypto";
import * as oidc from "openid-client";
import type { Actor } from "../../domain/actor.js";
import { describeMillis } from "../../domain/duration.js";
import { isFresh } from "../../domain/step-up.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import type { TokenRecord } from "../../domain/identity.js";
import { newId } from "../../domain/ids.js";
import { emailProblem, normalizeEmail } from "../../domain/email.js";
import { ROLES } from "../../domain/roles.js";
import type { WebSession } from "../../store/repositories/web-sessions.js";
import type { Services } from "../runtime/context.js";
import { accessIn } from "./enter-space.js";
import { accessTokenResponse, issueAccessToken } from "./manage-tokens.js";
import { resolveSpace } from "./resolve-space.js";
import { sha256 } from "./secrets.js";
import type { SessionSpaceOut, StepUpOut } from "../../contract/sessions.js";

/**
 * Signing in in the browser. People sign in with the identity provider (OpenID Connect,
 * authorization code with PKCE, state and nonce; only a verified email is taken), or with a
 * one-time link an admin made. Either gives a session: a random secret in an HTTP-only cookie,
 * kept here only as its digest. The web UI never holds the session itself: it asks for a short
 * access token for the space it shows (`sessionToken`), and talks to the API with that like
 * any client, so the API has one way to authenticate.
 */

const SPACES_PAGE = 500;

export interface WebSignInSettings {
  oidc: { issuer: string; clientId: string; clientSecret: string | null } | null;
  sessionTtlMs: number;
}

/** How long a login at the identity provider may take, from the redirect to the callback. */
export const LOGIN_MAX_AGE_MS = 10 * 60_000;
const LINK_DEFAULT_MS = 15 * 60_000;
const LINK_MAX_MS = 24 * 3_600_000;

export class WebSignIn {
  private config: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly services: Services,
    readonly settings: WebSignInSettings,
  ) {}

  /** Where the provider sends the browser back. */
  get callbackUrl(): string {
    return `${this.services.web.publicUrl}/auth/callback`;
  }

  /**
   * The provider's authorization URL for a new login, which is remembered by its state. A
   * step-up login asks the provider to sign the person in again (`prompt=login`) and to say when
   * it did (`max_age`, which makes `auth_time` required), so the session records a fresh,
   * strong sign-in that high-risk approvals accept.
   */
  async startLogin(returnTo: string, options: { stepUp?: boolean } = {}): Promise<{ url: string; state: string }> {
    const config = await this.provider();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const now = this.services.clock.now();
    await this.services.store.transaction((tx) =>
      tx.webSessions.insertLogin({
        state,
        nonce,
        codeVerifier,
        returnTo: safeReturnTo(returnTo, this.services.web.publicUrl),
        createdAt: now,
        maxAgeMs: options.stepUp ? this.services.stepUp.maxAgeMs : null,
      }),
    );
    const stepUp: Record<string, string> = options.stepUp
      ? { prompt: "login", max_age: String(Math.floor(this.services.stepUp.maxAgeMs / 1000)) }
      : {};
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.callbackUrl,
      scope: "openid email profile",
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      ...stepUp,
    });
    return { url: url.href, state };
  }

  /**
   * The provider's answer: the code is exchanged (with the login's PKCE verifier, its state and
   * nonce checked), and the ID token must carry an email the provider verified. `browserState`
   * is the state the browser's own cookie holds: a callback begun in another browser is refused.
   * The ID token's `auth_time`, when it has one, is when the person last authenticated at the
   * provider: the session's strong sign-in (required, and checked against `max_age`, for a
   * step-up login).
   */
  async finishLogin(callback: URL, browserState: string | undefined): Promise<{ secret: string; session: WebSession; returnTo: string }> {
    const state = callback.searchParams.get("state") ?? "";
    if (state === "" || browserState !== state) throw signInFailed("this sign-in was not started in this browser; start again");
    const login = await this.services.store.transaction((tx) => tx.webSessions.takeLogin(state));
    const now = this.services.clock.now();
    if (!login || now - login.createdAt > LOGIN_MAX_AGE_MS) throw signInFailed("this sign-in has expired or was used; start again");
    const config = await this.provider();
    let claims: Record<string, unknown> | undefined;
    let authTime: unknown;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
        ...(login.maxAgeMs === null ? {} : { maxAge: Math.floor(login.maxAgeMs / 1000) }),
      });
      claims = tokens.claims();
      // From the ID token alone, never from UserInfo.
      authTime = claims?.["auth_time"];
      // Many providers give the email only from the UserInfo endpoint (as the spec has it for scope claims).
      if (claims && typeof claims["email"] !== "string") {
        claims = { ...claims, ...(await oidc.fetchUserInfo(config, tokens.access_token, String(claims["sub"]))) };
      }
    } catch (error) {
      throw signInFailed(`the identity provider's answer was refused: ${error instanceof Error ? error.message : String(error)}`);
    }
    const claimed = typeof claims?.["email"] === "string" ? claims["email"] : "";
    if (claimed === "") throw signInFailed("the identity provider gave no email for this account (ask for the email scope)");
    if (claims?.["email_verified"] !== true) throw signInFailed(`the identity provider has not verified ${JSON.stringify(claimed)}`);
    const email = normalizeEmail(claimed);
    if (email === undefined) throw signInFailed(`the identity provider's email ${emailProblem(claimed)}`);
    const strongAuth = typeof authTime === "number" ? { at: Math.min(authTime * 1000, now), method: "oidc" as const } : null;
    if (login.maxAgeMs !== null && (strongAuth === null || !isFresh(strongAuth.at, now, login.maxAgeMs))) {
      throw signInFailed("the identity provider did not sign you in again; start again");
    }
    const { secret, session } = await this.createSession(email, "oidc", strongAuth);
    // Checked again on the way out: a login begun before an upgrade was kept under older rules.
    return { secret, session, returnTo: safeReturnTo(login.returnTo, this.services.web.publicUrl) };
  }

  /** A one-time sign-in link for a person (the server admin makes it; the CLI prints it). */
  async createLink(
    origin: AuditOrigin,
    input: { email?: string; ttlMs?: number },
  ): Promise<{ url: string; email: string; expireTime: string }> {
    if (origin.actor.type !== "admin") throw new DomainError("FORBIDDEN", "only the server admin token makes sign-in links");
    const email = normalizeEmail(input.email ?? "");
    if (email === undefined)
      throw invalidArgument(`email must be the address of the person to sign in: ${emailProblem(input.email ?? "")}`, "email");
    const ttlMs = input.ttlMs ?? LINK_DEFAULT_MS;
    if (ttlMs < 60_000 || ttlMs > LINK_MAX_MS) throw invalidArgument(`ttl must be from 1m to ${describeMillis(LINK_MAX_MS)}`, "ttl");
    const token = randomBytes(32).toString("base64url");
    const now = this.services.clock.now();
    await this.services.store.transaction(async (tx) => {
      await tx.webSessions.insertLink({ digest: sha256(token).toString("hex"), email, createdAt: now, expiresAt: now + ttlMs });
      await audit(tx, origin, SERVER_CHAIN, now, {
        event: "signInLink/created",
        resources: [{ kind: "user", email, labels: { "greenlight.dev/expires": new Date(now + ttlMs).toISOString() } }],
      });
    });
    return { url: `${this.services.web.publicUrl}/auth/link?token=${token}`, email, expireTime: new Date(now + ttlMs).toISOString() };
  }

  /** Uses a sign-in link: a session for its person, once. */
  async redeemLink(token: string): Promise<{ secret: string; session: WebSession }> {
    const now = this.services.clock.now();
    const email = await this.services.store.transaction((tx) => tx.webSessions.useLink(sha256(token).toString("hex"), now));
    if (email === undefined)
      throw signInFailed("this sign-in link was used, has expired, or is not one this server made; ask for a new one");
    return this.createSession(email, "link", null);
  }

  /** The live session a cookie's secret names, or undefined. */
  async session(secret: string | undefined): Promise<WebSession | undefined> {
    if (!secret) return undefined;
    const session = await this.services.store.read.webSessions.getSession(sha256(secret).toString("hex"));
    if (!session || session.revokedAt !== null || session.expiresAt <= this.services.clock.now()) return undefined;
    return session;
  }

  /**
   * The spaces where the session's person holds a role (directly or through a group), with
   * those roles, by name. Each space's roles are read from its own bindings exactly as
   * entering the space reads them, so a space where the person holds none is never named.
   */
  async spacesOf(session: WebSession): Promise<SessionSpaceOut[]> {
    const read = this.services.store.read;
    const found: SessionSpaceOut[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await read.spaces.list({ ...(after === undefined ? {} : { after }), limit: SPACES_PAGE });
      for (const space of page) {
        const access = await accessIn(read, { type: "user", email: session.email, spaceId: space.id, tokenId: "" }, space);
        if (access.roles.size === 0) continue;
        found.push({ name: space.name, displayName: space.displayName, roles: ROLES.filter((role) => access.roles.has(role)) });
      }
      if (page.length < SPACES_PAGE) return found;
      after = page.at(-1)!.name;
    }
  }

  /**
   * Ends the session and, in the same transaction, every access token it handed to the page
   * (in whichever space): a bearer copied out of the browser stops working with the session.
   */
  async signOut(secret: string | undefined, reason = "signed out"): Promise<void> {
    if (!secret) return;
    await this.endSession(sha256(secret).toString("hex"), reason);
  }

  /** What high-risk approvals need of this session: how its person can sign in again strongly, and what they have. */
  async stepUpStatus(session: WebSession): Promise<StepUpOut> {
    const { maxAgeMs } = this.services.stepUp;
    const passkeys = await this.services.store.read.passkeys.listOf(session.email);
    const status: StepUpOut = {
      methods: [...(this.settings.oidc ? (["oidc"] as const) : []), ...(passkeys.length > 0 ? (["passkey"] as const) : [])],
      maxAge: describeMillis(maxAgeMs),
    };
    if (session.strongAuth) {
      status.lastStrongSignIn = {
        time: new Date(session.strongAuth.at).toISOString(),
        method: session.strongAuth.method,
        fresh: isFresh(session.strongAuth.at, this.services.clock.now(), maxAgeMs),
      };
    }
    return status;
  }

  /**
   * An access token for the session's person in one space, for the web UI to call the API
   * with: it lives no longer than the session or an access token, and only for someone with a
   * role there.
   */
  async sessionToken(session: WebSession, spaceName: string) {
    const space = await resolveSpace(this.services, spaceName);
    const actor: Actor = { type: "user", email: session.email, spaceId: space.id, tokenId: "" };
    const access = await accessIn(this.services.store.read, actor, space);
    if (access.roles.size === 0) {
      throw new DomainError("FORBIDDEN", `${session.email} has no role in space "${space.name}"; an admin of the space can grant one`);
    }
    const now = this.services.clock.now();
    const record: TokenRecord = {
      id: newId("tok", now),
      spaceId: space.id,
      kind: "user",
      serviceAccountId: null,
      subjectEmail: session.email,
      displayName: `web session of ${session.email}`,
      scope: "",
      secretDigest: null,
      createdBy: { kind: "user", email: session.email, labels: { "greenlight.dev/via": `web-${session.via}` } },
      createdAt: now,
      expireAt: Math.min(session.expiresAt, now + this.services.tokenLifetimes.accessMs),
      revokedAt: null,
      lastUsedAt: null,
      sessionId: session.id,
    };
    const live = await this.services.store.transaction(async (tx) => {
      // Read again here: a token is never minted for a session that ended meanwhile.
      const live = await tx.webSessions.getSession(session.id);
      if (!live || live.revokedAt !== null || live.expiresAt <= now) throw sessionEnded();
      await tx.tokens.insert(record);
      await audit(tx, { actor: { ...actor, tokenId: record.id }, requestId: newId("req", now) }, space, now, {
        event: "token/issued",
        resources: [auditTarget("token", record.id, record.displayName)],
        labels: { "greenlight.dev/via": `web-${session.via}` },
      });
      return live;
    });
    // When and how the person last signed in strongly goes into the token (as OIDC's auth_time
    // and amr), from the session the server keeps: high-risk approvals read it from there.
    const issued = await issueAccessToken({ ...this.services, space }, record, undefined, live.strongAuth);
    return { ...accessTokenResponse(issued, space.name, "", now), email: session.email };
  }

  private async endSession(id: string, reason: string): Promise<void> {
    const now = this.services.clock.now();
    await this.services.store.transaction(async (tx) => {
      const session = await tx.webSessions.getSession(id);
      if (!session) return;
      await tx.webSessions.revokeSession(id, now);
      const origin = (spaceId: string): AuditOrigin => ({
        actor: { type: "user", email: session.email, spaceId, tokenId: "" },
        requestId: newId("req", now),
      });
      for (const token of await tx.tokens.revokeAllOfSession(id, now)) {
        await audit(tx, origin(token.spaceId), { id: token.spaceId }, now, {
          event: "token/revoked",
          resources: [auditTarget("token", token.id)],
          reason,
        });
      }
      if (session.revokedAt === null) {
        await audit(tx, origin(""), SERVER_CHAIN, now, {
          event: "session/ended",
          resources: [{ kind: "user", email: session.email, labels: { "greenlight.dev/via": session.via } }],
          reason,
        });
      }
    });
  }

  private async createSession(
    email: string,
    via: WebSession["via"],
    strongAuth: WebSession["strongAuth"],
  ): Promise<{ secret: string; session: WebSession }> {
    const secret = randomBytes(32).toString("base64url");
    const now = this.services.clock.now();
    const session: WebSession = {
      id: sha256(secret).toString("hex"),
      email,
      via,
      createdAt: now,
      expiresAt: now + this.settings.sessionTtlMs,
      revokedAt: null,
      strongAuth,
    };
    await this.services.store.transaction(async (tx) => {
      await tx.webSessions.insertSession(session);
      await audit(tx, SIGN_IN_ORIGIN(now), SERVER_CHAIN, now, {
        event: "session/started",
        resources: [{ kind: "user", email, labels: { "greenlight.dev/via": via } }],
        ...(strongAuth ? { labels: { "greenlight.dev/auth-time": new Date(strongAuth.at).toISOString() } } : {}),
      });
    });
    return { secret, session };
  }

  /** The provider's configuration, discovered once (and again after a failure). */
  private provider(): Promise<oidc.Configuration> {
    const settings = this.settings.oidc;
    if (!settings) {
      return Promise.reject(
        notFound(
          "sign-in with an identity provider is not set up; set GREENLIGHT_OIDC_ISSUER and GREENLIGHT_OIDC_CLIENT_ID, or use a sign-in link",
        ),
      );
    }
    this.config ??= (async () => {
      const issuer = new URL(settings.issuer);
      // A provider on plain http is only for development and tests on loopback.
      const execute = issuer.protocol === "http:" ? [oidc.allowInsecureRequests] : [];
      return oidc.discovery(
        issuer,
        settings.clientId,
        settings.clientSecret === null ? { token_endpoint_auth_method: "none" } : settings.clientSecret,
        settings.clientSecret === null ? oidc.None() : undefined,
        { execute, timeout: 10 },
      );
    })().catch((error: unknown) => {
      this.config = undefined;
      throw new DomainError(
        "UNAVAILABLE",
        `the identity provider could not be reached: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return this.config;
  }
}

/**
 * Only a path on this server: a sign-in never sends the browser elsewhere. The path is parsed
 * as a browser would parse it (the WHATWG URL parser, which drops tabs and newlines and reads
 * `\` as `/`) against this server's own origin, and kept only when the origin is still this
 * server's; what is sent back is the parser's own spelling of the path, so the browser reads
 * the same thing. Anything else (another host, a scheme, a control character) lands on `/`.
 */
export function safeReturnTo(path: string | undefined, publicUrl: string): string {
  if (!path || path.length > 2000 || !path.startsWith("/") || CONTROL.test(path)) return "/";
  const own = new URL(publicUrl);
  let url: URL;
  try {
    url = new URL(path, own);
  } catch {
    return "/";
  }
  const normalized = `${url.pathname}${url.search}${url.hash}`;
  // A path that begins with two slashes (after dot segments are resolved) names a host.
  if (url.origin !== own.origin || normalized.startsWith("//")) return "/";
  return normalized;
}

const CONTROL = /[\u0000-\u001F\u007F]/;

/** Sessions are started by signing in, before anyone is known to the API: the sign-in itself acts. */
function SIGN_IN_ORIGIN(now: number): AuditOrigin {
  return { actor: { type: "system", job: "web-sign-in" }, requestId: newId("req", now) };
}

export function sessionEnded(): DomainError {
  return new DomainError("UNAUTHENTICATED", "not signed in, or the session ended; sign in at /auth/login");
}

function signInFailed(message: string): DomainError {
  return new DomainError("UNAUTHENTICATED", `signing in failed: ${message}`);
}

/**
 * For the operator starting a server: makes `email` an admin of the space if they hold no role
 * there yet, and returns a one-time link that signs them in to the web UI.
 */
export async function operatorSignIn(services: Services, settings: WebSignInSettings, spaceName: string, email: string): Promise<string> {
  const address = normalizeEmail(email);
  if (address === undefined) throw invalidArgument(`the email to sign in must be an email address: ${emailProblem(email)}`, "email");
  const space = await resolveSpace(services, spaceName);
  const access = await accessIn(services.store.read, { type: "user", email: address, spaceId: space.id, tokenId: "" }, space);
  if (access.roles.size === 0) {
    const now = services.clock.now();
    await services.store.transaction(async (tx) => {
      await tx.roleBindings.add(space.id, { role: "admin", member: `user:${address}` }, now);
      await audit(tx, { actor: { type: "system", job: "serve --sign-in" }, requestId: newId("req", now) }, space, now, {
        event: "role/added",
        resources: [{ kind: "user", email: address, labels: { "greenlight.dev/role": "admin" } }],
      });
    });
  }
  const origin: AuditOrigin = { actor: { type: "admin" }, requestId: newId("req", services.clock.now()) };
  return (await new WebSignIn(services, settings).createLink(origin, { email: address })).url;
}
