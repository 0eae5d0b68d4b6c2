import type { Resource } from "../../domain/resource.js";
import { audit, auditTarget, type AuditOrigin } from "../audit/audit.js";
import { requirePermission } from "../../domain/access.js";
import { DomainError, invalidArgument, isDomainError, notFound } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import { checkPullKinds, checkSchedule, nextRunAfter, type PullPolicy, type PullRunResult } from "../../domain/pull-policy.js";
import { GROUP_NAME } from "../../domain/roles.js";
import type { Context, Services, SpaceRef } from "../runtime/context.js";
import { runPull } from "./pull-resources.js";
import type { PullPolicyInput, PullPolicyOut } from "../../contract/pulls.js";

function toWire(policy: PullPolicy, spaceName: string): PullPolicyOut {
  const out: PullPolicyOut = {
    meta: {
      name: policy.name,
      space: spaceName,
      displayName: policy.displayName,
      createTime: new Date(policy.createdAt).toISOString(),
      updateTime: new Date(policy.updatedAt).toISOString(),
    },
    schedule: policy.schedule,
    kinds: policy.kinds,
    flags: policy.flags,
    nextRunTime: new Date(policy.nextRunAt).toISOString(),
  };
  if (policy.lastRunAt !== null) out.lastRunTime = new Date(policy.lastRunAt).toISOString();
  if (policy.lastResult !== null) out.lastResult = policy.lastResult;
  return out;
}

export async function listPullPolicies({ ctx }: { ctx: Context }): Promise<{ pullPolicies: PullPolicyOut[] }> {
  requirePermission(ctx.access, "space.admin", "reading pull policies");
  return { pullPolicies: (await ctx.store.read.pullPolicies.list(ctx.space.id)).map((p) => toWire(p, ctx.space.name)) };
}

export async function getPullPolicy({ ctx, name }: { ctx: Context; name: string }): Promise<PullPolicyOut> {
  requirePermission(ctx.access, "space.admin", "reading pull policies");
  const policy = await ctx.store.read.pullPolicies.get(ctx.space.id, name);
  if (!policy) throw missing(ctx, name);
  return toWire(policy, ctx.space.name);
}

export async function createPullPolicy({ ctx, input }: { ctx: Context; input: PullPolicyInput }): Promise<PullPolicyOut> {
  requirePermission(ctx.access, "space.admin", "changing pull policies");
  const now = ctx.clock.now();
  const name = input.meta?.name || newId("pul", now);
  if (!GROUP_NAME.test(name)) {
    throw invalidArgument("pullPolicy.meta.name must be 1 to 63 lower-case letters, digits, '.', '_' or '-'", "pullPolicy.meta.name");
  }
  const schedule = checkSchedule(input.schedule, "pullPolicy.schedule");
  const policy: PullPolicy = {
    spaceId: ctx.space.id,
    name,
    displayName: input.meta?.displayName || name,
    schedule,
    kinds: checkPullKinds(input.kinds, "pullPolicy.kinds"),
    flags: input.flags ?? {},
    nextRunAt: nextRunAfter(schedule, now),
    lastRunAt: null,
    lastResult: null,
    createdAt: now,
    updatedAt: now,
  };
  return ctx.store.transaction(async (tx) => {
    if (await tx.pullPolicies.get(ctx.space.id, name))
      throw new DomainError("CONFLICT", `pull policy "${name}" already exists; change it with PUT`);
    await tx.pullPolicies.insert(policy);
    await audit(tx, ctx, ctx.space, now, { event: "pullPolicy/created", resources: [pullRef(policy)] });
    tx.afterCommit(() => ctx.notifier.pullScheduled(policy.nextRunAt));
    return toWire(policy, ctx.space.name);
  });
}

