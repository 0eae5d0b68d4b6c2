import type { AuthenticationResponseJSON, AuthenticatorTransportFuture, RegistrationResponseJSON } from "@simplewebauthn/server";
import { describeMillis } from "../../domain/duration.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import { isFresh, StepUpRequired } from "../../domain/step-up.js";
import type { Passkey } from "../../store/repositories/passkeys.js";
import type { PasskeyCeremony, WebSession } from "../../store/repositories/web-sessions.js";
import { audit, SERVER_CHAIN, type AuditOrigin } from "../audit/audit.js";
import type { Services } from "../runtime/context.js";
import { newId } from "../../domain/ids.js";
import { sha256 } from "./secrets.js";
import type { PasskeyOut } from "../../contract/sessions.js";

/**
 * Passkeys (WebAuthn, through `@simplewebauthn/server`): a person registers them for
 * themselves in the web UI and uses one to step up, which records a strong sign-in in their
 * session, as signing in again at the identity provider does. Only public keys are kept.
 * Every ceremony requires user verification (a PIN or biometric on the authenticator, not mere
 * presence) and is bound to this server's origin and host name (the relying party). Adding or
 * removing a passkey needs a fresh strong sign-in itself: otherwise a session from a sign-in
 * link, which is not strong, could add a passkey and make itself strong.
 */

/** How long a ceremony's challenge may be answered. */
const CHALLENGE_MAX_AGE_MS = 5 * 60_000;
const MAX_PASSKEYS = 20;

/** What every passkey verb takes: the session (the cookie's), not a bearer token's actor. */
interface SessionCall {
  services: Services;
  session: WebSession;
}

export async function listPasskeys({ services, session }: SessionCall): Promise<PasskeyOut[]> {
  return (await services.store.read.passkeys.listOf(session.email)).map(toWire);
}

/** The options for `navigator.credentials.create()`: a new passkey for the session's person. */
export async function registrationOptions({ services, session }: SessionCall) {
  requireFreshSignIn(services, session, "adding a passkey");
  const existing = await services.store.read.passkeys.listOf(session.email);
  if (existing.length >= MAX_PASSKEYS) throw invalidArgument(`you have ${MAX_PASSKEYS} passkeys already; remove one first`);
  const { generateRegistrationOptions } = await webAuthn();
  const options = await generateRegistrationOptions({
    rpName: "Greenlight",
    rpID: relyingParty(services).id,
    userName: session.email,
    // Stable per person, so an authenticator keeps one passkey for them here; not the email itself.
    userID: new Uint8Array(sha256(`greenlight-user:${session.email}`)),
    attestationType: "none",
    excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: transportsOf(passkey) })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
  });
  await saveChallenge(services, session, "register", options.challenge);
  return options;
}

/** Verifies the authenticator's answer to `registrationOptions` and keeps the new passkey. */
export async function registerPasskey({
  services,
  session,
  input,
}: SessionCall & { input: { response: unknown; name?: string } }): Promise<PasskeyOut> {
  requireFreshSignIn(services, session, "adding a passkey");
  const response = input.response as RegistrationResponseJSON;
  const challenge = await takeChallenge(services, session, "register", response);
  const rp = relyingParty(services);
  const { verifyRegistrationResponse } = await webAuthn();
  const verified = await verifiedOrRefused(() =>
    verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    }),
  );
  if (!verified.verified) throw passkeyRefused("the authenticator's answer did not verify");
  const { credential } = verified.registrationInfo;
  const now = services.clock.now();
  const passkey: Passkey = {
    id: credential.id,
    email: session.email,
    publicKey: Buffer.from(credential.publicKey).toString("base64url"),
    counter: credential.counter,
    transports: credential.transports ?? [],
    name: (input.name ?? "").trim().slice(0, 100) || `passkey added ${new Date(now).toISOString().slice(0, 10)}`,
    createdAt: now,
    lastUsedAt: null,
  };
  await services.store.transaction(async (tx) => {
    await tx.passkeys.insert(passkey);
    await audit(tx, personOrigin(session, now), SERVER_CHAIN, now, {
      event: "passkey/registered",
      resources: [{ kind: "user", email: session.email, labels: { "greenlight.dev/passkey": passkey.id } }],
    });
  });
  return toWire(passkey);
}

export async function removePasskey({ services, session, id }: SessionCall & { id: string }): Promise<void> {
  requireFreshSignIn(services, session, "removing a passkey");
  const now = services.clock.now();
  await services.store.transaction(async (tx) => {
    if (!(await tx.passkeys.delete(session.email, id))) throw notFound(`you have no passkey ${JSON.stringify(id)}`);
    await audit(tx, personOrigin(session, now), SERVER_CHAIN, now, {
      event: "passkey/removed",
      resources: [{ kind: "user", email: session.email, labels: { "greenlight.dev/passkey": id } }],
    });
  });
}

/** The options for `navigator.credentials.get()`: one of the session's person's passkeys, verified. */
export async function stepUpOptions({ services, session }: SessionCall) {
  const passkeys = await services.store.read.passkeys.listOf(session.email);
  if (passkeys.length === 0) {
    throw notFound(`${session.email} has no passkey; sign in again with the identity provider instead, then add one on the Passkeys page`);
  }
  const { generateAuthenticationOptions } = await webAuthn();
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(services).id,
    allowCredentials: passkeys.map((passkey) => ({ id: passkey.id, transports: transportsOf(passkey) })),
    userVerification: "required",
  });
  await saveChallenge(services, session, "step-up", options.challenge);
  return options;
}

