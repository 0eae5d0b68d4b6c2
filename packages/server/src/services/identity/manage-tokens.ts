import type { Resource } from "../../domain/resource.js";
import { audit, auditTarget } from "../audit/audit.js";
import { requirePermission } from "../../domain/access.js";
import { actorResource } from "../../domain/actor.js";
import { describeMillis, nanosToMillis, parseDurationInput } from "../../domain/duration.js";
import { invalidArgument, notFound } from "../../domain/errors.js";
import type { ServiceAccount, TokenRecord } from "../../domain/identity.js";
import { newId } from "../../domain/ids.js";
import { emailProblem, normalizeEmail } from "../../domain/email.js";
import { toWireResource } from "../../domain/wire.js";
import type { Context } from "../runtime/context.js";
import { paginate } from "../runtime/paginate.js";
import { loadServiceAccount } from "./manage-service-accounts.js";
import { newRefreshToken } from "./secrets.js";
import type { CreateTokenInput, ListTokensQuery, MintUserTokenInput, TokenOut } from "../../contract/tokens.js";

const MAX_EXPIRY_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A refresh token for a service account; the answer is the only time its secret is shown. */
export async function createToken({ ctx, input }: { ctx: Context; input: CreateTokenInput }): Promise<TokenOut> {
  requirePermission(ctx.access, "space.admin", "creating tokens");
  const accountId = input.serviceAccountId === undefined ? "" : String(input.serviceAccountId);
  if (accountId === "") throw invalidArgument("serviceAccountId is required: the service account the token is for", "serviceAccountId");
  const days = input.expiryDays ?? 0;
  if (!Number.isInteger(days) || days < 0 || days > MAX_EXPIRY_DAYS) {
    throw invalidArgument(`expiryDays must be a whole number from 0 (never expires) to ${MAX_EXPIRY_DAYS}`, "expiryDays");
  }
  const { record, refreshToken, account } = await ctx.store.transaction(async (tx) => {
    const account = await loadServiceAccount(tx, ctx, accountId, { includeDeleted: false });
    const now = ctx.clock.now();
    const id = newId("tok", now);
    const secret = newRefreshToken(id);
    const record: TokenRecord = {
      id,
      spaceId: ctx.space.id,
      kind: "refresh",
      serviceAccountId: account.id,
      subjectEmail: account.email,
      displayName: input.displayName || `${account.name} token`,
      scope: input.scope ?? "",
      secretDigest: secret.digest,
      createdBy: actorResource(ctx.actor),
      createdAt: now,
      expireAt: days > 0 ? now + days * DAY_MS : null,
      revokedAt: null,
      lastUsedAt: null,
    };
    await tx.tokens.insert(record);
    await audit(tx, ctx, ctx.space, now, {
      event: "token/created",
      resources: [tokenRef(record), { ...auditTarget("serviceAccount", account.id, account.displayName), email: account.email }],
    });
    return { record, refreshToken: secret.token, account };
  });
  const accessToken = await issueAccessToken(ctx, record, account);
  return { ...toWireToken(ctx, record), refreshToken, accessToken: accessToken.token };
}

export async function listTokens({
  ctx,
  query,
}: {
  ctx: Context;
  query: ListTokensQuery;
}): Promise<{ tokens: TokenOut[]; nextPageToken: string }> {
  requirePermission(ctx.access, "space.admin", "listing tokens");
  const includeRevoked = query.showDeleted ?? false;
  const serviceAccountId = query.serviceAccountId || undefined;
  const page = await paginate(
    query,
    ["tokens", serviceAccountId ?? "", String(includeRevoked)],
    (after, limit) => ctx.store.read.tokens.list(ctx.space.id, { serviceAccountId, includeRevoked, after, limit }),
    (token) => token.id,
  );
  return { tokens: page.items.map((token) => toWireToken(ctx, token)), nextPageToken: page.nextPageToken };
}

/** Revokes a token: it can no longer be exchanged, and access tokens made from it stop working. */
export async function revokeToken({ ctx, name }: { ctx: Context; name: string }): Promise<void> {
  requirePermission(ctx.access, "space.admin", "revoking tokens");
  await ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    if (await tx.tokens.revoke(ctx.space.id, name, now)) {
      await audit(tx, ctx, ctx.space, now, { event: "token/revoked", resources: [auditTarget("token", name)] });
      return;
    }
    const token = await tx.tokens.get(name);
    if (!token || token.spaceId !== ctx.space.id) throw notFound(`token "${name}" does not exist in space "${ctx.space.name}"`);
    // Already revoked: revoking again changes nothing.
  });
}

/**
 * A short-lived access token for a person, minted by an admin (sign-in through an identity
 * provider mints them for people themselves). Its `sub` is the person's email, which is what
 * Indent's clients read the petitioner from.
 */
