import { compilePolicy, defaultPolicy, type CompiledPolicy, type PolicyContext } from "../../domain/policy.js";
import type { Repositories, Store } from "../../store/store.js";
import type { Services, SpaceRef } from "../runtime/context.js";

/**
 * The compiled access policy in force in a space. Compiling a large policy takes
 * milliseconds, so the compiled form is kept per space and version, and which version is in
 * force is remembered for a moment: a burst of petitions looks it up once. A policy saved
 * here is seen at once (`forgetPolicy`); one saved by another server within that moment.
 */
const REMEMBER_MS = 1000;
const compiled = new WeakMap<Store, Map<string, { version: number | null; policy: CompiledPolicy; checkedUntil: number }>>();

export async function currentPolicy(services: Services, repos: Repositories, space: SpaceRef): Promise<CompiledPolicy> {
  let bySpace = compiled.get(services.store.base);
  if (!bySpace) {
    bySpace = new Map();
    compiled.set(services.store.base, bySpace);
  }
  const now = services.clock.now();
  const cached = bySpace.get(space.id);
  if (cached && cached.checkedUntil > now) return cached.policy;
  const version = (await repos.policies.currentVersion(space.id)) ?? null;
  if (cached && cached.version === version) {
    cached.checkedUntil = now + REMEMBER_MS;
    return cached.policy;
  }

  const stored = version === null ? undefined : await repos.policies.get(space.id, version);
  const context = runtimeContext(services);
  const policy =
    stored && stored.document !== null ? compilePolicy(stored.document, context, stored.version) : { ...defaultPolicy(context), version };
  bySpace.set(space.id, { version, policy, checkedUntil: now + REMEMBER_MS });
  return policy;
}

/** Forgets which policy is in force in a space, as when one was just saved. */
export function forgetPolicy(services: Services, spaceId: string): void {
  compiled.get(services.store.base)?.delete(spaceId);
}

/**
 * Whether the space has any webhook policy, remembered for a moment like the policy: when it
 * has none (the common case) no decision webhook can apply, and a petition needs no network.
 */
const webhookPolicyCounts = new WeakMap<Store, Map<string, { count: number; until: number }>>();

export async function hasWebhookPolicies(services: Services, space: SpaceRef): Promise<boolean> {
  let bySpace = webhookPolicyCounts.get(services.store.base);
  if (!bySpace) {
    bySpace = new Map();
    webhookPolicyCounts.set(services.store.base, bySpace);
  }
  const now = services.clock.now();
  const cached = bySpace.get(space.id);
  if (cached && cached.until > now) return cached.count > 0;
  const count = (await services.store.read.webhookPolicies.list(space.id)).length;
  bySpace.set(space.id, { count, until: now + REMEMBER_MS });
  return count > 0;
}

export function forgetWebhookPolicies(services: Services, spaceId: string): void {
  webhookPolicyCounts.get(services.store.base)?.delete(spaceId);
}

/** How stored policies are compiled for use: references were checked when they were saved. */
export function runtimeContext(services: Services): PolicyContext {
  return {
    groups: null,
    serviceAccounts: null,
    limits: services.limits,
    defaultPendingTimeoutMs: services.autoDecisions.defaultPendingTimeoutMs,
    stored: true,
  };
}

/** How a policy being saved or tried is checked: against the space's groups and service accounts. */
export async function savingContext(services: Services, repos: Repositories, space: SpaceRef): Promise<PolicyContext> {
  const [groups, serviceAccounts] = await Promise.all([repos.groups.allNames(space.id), repos.serviceAccounts.liveNames(space.id)]);
  return {
    groups: new Set(groups),
    serviceAccounts: new Set(serviceAccounts),
    limits: services.limits,
    defaultPendingTimeoutMs: services.autoDecisions.defaultPendingTimeoutMs,
  };
}
