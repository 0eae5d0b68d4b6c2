import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { requirePermission } from "../../domain/access.js";
import { AUDIT_INPUT_LABEL, SERVER_KIND_PREFIX, SERVER_LABEL_PREFIX, type AuditEntry } from "../../domain/audit.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import { parseRfc3339 } from "../../domain/grant-expiry.js";
import { newId } from "../../domain/ids.js";
import { normalizeResource, type Resource } from "../../domain/resource.js";
import type { AuditInput } from "../../store/repositories/audit-inputs.js";
import { audit, auditTarget } from "./audit.js";
import type { Context, Services } from "../runtime/context.js";
import { resolveSpace } from "../identity/resolve-space.js";
import type { AuditInputOut, IncomingEvent } from "../../contract/audit-inputs.js";

/**
 * Inputs: where applications write their own events into a space's audit log, with Indent's
 * audit write API (`POST /v1/inputs/{space}/{provider}/{input}:write` and `:writeBatch`, the
 * `{events}` body `@indent/audit` sends). Each input has its own token, shown once and kept
 * only as a digest; it can write to its input and nothing else. Written events join the
 * space's hash chain beside Greenlight's own, and the server records on each (in its
 * `provenance`, which the input cannot send) that this input wrote it and when it arrived. An
 * input writes what an application's people and services did: never an actor of the server's
 * kinds, nor a label of the server's.
 */

/** The most events one `:writeBatch` may carry (`@indent/audit` sends batches of up to 1,000). */
export const MAX_BATCH = 1000;
const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const TOKEN_PREFIX = "gla_";
const ANONYMOUS: Resource = { kind: "user", id: "irn:indent:id:anonymous", labels: {} };

function toWire(ctx: { web: { publicUrl: string } }, spaceName: string, input: AuditInput, token?: string): AuditInputOut {
  const out: AuditInputOut = {
    provider: input.provider,
    name: input.name,
    spaceName,
    displayName: input.displayName,
    tokenHint: input.tokenHint,
    writeUrl: `${ctx.web.publicUrl}/v1/inputs/${spaceName}/${input.provider}/${input.name}:writeBatch`,
    createTime: new Date(input.createdAt).toISOString(),
  };
  if (token !== undefined) out.token = token;
  if (input.lastWriteAt !== null) out.lastWriteTime = new Date(input.lastWriteAt).toISOString();
  return out;
}

function digestOf(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createAuditInput({
  ctx,
  input,
}: {
  ctx: Context;
  input: { provider?: string; name?: string; displayName?: string };
}): Promise<AuditInputOut> {
  requirePermission(ctx.access, "space.admin", "adding audit inputs");
  const provider = checkName(input.provider, "input.provider", '"my-app"');
  const name = checkName(input.name, "input.name", '"production"');
  const token = `${TOKEN_PREFIX}${randomBytes(24).toString("base64url")}`;
  const now = ctx.clock.now();
  const record: AuditInput = {
    spaceId: ctx.space.id,
    provider,
    name,
    displayName: input.displayName || `${provider}/${name}`,
    tokenDigest: digestOf(token),
    tokenHint: `${token.slice(0, 8)}…${token.slice(-4)}`,
    createdAt: now,
    lastWriteAt: null,
  };
  await ctx.store.transaction(async (tx) => {
    if (await tx.auditInputs.getInput(ctx.space.id, provider, name))
      throw new DomainError("CONFLICT", `audit input ${provider}/${name} already exists; delete it to make a new token`);
    await tx.auditInputs.insertInput(record);
    await audit(tx, ctx, ctx.space, now, { event: "auditInput/created", resources: [auditTarget("auditInput", `${provider}/${name}`)] });
  });
  return toWire(ctx, ctx.space.name, record, token);
}

export async function listAuditInputs({ ctx }: { ctx: Context }): Promise<{ inputs: AuditInputOut[] }> {
  requirePermission(ctx.access, "space.admin", "reading audit inputs");
  return { inputs: (await ctx.store.read.auditInputs.listInputs(ctx.space.id)).map((i) => toWire(ctx, ctx.space.name, i)) };
}

export async function deleteAuditInput({ ctx, provider, name }: { ctx: Context; provider: string; name: string }): Promise<void> {
  requirePermission(ctx.access, "space.admin", "removing audit inputs");
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.auditInputs.deleteInput(ctx.space.id, provider, name)))
      throw notFound(`space "${ctx.space.name}" has no audit input ${provider}/${name}`);
    await audit(tx, ctx, ctx.space, ctx.clock.now(), {
      event: "auditInput/deleted",
      resources: [auditTarget("auditInput", `${provider}/${name}`)],
    });
  });
}

