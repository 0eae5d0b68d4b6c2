import { requirePermission } from "../../domain/access.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import { emailProblem, normalizeEmail } from "../../domain/email.js";
import { GROUP_NAME } from "../../domain/roles.js";
import type { Group } from "../../store/repositories/groups.js";
import type { Resource } from "../../domain/resource.js";
import { audit, auditTarget } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";
import { paginate } from "../runtime/paginate.js";
import type { GroupInput, GroupOut } from "../../contract/groups.js";
import type { PagingQuery } from "../../contract/common.js";

const MAX_MEMBERS = 1000;

function toWireGroup(group: Group): GroupOut {
  return {
    name: group.name,
    displayName: group.displayName,
    members: group.members,
    createTime: new Date(group.createdAt).toISOString(),
    updateTime: new Date(group.updatedAt).toISOString(),
  };
}

export async function listGroups({ ctx, query }: { ctx: Context; query: PagingQuery }) {
  requirePermission(ctx.access, "space.admin", "reading groups");
  const page = await paginate(
    query,
    ["groups"],
    (after, limit) => ctx.store.read.groups.list(ctx.space.id, { after, limit }),
    (group) => group.name,
  );
  return { groups: page.items.map(toWireGroup), nextPageToken: page.nextPageToken };
}

export async function getGroup({ ctx, name }: { ctx: Context; name: string }): Promise<GroupOut> {
  requirePermission(ctx.access, "space.admin", "reading groups");
  const group = await ctx.store.read.groups.get(ctx.space.id, name);
  if (!group) throw groupNotFound(ctx, name);
  return toWireGroup(group);
}

export async function createGroup({ ctx, input }: { ctx: Context; input: GroupInput }): Promise<GroupOut> {
  requirePermission(ctx.access, "space.admin", "changing groups");
  const name = input.name ?? "";
  if (!GROUP_NAME.test(name)) {
    throw invalidArgument(
      `group.name must be 1 to 63 lower-case letters, digits, '.', '_' or '-', such as "sre-oncall"; got ${JSON.stringify(name.slice(0, 80))}`,
      "group.name",
    );
  }
  const members = checkMembers(input.members);
  return ctx.store.transaction(async (tx) => {
    if (await tx.groups.get(ctx.space.id, name))
      throw new DomainError("CONFLICT", `group "${name}" already exists; PUT .../groups/${name} replaces it`);
    const now = ctx.clock.now();
    const group: Group = { name, displayName: input.displayName || name, members, createdAt: now, updatedAt: now };
    await tx.groups.insert(ctx.space.id, group);
    await audit(tx, ctx, ctx.space, now, { event: "group/created", resources: groupResources(group) });
    return toWireGroup(group);
  });
}

/** Replaces the group's display name and members. */
export async function updateGroup({ ctx, name, input }: { ctx: Context; name: string; input: GroupInput }): Promise<GroupOut> {
  requirePermission(ctx.access, "space.admin", "changing groups");
  if (input.name !== undefined && input.name !== name) {
    throw invalidArgument(
      `group.name "${input.name}" does not match the group in the URL ("${name}"); groups cannot be renamed`,
      "group.name",
    );
  }
  const members = checkMembers(input.members);
  return ctx.store.transaction(async (tx) => {
    const existing = await tx.groups.get(ctx.space.id, name);
    if (!existing) throw groupNotFound(ctx, name);
    const group: Group = { ...existing, displayName: input.displayName || existing.displayName, members, updatedAt: ctx.clock.now() };
    await tx.groups.update(ctx.space.id, group);
    await audit(tx, ctx, ctx.space, group.updatedAt, { event: "group/updated", resources: groupResources(group) });
    return toWireGroup(group);
  });
}

/** Deletes the group and the roles bound to it. */
export async function deleteGroup({ ctx, name }: { ctx: Context; name: string }): Promise<void> {
  requirePermission(ctx.access, "space.admin", "changing groups");
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.groups.delete(ctx.space.id, name))) throw groupNotFound(ctx, name);
    await tx.roleBindings.removeMember(ctx.space.id, `group:${name}`);
    await audit(tx, ctx, ctx.space, ctx.clock.now(), { event: "group/deleted", resources: [auditTarget("group", name)] });
  });
}

/** The group and its members, so a search for a person finds the groups they were put in. */
function groupResources(group: Group): Resource[] {
  return [
    auditTarget("group", group.name, group.displayName),
    ...group.members.map((email) => ({ kind: "user", email, labels: { "greenlight.dev/group": group.name } })),
  ];
}

function checkMembers(members: string[] | undefined): string[] {
  const list = members ?? [];
  if (list.length > MAX_MEMBERS) throw invalidArgument(`group.members may hold at most ${MAX_MEMBERS} emails`, "group.members");
  const emails = list.map((raw, i) => {
    const email = normalizeEmail(raw);
    if (email === undefined)
      throw invalidArgument(`group.members[${i}] must be an email address: ${emailProblem(raw)}`, `group.members[${i}]`);
    return email;
  });
  return [...new Set(emails)].sort();
}

function groupNotFound(ctx: Context, name: string) {
  return notFound(`group "${name}" does not exist in space "${ctx.space.name}"`);
}
