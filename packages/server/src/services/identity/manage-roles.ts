import { requirePermission } from "../../domain/access.js";
import { SERVICE_ACCOUNT_KIND } from "../../domain/actor.js";
import { invalidArgument } from "../../domain/errors.js";
import type { Resource } from "../../domain/resource.js";
import { emailProblem, normalizeEmail } from "../../domain/email.js";
import { formatMember, parseMember, parseRole, ROLES, type Member, type Role } from "../../domain/roles.js";
import type { Binding } from "../../store/repositories/role-bindings.js";
import type { Tx } from "../../store/store.js";
import { audit, auditTarget } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";
import type { RoleBindingsOut, RoleChangeInput } from "../../contract/roles.js";
import type { ResourceInput } from "../../contract/resources.js";

export async function getPolicy({ ctx }: { ctx: Context }): Promise<RoleBindingsOut> {
  requirePermission(ctx.access, "space.admin", "reading the space's role bindings");
  return toWirePolicy(await ctx.store.read.roleBindings.list(ctx.space.id));
}

/** Replaces every binding of the space with `policy`'s. */
export async function setPolicy({ ctx, policy }: { ctx: Context; policy: { bindings?: Array<{ role?: string; members?: string[] }> } }) {
  requirePermission(ctx.access, "space.admin", "changing the space's role bindings");
  const bindings: Binding[] = [];
  (policy.bindings ?? []).forEach((binding, i) => {
    const role = parseRole(binding.role ?? "", `policy.bindings[${i}].role`);
    (binding.members ?? []).forEach((text, j) => {
      bindings.push({ role, member: formatMember(parseMember(text, `policy.bindings[${i}].members[${j}]`)) });
    });
  });
  return ctx.store.transaction(async (tx) => {
    for (const [i, binding] of bindings.entries()) await checkMemberExists(tx, ctx, parseMember(binding.member, `policy.bindings[${i}]`));
    const now = ctx.clock.now();
    await tx.roleBindings.replaceAll(ctx.space.id, bindings, now);
    await audit(tx, ctx, ctx.space, now, {
      event: "roles/replaced",
      resources: bindings.map((b) => memberResource(parseMember(b.member, "member"), b.role)),
    });
    return toWirePolicy(await tx.roleBindings.list(ctx.space.id));
  });
}

export async function addToRole({ ctx, input }: { ctx: Context; input: RoleChangeInput }): Promise<RoleBindingsOut> {
  requirePermission(ctx.access, "space.admin", "changing the space's role bindings");
  const { role, member } = parseRoleChange(input);
  return ctx.store.transaction(async (tx) => {
    await checkMemberExists(tx, ctx, member);
    const now = ctx.clock.now();
    await tx.roleBindings.add(ctx.space.id, { role, member: formatMember(member) }, now);
    await audit(tx, ctx, ctx.space, now, { event: "role/added", resources: [memberResource(member, role)] });
    return toWirePolicy(await tx.roleBindings.list(ctx.space.id));
  });
}

/** Removes a binding; removing one that is not there changes nothing. */
export async function removeFromRole({ ctx, input }: { ctx: Context; input: RoleChangeInput }): Promise<RoleBindingsOut> {
  requirePermission(ctx.access, "space.admin", "changing the space's role bindings");
  const { role, member } = parseRoleChange(input);
  return ctx.store.transaction(async (tx) => {
    await tx.roleBindings.remove(ctx.space.id, { role, member: formatMember(member) });
    await audit(tx, ctx, ctx.space, ctx.clock.now(), { event: "role/removed", resources: [memberResource(member, role)] });
    return toWirePolicy(await tx.roleBindings.list(ctx.space.id));
  });
}

/** A role's member as an event names it, with the role in a label. */
function memberResource(member: Member, role: Role): Resource {
  const labels = { "greenlight.dev/role": role };
  if (member.type === "user") return { kind: "user", email: member.email, labels };
  if (member.type === "group") return { ...auditTarget("group", member.name), labels };
  return { ...auditTarget("serviceAccount", member.id), labels };
}

function parseRoleChange(input: RoleChangeInput): { role: Role; member: Member } {
  const role = parseRole(input.role ?? "", "role");
  if (input.member !== undefined) return { role, member: parseMember(input.member, "member") };
  if (input.user !== undefined) return { role, member: memberOfResource(input.user) };
  throw invalidArgument(
    `name who to bind: member ("user:alice@example.com") or user ({"kind": "user", "email": "alice@example.com"})`,
    "member",
  );
}

/** A member from Indent's resource form: a user by email, a service account or a group by id. */
function memberOfResource(user: ResourceInput): Member {
  const kind = (user.kind ?? "user").toLowerCase();
  if (kind === SERVICE_ACCOUNT_KIND.toLowerCase() || kind === "serviceaccount")
    return parseMember(`serviceAccount:${user.id ?? ""}`, "user.id");
  if (kind === "group") return parseMember(`group:${user.id ?? ""}`, "user.id");
  const email = normalizeEmail(user.email ?? user.id ?? "");
  if (email === undefined)
    throw invalidArgument(`user.email must be the person's email address: ${emailProblem(user.email ?? user.id ?? "")}`, "user.email");
  return { type: "user", email };
}

async function checkMemberExists(tx: Tx, ctx: Context, member: Member): Promise<void> {
  if (member.type === "serviceAccount") {
    const account = await tx.serviceAccounts.get(ctx.space.id, member.id);
    if (!account || account.deletedAt !== null) {
      throw invalidArgument(`there is no service account ${member.id} in space "${ctx.space.name}"`, "member");
    }
  } else if (member.type === "group" && !(await tx.groups.get(ctx.space.id, member.name))) {
    throw invalidArgument(`there is no group "${member.name}" in space "${ctx.space.name}"; create it first (POST .../groups)`, "member");
  }
}

function toWirePolicy(bindings: Binding[]): RoleBindingsOut {
  return {
    bindings: ROLES.map((role) => ({ role, members: bindings.filter((b) => b.role === role).map((b) => b.member) })).filter(
      (binding) => binding.members.length > 0,
    ),
  };
}
