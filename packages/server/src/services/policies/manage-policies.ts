import { canonicalJson, hashAuditText } from "../../domain/audit.js";
import { audit, auditTarget } from "../audit/audit.js";
import { actorKey } from "../../domain/actor.js";
import { requirePermission } from "../../domain/access.js";
import { DomainError, notFound } from "../../domain/errors.js";
import { compilePolicy } from "../../domain/policy.js";
import type { StoredPolicy } from "../../store/repositories/policies.js";
import type { Context } from "../runtime/context.js";
import { forgetPolicy, savingContext } from "./space-policy.js";
import type { AccessPolicyOut, PolicyVersionOut, PolicyVersionsQuery } from "../../contract/policies.js";
import type { PolicyDocument } from "../../contract/policy-document.js";

const MAX_VERSIONS_PAGE = 100;

function toWire(stored: StoredPolicy | undefined): AccessPolicyOut {
  if (!stored) return { version: 0, policy: null };
  return {
    version: stored.version,
    // A version is stored only once compilePolicy has accepted it as a document.
    policy: stored.document as PolicyDocument | null,
    createTime: new Date(stored.createdAt).toISOString(),
    createdBy: stored.createdBy,
  };
}

export async function getPolicy({ ctx }: { ctx: Context }): Promise<AccessPolicyOut> {
  requirePermission(ctx.access, "petitions.read-all", "reading the access policy");
  return toWire(await ctx.store.read.policies.current(ctx.space.id));
}

export async function getPolicyVersion({ ctx, version }: { ctx: Context; version: number }): Promise<AccessPolicyOut> {
  requirePermission(ctx.access, "petitions.read-all", "reading the access policy");
  const stored = await ctx.store.read.policies.get(ctx.space.id, version);
  if (!stored) throw notFound(`space "${ctx.space.name}" has no policy version ${version}`);
  return toWire(stored);
}

export async function listPolicyVersions({ ctx, query }: { ctx: Context; query: PolicyVersionsQuery }) {
  requirePermission(ctx.access, "petitions.read-all", "reading the access policy");
  const limit = Math.min(Math.max(query.pageSize ?? 50, 1), MAX_VERSIONS_PAGE);
  const before = query.pageToken ? Number(query.pageToken) : undefined;
  if (before !== undefined && !Number.isSafeInteger(before)) {
    throw new DomainError("INVALID_ARGUMENT", "pageToken is not one this server gave; start again without it", "pageToken");
  }
  const rows = await ctx.store.read.policies.list(ctx.space.id, { before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const versions: PolicyVersionOut[] = page.map((row) => ({
    version: row.version,
    removed: row.document === null,
    createTime: new Date(row.createdAt).toISOString(),
    createdBy: row.createdBy,
  }));
  return { versions, nextPageToken: rows.length > limit ? String(page.at(-1)!.version) : "" };
}

/**
 * Checks a policy without saving it: INVALID_ARGUMENT says where the first problem is.
 * Returns how many rules it has.
 */
export async function validatePolicy({ ctx, document }: { ctx: Context; document: unknown }): Promise<{ valid: true; rules: number }> {
  requirePermission(ctx.access, "space.admin", "checking access policies");
  const compiled = compilePolicy(document, await savingContext(ctx, ctx.store.read, ctx.space));
  return { valid: true, rules: compiled.rules.length };
}

/**
 * Saves a policy as the space's next version, once it compiles against the space's groups and
 * service accounts. `expectedVersion` makes the save conditional: it is refused with CONFLICT
 * if someone saved a version since the one the writer read. Petitions already made keep the
 * plan they were made under.
 */
export async function putPolicy({
  ctx,
  document,
  expectedVersion,
  actorLabel,
}: {
  ctx: Context;
  document: unknown | null;
  expectedVersion?: number;
  /** Who saved it, when that is not the request's actor (a policy file at start). */
  actorLabel?: string;
}): Promise<AccessPolicyOut> {
  requirePermission(ctx.access, "space.admin", "changing the access policy");
  if (document !== null) compilePolicy(document, await savingContext(ctx, ctx.store.read, ctx.space));
  return ctx.store.transaction(async (tx) => {
    const current = (await tx.policies.currentVersion(ctx.space.id)) ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== current) {
      throw new DomainError(
        "CONFLICT",
        `the policy is at version ${current}, not ${expectedVersion}: someone saved it since you read it; read it again and reapply your change`,
      );
    }
    if (document !== null) {
      // The groups may have changed since the check above; check again where it counts.
      compilePolicy(document, await savingContext(ctx, tx, ctx.space));
    }
    const stored: StoredPolicy = {
      version: current + 1,
      document,
      createdAt: ctx.clock.now(),
      createdBy: actorLabel ?? actorKey(ctx.actor),
    };
    await tx.policies.insert(ctx.space.id, stored);
    await audit(tx, ctx, ctx.space, stored.createdAt, {
      event: document === null ? "policy/deleted" : "policy/saved",
      resources: [auditTarget("policy", `v${stored.version}`)],
      labels: {
        "greenlight.dev/policy/version": String(stored.version),
        // What was saved, so an export can be checked against the stored version.
        ...(document === null ? {} : { "greenlight.dev/policy/sha256": hashAuditText(canonicalJson(document)) }),
        ...(actorLabel === undefined ? {} : { "greenlight.dev/saved-by": actorLabel }),
      },
    });
    tx.afterCommit(() => forgetPolicy(ctx, ctx.space.id));
    return toWire(stored);
  });
}

export async function deletePolicy({ ctx, expectedVersion }: { ctx: Context; expectedVersion?: number }): Promise<AccessPolicyOut> {
  return putPolicy({ ctx, document: null, ...(expectedVersion === undefined ? {} : { expectedVersion }) });
}