/** Replaces a policy's schedule, kinds and flags; its next run follows the new schedule. */
export async function updatePullPolicy({
  ctx,
  name,
  input,
}: {
  ctx: Context;
  name: string;
  input: PullPolicyInput;
}): Promise<PullPolicyOut> {
  requirePermission(ctx.access, "space.admin", "changing pull policies");
  const now = ctx.clock.now();
  const schedule = checkSchedule(input.schedule, "pullPolicy.schedule");
  const kinds = checkPullKinds(input.kinds, "pullPolicy.kinds");
  return ctx.store.transaction(async (tx) => {
    const current = await tx.pullPolicies.get(ctx.space.id, name);
    if (!current) throw missing(ctx, name);
    const policy: PullPolicy = {
      ...current,
      displayName: input.meta?.displayName || current.displayName,
      schedule,
      kinds,
      flags: input.flags ?? {},
      nextRunAt: schedule === current.schedule ? current.nextRunAt : nextRunAfter(schedule, now),
      updatedAt: now,
    };
    await tx.pullPolicies.update(policy);
    await audit(tx, ctx, ctx.space, now, { event: "pullPolicy/updated", resources: [pullRef(policy)] });
    tx.afterCommit(() => ctx.notifier.pullScheduled(policy.nextRunAt));
    return toWire(policy, ctx.space.name);
  });
}

export async function deletePullPolicy({ ctx, name }: { ctx: Context; name: string }): Promise<void> {
  requirePermission(ctx.access, "space.admin", "changing pull policies");
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.pullPolicies.delete(ctx.space.id, name))) throw missing(ctx, name);
    await audit(tx, ctx, ctx.space, ctx.clock.now(), { event: "pullPolicy/deleted", resources: [auditTarget("pullPolicy", name)] });
  });
}

function pullRef(policy: PullPolicy): Resource {
  return {
    ...auditTarget("pullPolicy", policy.name),
    labels: { "greenlight.dev/schedule": policy.schedule, "greenlight.dev/kinds": policy.kinds.join(",") },
  };
}

/** Runs a pull policy now, outside its schedule (which goes on as before), and records the result. */
export async function runPullPolicyNow({ ctx, name }: { ctx: Context; name: string }): Promise<PullPolicyOut> {
  requirePermission(ctx.access, "space.admin", "running pull policies");
  const policy = await ctx.store.read.pullPolicies.get(ctx.space.id, name);
  if (!policy) throw missing(ctx, name);
  const result = await pullAndSummarize(ctx, policy);
  await recordPullRun(ctx, policy, result);
  return toWire({ ...policy, lastRunAt: result.at, lastResult: result.result }, ctx.space.name);
}

/** Records a run's result on the policy, and in the audit log. */
export async function recordPullRun(
  ctx: Services & AuditOrigin & { space: SpaceRef },
  policy: PullPolicy,
  run: { at: number; result: PullRunResult },
): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    await tx.pullPolicies.recordRun(ctx.space.id, policy.name, run.at, run.result);
    await audit(tx, ctx, ctx.space, ctx.clock.now(), {
      event: "pullPolicy/ran",
      resources: [auditTarget("pullPolicy", policy.name)],
      reason: run.result.errors.join("; "),
      labels: { "greenlight.dev/resources": String(run.result.resources) },
    });
  });
}

/** A policy's pull, its failures kept as the run's result rather than thrown. */
export async function pullAndSummarize(
  ctx: Services & AuditOrigin & { space: SpaceRef },
  policy: PullPolicy,
): Promise<{ at: number; result: PullRunResult }> {
  const at = ctx.clock.now();
  const started = performance.now();
  try {
    const outcome = await runPull(ctx, ctx.space, policy.kinds, policy.flags);
    return {
      at,
      result: {
        resources: outcome.resources.length,
        errors: outcome.webhooks.flatMap((w) => (w.error === undefined ? [] : [`${w.webhook}: ${w.error}`])),
        durationMs: Math.round(performance.now() - started),
      },
    };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { at, result: { resources: 0, errors: [error.message], durationMs: Math.round(performance.now() - started) } };
  }
}

function missing(ctx: Context, name: string): DomainError {
  return notFound(`space "${ctx.space.name}" has no pull policy "${name}"`);
}
