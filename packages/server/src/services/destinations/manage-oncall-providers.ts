import type { Resource } from "../../domain/resource.js";
import { audit, auditTarget } from "../audit/audit.js";
import { requirePermission } from "../../domain/access.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import { DEFAULT_ON_CALL_URLS, ON_CALL_KINDS, type OnCallKind, type OnCallProvider, type OnCallSettings } from "../../domain/oncall.js";
import { GROUP_NAME } from "../../domain/roles.js";
import { checkDestination, checkDestinationSecrets } from "./check-destination.js";
import type { Context } from "../runtime/context.js";
import { wireHealth } from "./receiver-health.js";

/** An on-call provider as the API shows it: never its API key. */
export interface WireOnCallProvider {
  name: string;
  kind: OnCallKind;
  baseUrl: string;
  settings: OnCallSettings;
  /** The last four characters of the API key, so a person can tell which key is set. */
  apiKeyHint: string;
  createTime: string;
  updateTime: string;
  /** Health: the last answer, and the last failure if it came after it. */
  lastSuccessTime?: string;
  lastError?: string;
  lastErrorTime?: string;
  healthy: boolean;
}

export interface OnCallProviderInput {
  name?: string;
  kind?: string;
  baseUrl?: string;
  apiKey?: string;
  settings?: OnCallSettings;
}

function toWire(p: OnCallProvider): WireOnCallProvider {
  const out: WireOnCallProvider = {
    name: p.name,
    kind: p.kind,
    baseUrl: p.baseUrl,
    settings: p.settings,
    apiKeyHint: `…${p.apiKey.slice(-4)}`,
    createTime: new Date(p.createdAt).toISOString(),
    updateTime: new Date(p.updatedAt).toISOString(),
    healthy: (p.lastErrorAt ?? -1) <= (p.lastSuccessAt ?? -1) || p.lastError === null,
    ...wireHealth(p),
  };
  return out;
}

export async function listOnCallProviders({ ctx }: { ctx: Context }) {
  requirePermission(ctx.access, "space.admin", "reading on-call providers");
  return { providers: (await ctx.store.read.onCallProviders.list(ctx.space.id)).map(toWire) };
}

export async function getOnCallProvider({ ctx, name }: { ctx: Context; name: string }): Promise<WireOnCallProvider> {
  requirePermission(ctx.access, "space.admin", "reading on-call providers");
  return toWire(await load(ctx, name));
}

export async function createOnCallProvider({ ctx, input }: { ctx: Context; input: OnCallProviderInput }): Promise<WireOnCallProvider> {
  requirePermission(ctx.access, "space.admin", "changing on-call providers");
  const name = input.name ?? "";
  if (!GROUP_NAME.test(name)) {
    throw invalidArgument(
      `provider.name must be 1 to 63 lower-case letters, digits, '.', '_' or '-', such as "pagerduty-sre"`,
      "provider.name",
    );
  }
  const kind = checkKind(input.kind);
  if (!input.apiKey) throw invalidArgument("provider.apiKey is required: the provider's API key", "provider.apiKey");
  const now = ctx.clock.now();
  const provider: OnCallProvider = {
    spaceId: ctx.space.id,
    name,
    kind,
    baseUrl: input.baseUrl ? checkDestination(input.baseUrl, "provider.baseUrl", ctx.outbound.allow) : DEFAULT_ON_CALL_URLS[kind],
    apiKey: input.apiKey,
    settings: checkSettings(kind, input.settings ?? {}),
    createdAt: now,
    updatedAt: now,
    lastSuccessAt: null,
    lastError: null,
    lastErrorAt: null,
  };
  return ctx.store.transaction(async (tx) => {
    if (await tx.onCallProviders.get(ctx.space.id, name))
      throw new DomainError("CONFLICT", `on-call provider "${name}" already exists; change it with PUT`);
    await tx.onCallProviders.insert(provider);
    await audit(tx, ctx, ctx.space, now, { event: "onCallProvider/created", resources: [providerRef(provider)] });
    return toWire(provider);
  });
}

