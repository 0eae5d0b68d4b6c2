import { requirePermission } from "../../domain/access.js";
import { actorResource } from "../../domain/actor.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import { serviceAccountEmail, type ServiceAccount } from "../../domain/identity.js";
import { normalizeEmail } from "../../domain/email.js";
import { isEmail, parseRole, type Role } from "../../domain/roles.js";
import { toWireResource } from "../../domain/wire.js";
import type { Repositories, Tx } from "../../store/store.js";
import type { Resource } from "../../domain/resource.js";
import { audit, auditTarget } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";
import { paginate } from "../runtime/paginate.js";
import { newServiceAccountId } from "./secrets.js";
import type { ListServiceAccountsQuery, ServiceAccountInput, ServiceAccountOut } from "../../contract/service-accounts.js";

const NAME = /^[a-z][a-z0-9-]{1,62}$/;

export async function createServiceAccount({ ctx, input }: { ctx: Context; input: ServiceAccountInput }): Promise<ServiceAccountOut> {
  requirePermission(ctx.access, "space.admin", "managing service accounts");
  const name = input.name ?? "";
  if (!NAME.test(name)) {
    throw invalidArgument(
      `serviceAccount.name must be 2 to 63 lower-case letters, digits and '-', starting with a letter, such as "deploy-bot"; got ${JSON.stringify(name.slice(0, 80))}`,
      "serviceAccount.name",
    );
  }
  if (input.email !== undefined && !isEmail(input.email)) invalidEmail();
  const roles = parseRoles(input.roles);
  return ctx.store.transaction(async (tx) => {
    if (await tx.serviceAccounts.findLiveByName(ctx.space.id, name)) {
      throw new DomainError("CONFLICT", `a service account named "${name}" already exists in space "${ctx.space.name}"`);
    }
    const now = ctx.clock.now();
    const account: ServiceAccount = {
      id: newServiceAccountId(),
      spaceId: ctx.space.id,
      name,
      displayName: input.displayName || name,
      email: normalizeEmail(input.email ?? serviceAccountEmail(name, ctx.space.name)) ?? invalidEmail(),
      labels: { ...(input.labels ?? {}) },
      createdBy: actorResource(ctx.actor),
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await tx.serviceAccounts.insert(account);
    for (const role of roles ?? []) await tx.roleBindings.add(ctx.space.id, { role, member: memberOf(account) }, now);
    await audit(tx, ctx, ctx.space, now, { event: "serviceAccount/created", resources: [accountRef(account, roles)] });
    return toWire(tx, ctx, account);
  });
}

export async function listServiceAccounts({
  ctx,
  query,
}: {
  ctx: Context;
  query: ListServiceAccountsQuery;
}): Promise<{ serviceAccounts: ServiceAccountOut[]; nextPageToken: string }> {
  requirePermission(ctx.access, "space.admin", "managing service accounts");
  const includeDeleted = query.showDeleted ?? false;
  const repos = ctx.store.read;
  const page = await paginate(
    query,
    ["serviceAccounts", String(includeDeleted)],
    (after, limit) => repos.serviceAccounts.list(ctx.space.id, { after, limit, includeDeleted }),
    (account) => account.id,
  );
  return {
    serviceAccounts: await Promise.all(page.items.map((account) => toWire(repos, ctx, account))),
    nextPageToken: page.nextPageToken,
  };
}

export async function getServiceAccount({ ctx, id }: { ctx: Context; id: string }): Promise<ServiceAccountOut> {
  requirePermission(ctx.access, "space.admin", "managing service accounts");
  return toWire(ctx.store.read, ctx, await loadServiceAccount(ctx.store.read, ctx, id, { includeDeleted: true }));
}

/** Changes the display name, labels and, when given, the roles (replacing them). */
export async function updateServiceAccount({
  ctx,
  id,
  input,
}: {
  ctx: Context;
  id: string;
  input: ServiceAccountInput;
}): Promise<ServiceAccountOut> {
  requirePermission(ctx.access, "space.admin", "managing service accounts");
  if (input.name !== undefined && input.name !== "")
    throw invalidArgument("a service account cannot be renamed; create another", "serviceAccount.name");
  if (input.email !== undefined)
    throw invalidArgument("a service account's email cannot change: its tokens carry it", "serviceAccount.email");
  const roles = parseRoles(input.roles);
  return ctx.store.transaction(async (tx) => {
    const existing = await loadServiceAccount(tx, ctx, id, { includeDeleted: false });
    const now = ctx.clock.now();
    const account: ServiceAccount = {
      ...existing,
      displayName: input.displayName || existing.displayName,
      labels: input.labels !== undefined ? { ...input.labels } : existing.labels,
      updatedAt: now,
    };
    await tx.serviceAccounts.update(account);
    if (roles !== undefined) {
      await tx.roleBindings.removeMember(ctx.space.id, memberOf(account));
      for (const role of roles) await tx.roleBindings.add(ctx.space.id, { role, member: memberOf(account) }, now);
    }
    await audit(tx, ctx, ctx.space, now, { event: "serviceAccount/updated", resources: [accountRef(account, roles)] });
    return toWire(tx, ctx, account);
  });
}

/** Deletes the account: its tokens stop working at once and its roles are unbound. */
export async function deleteServiceAccount({ ctx, id }: { ctx: Context; id: string }): Promise<void> {
  requirePermission(ctx.access, "space.admin", "managing service accounts");
  await ctx.store.transaction(async (tx) => {
    const account = await loadServiceAccount(tx, ctx, id, { includeDeleted: false });
    const now = ctx.clock.now();
    await tx.serviceAccounts.update({ ...account, deletedAt: now, updatedAt: now });
    await tx.tokens.revokeAllOf(ctx.space.id, account.id, now);
    await tx.roleBindings.removeMember(ctx.space.id, memberOf(account));
    await audit(tx, ctx, ctx.space, now, { event: "serviceAccount/deleted", resources: [accountRef(account, undefined)] });
  });
}

/** The account as an event names it; the roles it was given, when they changed. */
function accountRef(account: ServiceAccount, roles: string[] | undefined): Resource {
  const ref: Resource = { ...auditTarget("serviceAccount", account.id, account.displayName), email: account.email };
  if (roles !== undefined) ref.labels = { "greenlight.dev/roles": roles.join(",") };
  return ref;
}

export async function loadServiceAccount(
  repos: Repositories,
  ctx: Context,
  id: string,
  options: { includeDeleted: boolean },
): Promise<ServiceAccount> {
  const account = await repos.serviceAccounts.get(ctx.space.id, id);
  if (!account || (!options.includeDeleted && account.deletedAt !== null)) {
    throw notFound(`service account ${id} does not exist in space "${ctx.space.name}"${account ? " (it was deleted)" : ""}`);
  }
  return account;
}

function memberOf(account: ServiceAccount): string {
  return `serviceAccount:${account.id}`;
}

function parseRoles(roles: string[] | undefined): Role[] | undefined {
  return roles?.map((role, i) => parseRole(role, `serviceAccount.roles[${i}]`));
}

function invalidEmail(): never {
  throw invalidArgument("serviceAccount.email must be an email address", "serviceAccount.email");
}

async function toWire(repos: Repositories | Tx, ctx: Context, account: ServiceAccount): Promise<ServiceAccountOut> {
  const roles = await repos.roleBindings.rolesOf(ctx.space.id, [memberOf(account)]);
  const time = (ms: number) => new Date(ms).toISOString();
  return {
    name: account.name,
    serviceAccountId: account.id,
    displayName: account.displayName,
    email: account.email,
    labels: account.labels,
    roles,
    meta: {
      name: account.id,
      space: ctx.space.name,
      displayName: account.displayName,
      labels: account.labels,
      createTime: time(account.createdAt),
      updateTime: time(account.updatedAt),
      ...(account.deletedAt !== null ? { deleteTime: time(account.deletedAt) } : {}),
    },
    createdBy: toWireResource(account.createdBy),
  };
}