/**
 * Writes applications' events through an input, checking its token in constant time. Every
 * failure to authenticate gets the same answer, whether the space, the input or the token
 * was wrong. Returns how many events were written.
 */
export async function writeAuditEvents({
  services,
  target,
  token,
  events,
}: {
  services: Services;
  target: { space: string; provider: string; input: string };
  token: string | undefined;
  events: IncomingEvent[];
}): Promise<{ written: number }> {
  const refused = new DomainError("UNAUTHENTICATED", "this input's token is missing or wrong; send it as Authorization: Bearer gla_…");
  if (!token) throw refused;
  const found = await services.store.read.auditInputs.inputByDigest(digestOf(token));
  const space = found ? await resolveSpace(services, target.space).catch(() => undefined) : undefined;
  const expected = Buffer.from(found?.tokenDigest ?? "0".repeat(64), "hex");
  const matches = timingSafeEqual(expected, Buffer.from(digestOf(token), "hex"));
  if (!found || !space || !matches || found.spaceId !== space.id || found.provider !== target.provider || found.name !== target.input)
    throw refused;
  if (events.length === 0) throw invalidArgument("events must hold at least one event", "events");
  if (events.length > MAX_BATCH) throw invalidArgument(`events may hold at most ${MAX_BATCH} events per call; split the batch`, "events");
  const now = services.clock.now();
  const requestId = newId("req", now);
  const input = `${found.provider}/${found.name}`;
  const entries = events.map((e, i) => toEntry(e, `events[${i}]`, { now, requestId, input }));
  await services.store.transaction(async (tx) => {
    await tx.audit.append(space, entries, now);
    await tx.auditInputs.touchInput(found, now);
  });
  return { written: entries.length };
}

function toEntry(e: IncomingEvent, field: string, at: { now: number; requestId: string; input: string }): AuditEntry {
  const name = e.event?.trim() ?? "";
  if (name === "" || name.length > 256)
    throw invalidArgument(`${field}.event is required: what happened, such as "user/login"`, `${field}.event`);
  const actor = e.actor ? normalizeResource(e.actor, `${field}.actor`) : ANONYMOUS;
  if (actor.kind.toLowerCase().startsWith(SERVER_KIND_PREFIX))
    throw invalidArgument(
      `${field}.actor.kind "${actor.kind}" is one of the server's own; an input writes what an application's people and services did`,
      `${field}.actor.kind`,
    );
  const resources = (e.resources ?? []).map((r, j) => normalizeResource(r, `${field}.resources[${j}]`));
  refuseServerLabels(e.meta?.labels ?? {}, `${field}.meta.labels`);
  refuseServerLabels(actor.labels, `${field}.actor.labels`);
  resources.forEach((r, j) => refuseServerLabels(r.labels, `${field}.resources[${j}].labels`));
  const entry: AuditEntry = {
    id: newId("evt", at.now),
    event: name,
    actor,
    resources,
    reason: e.reason ?? "",
    // When it happened, as the application says; the chain orders events as they arrive, and
    // their provenance records when that was.
    timestamp: e.timestamp ? parseRfc3339(e.timestamp, `${field}.timestamp`) : at.now,
    labels: { ...(e.meta?.labels ?? {}), [AUDIT_INPUT_LABEL]: at.input },
    requestId: at.requestId,
    input: at.input,
  };
  const externalId = e.externalId ?? e.id;
  if (externalId !== undefined) entry.externalId = externalId;
  if (e.sessionId !== undefined) entry.sessionId = e.sessionId;
  return entry;
}

/** Labels under greenlight.dev/ are the server's word (who asked, which token, which input): an input cannot write them. */
function refuseServerLabels(labels: Record<string, string>, field: string): void {
  const key = Object.keys(labels).find((k) => k.toLowerCase().startsWith(SERVER_LABEL_PREFIX));
  if (key !== undefined)
    throw invalidArgument(
      `${field} holds "${key}": labels under ${SERVER_LABEL_PREFIX} are set by the server alone; use a prefix of the application's own`,
      `${field}["${key}"]`,
    );
}

function checkName(value: string | undefined, field: string, example: string): string {
  const name = value ?? "";
  if (!NAME.test(name))
    throw invalidArgument(`${field} must be 1 to 63 lower-case letters, digits, '.', '_' or '-', such as ${example}`, field);
  return name;
}