/** Replaces a provider's settings; the API key is kept unless a new one is given, and must be given to move it elsewhere. */
export async function updateOnCallProvider({
  ctx,
  name,
  input,
}: {
  ctx: Context;
  name: string;
  input: OnCallProviderInput;
}): Promise<WireOnCallProvider> {
  requirePermission(ctx.access, "space.admin", "changing on-call providers");
  return ctx.store.transaction(async (tx) => {
    const current = await tx.onCallProviders.get(ctx.space.id, name);
    if (!current) throw missing(ctx, name);
    const kind = input.kind === undefined ? current.kind : checkKind(input.kind);
    const next: OnCallProvider = {
      ...current,
      kind,
      baseUrl: input.baseUrl
        ? checkDestination(input.baseUrl, "provider.baseUrl", ctx.outbound.allow)
        : kind === current.kind
          ? current.baseUrl
          : DEFAULT_ON_CALL_URLS[kind],
      apiKey: input.apiKey || current.apiKey,
      settings: checkSettings(kind, input.settings ?? current.settings),
      updatedAt: ctx.clock.now(),
      lastError: null,
      lastErrorAt: null,
    };
    // Another kind without a base URL moves the key to that provider's API: a move too.
    const labels = checkDestinationSecrets(
      { field: input.baseUrl ? "provider.baseUrl" : "provider.kind", from: current.baseUrl, to: next.baseUrl },
      [{ field: "provider.apiKey", given: Boolean(input.apiKey) }],
    );
    await tx.onCallProviders.update(next);
    await audit(tx, ctx, ctx.space, next.updatedAt, { event: "onCallProvider/updated", resources: [providerRef(next)], labels });
    tx.afterCommit(() => ctx.onCall.forget(ctx.space.id, name));
    return toWire(next);
  });
}

export async function deleteOnCallProvider({ ctx, name }: { ctx: Context; name: string }): Promise<void> {
  requirePermission(ctx.access, "space.admin", "changing on-call providers");
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.onCallProviders.delete(ctx.space.id, name))) throw missing(ctx, name);
    await audit(tx, ctx, ctx.space, ctx.clock.now(), { event: "onCallProvider/deleted", resources: [auditTarget("onCallProvider", name)] });
    tx.afterCommit(() => ctx.onCall.forget(ctx.space.id, name));
  });
}

function providerRef(provider: OnCallProvider): Resource {
  return { ...auditTarget("onCallProvider", provider.name), labels: { "greenlight.dev/provider": provider.kind } };
}

async function load(ctx: Context, name: string): Promise<OnCallProvider> {
  const provider = await ctx.store.read.onCallProviders.get(ctx.space.id, name);
  if (!provider) throw missing(ctx, name);
  return provider;
}

function missing(ctx: Context, name: string): DomainError {
  return notFound(`space "${ctx.space.name}" has no on-call provider "${name}"`);
}

function checkKind(kind: string | undefined): OnCallKind {
  if (!ON_CALL_KINDS.includes(kind as OnCallKind)) {
    throw invalidArgument(`provider.kind must be one of ${ON_CALL_KINDS.join(", ")}, not ${JSON.stringify(kind ?? "")}`, "provider.kind");
  }
  return kind as OnCallKind;
}

function checkSettings(kind: OnCallKind, settings: OnCallSettings): OnCallSettings {
  const out: OnCallSettings = {};
  const list = (values: string[] | undefined, field: string) => {
    if (values === undefined) return undefined;
    if (values.length > 100 || values.some((v) => typeof v !== "string" || v.length === 0 || v.length > 200)) {
      throw invalidArgument(
        `provider.settings.${field} must be at most 100 names or ids of 1 to 200 characters`,
        `provider.settings.${field}`,
      );
    }
    return [...values];
  };
  const schedules = list(settings.schedules, "schedules");
  const roles = list(settings.roles, "roles");
  if (roles && kind !== "incidentio")
    throw invalidArgument("provider.settings.roles applies to incident.io only", "provider.settings.roles");
  if (schedules && kind === "incidentio")
    throw invalidArgument("provider.settings.schedules does not apply to incident.io; use roles", "provider.settings.schedules");
  if (schedules) out.schedules = schedules;
  if (roles) out.roles = roles;
  if (settings.approveParticipants !== undefined) {
    if (kind !== "incidentio")
      throw invalidArgument("provider.settings.approveParticipants applies to incident.io only", "provider.settings.approveParticipants");
    out.approveParticipants = settings.approveParticipants;
  }
  for (const field of ["windowBeforeMinutes", "windowAfterMinutes"] as const) {
    const value = settings[field];
    if (value === undefined) continue;
    if (kind !== "pagerduty") throw invalidArgument(`provider.settings.${field} applies to PagerDuty only`, `provider.settings.${field}`);
    if (!Number.isInteger(value) || value < 0 || value > 1440) {
      throw invalidArgument(`provider.settings.${field} must be whole minutes from 0 to 1440`, `provider.settings.${field}`);
    }
    out[field] = value;
  }
  return out;
}