/**
 * Verifies the authenticator's answer to `stepUpOptions` with the person's own passkey, and
 * records a strong sign-in (`passkey`, now) in the session. Tokens minted afterwards carry it.
 */
export async function stepUpWithPasskey({ services, session, input }: SessionCall & { input: { response: unknown } }): Promise<WebSession> {
  const response = input.response as AuthenticationResponseJSON;
  const challenge = await takeChallenge(services, session, "step-up", response);
  const passkey = typeof response.id === "string" ? await services.store.read.passkeys.getOf(session.email, response.id) : undefined;
  if (!passkey) throw passkeyRefused(`that passkey is not one of ${session.email}'s`);
  const rp = relyingParty(services);
  const { verifyAuthenticationResponse } = await webAuthn();
  const verified = await verifiedOrRefused(() =>
    verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
        counter: passkey.counter,
        transports: transportsOf(passkey),
      },
      requireUserVerification: true,
    }),
  );
  if (!verified.verified) throw passkeyRefused("the authenticator's answer did not verify");
  const now = services.clock.now();
  const strongAuth = { at: now, method: "passkey" as const };
  await services.store.transaction(async (tx) => {
    await tx.passkeys.recordUse(session.email, passkey.id, verified.authenticationInfo.newCounter, now);
    await tx.webSessions.setStrongAuth(session.id, strongAuth);
    await audit(tx, personOrigin(session, now), SERVER_CHAIN, now, {
      event: "session/steppedUp",
      resources: [{ kind: "user", email: session.email, labels: { "greenlight.dev/passkey": passkey.id } }],
      labels: { "greenlight.dev/auth-method": "passkey" },
    });
  });
  return { ...session, strongAuth };
}

/** Managing passkeys needs what approving a high-risk petition needs: a recent strong sign-in. */
function requireFreshSignIn(services: Services, session: WebSession, what: string): void {
  const { maxAgeMs } = services.stepUp;
  if (session.strongAuth && isFresh(session.strongAuth.at, services.clock.now(), maxAgeMs)) return;
  throw new StepUpRequired(
    `${what} needs a sign-in within the last ${describeMillis(maxAgeMs)} with the identity provider or an existing passkey; sign in again, then try again`,
    Math.floor(maxAgeMs / 1000),
  );
}

/** This server as a WebAuthn relying party: its public URL's host name and origin. */
function relyingParty(services: Services): { id: string; origin: string } {
  const url = new URL(services.web.publicUrl);
  return { id: url.hostname, origin: url.origin };
}

async function saveChallenge(services: Services, session: WebSession, purpose: PasskeyCeremony, challenge: string): Promise<void> {
  const now = services.clock.now();
  await services.store.transaction((tx) => tx.webSessions.insertChallenge({ challenge, sessionId: session.id, purpose, createdAt: now }));
}

/**
 * The challenge the authenticator signed, taken from the session's ceremonies under way (once):
 * an answer to another session's or another ceremony's challenge, or a late one, is refused.
 */
async function takeChallenge(
  services: Services,
  session: WebSession,
  purpose: PasskeyCeremony,
  response: { response?: { clientDataJSON?: unknown } },
): Promise<string> {
  let challenge: unknown;
  try {
    challenge = (
      JSON.parse(Buffer.from(String(response?.response?.clientDataJSON ?? ""), "base64url").toString("utf8")) as { challenge?: unknown }
    ).challenge;
  } catch {
    challenge = undefined;
  }
  if (typeof challenge !== "string" || challenge === "") {
    throw invalidArgument("response must be the authenticator's answer (the JSON @simplewebauthn/browser returns)", "response");
  }
  const now = services.clock.now();
  const taken = await services.store.transaction((tx) => tx.webSessions.takeChallenge(session.id, purpose, challenge));
  if (!taken || now - taken.createdAt > CHALLENGE_MAX_AGE_MS)
    throw passkeyRefused("the passkey answered no challenge of this session's, or too late; try again");
  return challenge;
}

function transportsOf(passkey: Passkey): AuthenticatorTransportFuture[] {
  return passkey.transports as AuthenticatorTransportFuture[];
}

/** The library throws on a malformed or mismatched answer: that is a refused passkey, not a server error. */
async function verifiedOrRefused<T>(verify: () => Promise<T>): Promise<T> {
  try {
    return await verify();
  } catch (error) {
    throw passkeyRefused(error);
  }
}

function passkeyRefused(reason: unknown): DomainError {
  const why = reason instanceof Error ? reason.message : String(reason);
  return new DomainError("UNAUTHENTICATED", `the passkey was refused: ${why}`);
}

function personOrigin(session: WebSession, now: number): AuditOrigin {
  return { actor: { type: "user", email: session.email, spaceId: "", tokenId: "" }, requestId: newId("req", now) };
}

function toWire(passkey: Passkey): PasskeyOut {
  const out: PasskeyOut = { id: passkey.id, name: passkey.name, createTime: new Date(passkey.createdAt).toISOString() };
  if (passkey.lastUsedAt !== null) out.lastUseTime = new Date(passkey.lastUsedAt).toISOString();
  return out;
}

/** The WebAuthn library, loaded on first use: most servers never see a passkey, and it took a quarter of a second of every start. */
function webAuthn(): Promise<typeof import("@simplewebauthn/server")> {
  return import("@simplewebauthn/server");
}