export async function mintUserToken({ ctx, input }: { ctx: Context; input: MintUserTokenInput }) {
  requirePermission(ctx.access, "space.admin", "minting tokens for people");
  const email = normalizeEmail(input.email ?? "");
  if (email === undefined) throw invalidArgument(`email must be the person's email address: ${emailProblem(input.email ?? "")}`, "email");
  const { userDefaultMs, userMaxMs } = ctx.tokenLifetimes;
  const ttlMs = input.ttl === undefined ? userDefaultMs : nanosToMillis(parseDurationInput(input.ttl, "ttl"));
  if (ttlMs < 1000 || ttlMs > userMaxMs) {
    throw invalidArgument(`ttl must be from 1s to ${describeMillis(userMaxMs)}; user tokens are short-lived`, "ttl");
  }
  const record = await ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    const token: TokenRecord = {
      id: newId("tok", now),
      spaceId: ctx.space.id,
      kind: "user",
      serviceAccountId: null,
      subjectEmail: email,
      displayName: input.displayName || `token for ${email}`,
      scope: "",
      secretDigest: null,
      createdBy: actorResource(ctx.actor),
      createdAt: now,
      expireAt: now + ttlMs,
      revokedAt: null,
      lastUsedAt: null,
    };
    await tx.tokens.insert(token);
    await audit(tx, ctx, ctx.space, now, { event: "token/minted", resources: [tokenRef(token), { kind: "user", email, labels: {} }] });
    return token;
  });
  const issued = await issueAccessToken(ctx, record, undefined);
  return { ...toWireToken(ctx, record), ...accessTokenResponse(issued, ctx.space.name, record.scope, ctx.clock.now()) };
}

/** An access token under `record`, living no longer than the server allows or the record does. */
export async function issueAccessToken(
  ctx: { clock: Context["clock"]; signer: Context["signer"]; tokenLifetimes: Context["tokenLifetimes"]; space: { name: string } },
  record: TokenRecord,
  account: ServiceAccount | undefined,
  /** For a browser session's token: when and how its person last signed in strongly. */
  strongAuth: { at: number; method: string } | null = null,
): Promise<{ token: string; expiresAt: number }> {
  const now = ctx.clock.now();
  const lifetime = record.kind === "user" ? Number.POSITIVE_INFINITY : ctx.tokenLifetimes.accessMs;
  const expiresAt = Math.min(now + lifetime, record.expireAt ?? Number.POSITIVE_INFINITY);
  const token = await ctx.signer.sign(
    account
      ? { sub: record.subjectEmail, space: ctx.space.name, tid: record.id, kind: "serviceAccount", sa: account.id }
      : {
          sub: record.subjectEmail,
          space: ctx.space.name,
          tid: record.id,
          kind: "user",
          ...(strongAuth ? { authTime: Math.floor(strongAuth.at / 1000), amr: [strongAuth.method] } : {}),
        },
    expiresAt,
  );
  return { token, expiresAt };
}

/** The OAuth-style answer, in both spellings Indent's clients read. */
export function accessTokenResponse(issued: { token: string; expiresAt: number }, spaceName: string, scope: string, now: number) {
  const expiresIn = Math.max(0, Math.floor((issued.expiresAt - now) / 1000));
  return {
    access_token: issued.token,
    accessToken: issued.token,
    token_type: "Bearer" as const,
    tokenType: "Bearer" as const,
    expires_in: expiresIn,
    expiresIn,
    expireTime: new Date(issued.expiresAt).toISOString(),
    scope,
    space: spaceName,
  };
}

function toWireToken(ctx: Context, token: TokenRecord): TokenOut {
  const time = (ms: number) => new Date(ms).toISOString();
  const meta: TokenOut["meta"] = {
    name: token.id,
    space: ctx.space.name,
    displayName: token.displayName,
    createTime: time(token.createdAt),
  };
  if (token.expireAt !== null) meta.expireTime = time(token.expireAt);
  if (token.revokedAt !== null) meta.deleteTime = time(token.revokedAt);
  const out: TokenOut = {
    name: token.id,
    kind: token.kind,
    displayName: token.displayName,
    subject: token.subjectEmail,
    scope: token.scope,
    meta,
    createdBy: toWireResource(token.createdBy),
  };
  if (token.serviceAccountId !== null) out.serviceAccountId = token.serviceAccountId;
  if (token.lastUsedAt !== null) out.lastUseTime = time(token.lastUsedAt);
  return out;
}

/** A token as an event names it: its id and name, never its secret. */
function tokenRef(record: TokenRecord): Resource {
  const ref = auditTarget("token", record.id, record.displayName);
  if (record.expireAt !== null) ref.labels = { "greenlight.dev/expires": new Date(record.expireAt).toISOString() };
  return ref;
}
