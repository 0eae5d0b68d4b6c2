import { compilePolicy, defaultPolicy, type CompiledPolicy, type PolicyContext } from "../domain/policy.js";
import type { Repositories, Store } from "../store/store.js";
import type { Services, SpaceRef } from "./context.js";

/**
 * The compiled access policy in force in a space. Compiling a large policy takes
 * milliseconds, so the compiled form is kept per space and version; each use costs one lookup
 * of the current version number.
 */
const compiled = new WeakMap<Store, Map<string, { version: number | null; policy: CompiledPolicy }>>();

export async function currentPolicy(services: Services, repos: Repositories, space: SpaceRef): Promise<CompiledPolicy> {
  let bySpace = compiled.get(services.store.base);
  if (!bySpace) {
    bySpace = new Map();
    compiled.set(services.store.base, bySpace);
  }
  const version = (await repos.policies.currentVersion(space.id)) ?? null;
  const cached = bySpace.get(space.id);
  if (cached && cached.version === version) return cached.policy;

  const stored = version === null ? undefined : await repos.policies.get(space.id, version);
  const context = runtimeContext(services);
  const policy =
    stored && stored.document !== null ? compilePolicy(stored.document, context, stored.version) : { ...defaultPolicy(context), version };
  bySpace.set(space.id, { version, policy });
  return policy;
}

/** How stored policies are compiled for use: references were checked when they were saved. */
export function runtimeContext(services: Services): PolicyContext {
  return {
    groups: null,
    serviceAccounts: null,
    limits: services.limits,
    defaultPendingTimeoutMs: services.autoDecisions.defaultPendingTimeoutMs,
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
