import type { Resource } from "../../domain/resource.js";
import { audit, auditTarget } from "../audit/audit.js";
import { requirePermission } from "../../domain/access.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import { GROUP_NAME } from "../../domain/roles.js";
import { compileWebhookPolicy, type WebhookPolicy } from "../../domain/webhook-policy.js";
import type { Context } from "../runtime/context.js";
import { forgetWebhookPolicies } from "./space-policy.js";
import type { WebhookPolicyInput, WebhookPolicyOut } from "../../contract/webhook-policies.js";

function toWire(policy: WebhookPolicy, spaceName: string): WebhookPolicyOut {
  return {
    meta: {
      name: policy.name,
      space: spaceName,
      displayName: policy.displayName,
      labels: policy.labels,
      createTime: new Date(policy.createdAt).toISOString(),
      updateTime: new Date(policy.updatedAt).toISOString(),
    },
    base: { selector: policy.selector, conditions: policy.conditions.map((expression) => ({ expression })) },
    webhooks: policy.webhooks.map((name) => ({ name })),
  };
}

export async function listWebhookPolicies({ ctx }: { ctx: Context }) {
  requirePermission(ctx.access, "space.admin", "reading webhook policies");
  return { webhookPolicies: (await ctx.store.read.webhookPolicies.list(ctx.space.id)).map((p) => toWire(p, ctx.space.name)) };
}

export async function getWebhookPolicy({ ctx, name }: { ctx: Context; name: string }): Promise<WebhookPolicyOut> {
  requirePermission(ctx.access, "space.admin", "reading webhook policies");
  const policy = await ctx.store.read.webhookPolicies.get(ctx.space.id, name);
  if (!policy) throw missing(ctx, name);
  return toWire(policy, ctx.space.name);
}

export async function createWebhookPolicy({ ctx, input }: { ctx: Context; input: WebhookPolicyInput }): Promise<WebhookPolicyOut> {
  requirePermission(ctx.access, "space.admin", "changing webhook policies");
  const now = ctx.clock.now();
  const name = input.meta?.name || newId("whp", now);
  if (!GROUP_NAME.test(name)) {
    throw invalidArgument("webhookPolicy.meta.name must be 1 to 63 lower-case letters, digits, '.', '_' or '-'", "webhookPolicy.meta.name");
  }
  return ctx.store.transaction(async (tx) => {
    if (await tx.webhookPolicies.get(ctx.space.id, name))
      throw new DomainError("CONFLICT", `webhook policy "${name}" already exists; change it with PUT`);
    const policy = await checked(tx.webhooks, ctx, { spaceId: ctx.space.id, name, createdAt: now, updatedAt: now }, input);
    await tx.webhookPolicies.insert(policy);
    await audit(tx, ctx, ctx.space, now, { event: "webhookPolicy/created", resources: [policyRef(policy)] });
    tx.afterCommit(() => forgetWebhookPolicies(ctx, ctx.space.id));
    return toWire(policy, ctx.space.name);
  });
}

export async function updateWebhookPolicy({
  ctx,
  name,
  input,
}: {
  ctx: Context;
  name: string;
  input: WebhookPolicyInput;
}): Promise<WebhookPolicyOut> {
  requirePermission(ctx.access, "space.admin", "changing webhook policies");
  return ctx.store.transaction(async (tx) => {
    const current = await tx.webhookPolicies.get(ctx.space.id, name);
    if (!current) throw missing(ctx, name);
    const policy = await checked(
      tx.webhooks,
      ctx,
      { spaceId: ctx.space.id, name, createdAt: current.createdAt, updatedAt: ctx.clock.now() },
      input,
    );
    await tx.webhookPolicies.update(policy);
    await audit(tx, ctx, ctx.space, policy.updatedAt, { event: "webhookPolicy/updated", resources: [policyRef(policy)] });
    tx.afterCommit(() => forgetWebhookPolicies(ctx, ctx.space.id));
    return toWire(policy, ctx.space.name);
  });
}

export async function deleteWebhookPolicy({ ctx, name }: { ctx: Context; name: string }): Promise<void> {
  requirePermission(ctx.access, "space.admin", "changing webhook policies");
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.webhookPolicies.delete(ctx.space.id, name))) throw missing(ctx, name);
    await audit(tx, ctx, ctx.space, ctx.clock.now(), { event: "webhookPolicy/deleted", resources: [auditTarget("webhookPolicy", name)] });
    tx.afterCommit(() => forgetWebhookPolicies(ctx, ctx.space.id));
  });
}

function policyRef(policy: WebhookPolicy): Resource {
  return { ...auditTarget("webhookPolicy", policy.name), labels: { "greenlight.dev/webhooks": policy.webhooks.join(",") } };
}

async function checked(
  webhooks: { get(spaceId: string, name: string): Promise<unknown> },
  ctx: Context,
  base: Pick<WebhookPolicy, "spaceId" | "name" | "createdAt" | "updatedAt">,
  input: WebhookPolicyInput,
): Promise<WebhookPolicy> {
  const conditions = (input.base?.conditions ?? []).map((condition, i) => {
    const expression = typeof condition === "string" ? condition : condition.expression;
    if (!expression)
      throw invalidArgument(`webhookPolicy.base.conditions[${i}] needs an expression`, `webhookPolicy.base.conditions[${i}]`);
    return expression;
  });
  const names = (input.webhooks ?? []).map((webhook, i) => {
    if (!webhook.name) throw invalidArgument(`webhookPolicy.webhooks[${i}] needs a name`, `webhookPolicy.webhooks[${i}].name`);
    return webhook.name;
  });
  if (names.length === 0) throw invalidArgument("webhookPolicy.webhooks must name at least one webhook", "webhookPolicy.webhooks");
  for (const [i, name] of names.entries()) {
    if (!(await webhooks.get(ctx.space.id, name))) {
      throw invalidArgument(
        `webhookPolicy.webhooks[${i}] names webhook "${name}", which this space does not have`,
        `webhookPolicy.webhooks[${i}].name`,
      );
    }
  }
  const policy: WebhookPolicy = {
    ...base,
    displayName: input.meta?.displayName || base.name,
    labels: input.meta?.labels ?? {},
    selector: input.base?.selector ?? {},
    conditions,
    webhooks: [...new Set(names)],
  };
  compileWebhookPolicy(policy, "webhookPolicy");
  return policy;
}

function missing(ctx: Context, name: string): DomainError {
  return notFound(`space "${ctx.space.name}" has no webhook policy "${name}"`);
}
