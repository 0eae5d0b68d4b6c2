import { requirePermission } from "../../domain/access.js";
import type { Destination, Switchable } from "../../domain/destination.js";
import { DomainError, notFound } from "../../domain/errors.js";
import type { Tx } from "../../store/store.js";
import { audit, auditTarget } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";
import { paginate, type PageRequest } from "../runtime/paginate.js";
import { checkDestinationSecrets } from "./check-destination.js";
import { giveUpDeliveries } from "./deliver-outbox.js";
import type { DestinationKind } from "./destination-kind.js";
import { publicView } from "./destination-view.js";

/**
 * The verbs every kind of destination shares, made for one kind from its description (each
 * called as every service is, `{ ctx, name, input }`): list, get, create, change (PATCH or PUT),
 * set up the one a space has (the Slack app), and delete.
 * Each write is one transaction with its audit event; a change that moves the destination must
 * send its secrets again (`check-destination.ts`); a receiver turned off or deleted gives up
 * what it had pending; what was remembered about it is forgotten once the change commits.
 */
export function destinationVerbs<T extends Destination, Input, Wire>(kind: DestinationKind<T, Input, Wire>) {
  /** Every one the space has, a page at a time when `query` asks for one. */
  async function list({ ctx, query }: { ctx: Context; query?: PageRequest }): Promise<{ items: Wire[]; nextPageToken: string }> {
    requirePermission(ctx.access, "space.admin", kind.permissionTo.read);
    const rows = kind.rows(ctx.store.read);
    const found = query
      ? await paginate(query, [kind.collection], (after, limit) => rows.list(ctx.space.id, { after, limit }), nameOf)
      : { items: await rows.list(ctx.space.id), nextPageToken: "" };
    return { items: found.items.map((value) => publicView(kind, ctx, value)), nextPageToken: found.nextPageToken };
  }

  async function get({ ctx, name }: { ctx: Context; name: string }): Promise<Wire> {
    requirePermission(ctx.access, "space.admin", kind.permissionTo.read);
    const found = await kind.rows(ctx.store.read).get(ctx.space.id, name);
    if (!found) throw missing(ctx, name);
    return publicView(kind, ctx, found);
  }

  /** Makes one; the secrets its receiver must be given are in this answer only. */
  async function create({ ctx, input }: { ctx: Context; input: Input }): Promise<Wire> {
    requirePermission(ctx.access, "space.admin", kind.permissionTo.change);
    const value = kind.create(ctx, input, ctx.clock.now());
    const name = nameOf(value);
    return ctx.store.transaction(async (tx) => {
      if (await kind.rows(tx).get(ctx.space.id, name)) {
        throw new DomainError("CONFLICT", `${kind.noun} "${name}" already exists; change it with ${kind.changeWith}`);
      }
      await insert(tx, ctx, name, value, kind.labels?.(value) ?? {});
      return publicView(kind, ctx, value, new Set(kind.secrets.filter((secret) => secret.shownOnce).map((secret) => secret.key)));
    });
  }

  /** Changes one by the input; a secret it sets is shown in this answer if the kind shows it once. */
  async function change({ ctx, name, input }: { ctx: Context; name: string; input: Input }): Promise<Wire> {
    requirePermission(ctx.access, "space.admin", kind.permissionTo.change);
    return ctx.store.transaction(async (tx) => {
      const current = await kind.rows(tx).get(ctx.space.id, name);
      if (!current) throw missing(ctx, name);
      return update(tx, ctx, name, current, input);
    });
  }

  /** Sets up the one destination of its kind a space has (`name` is the kind's own), or changes it. */
  async function put({ ctx, name, input }: { ctx: Context; name: string; input: Input }): Promise<Wire> {
    requirePermission(ctx.access, "space.admin", kind.permissionTo.change);
    return ctx.store.transaction(async (tx) => {
      const current = await kind.rows(tx).get(ctx.space.id, name);
      if (current) return update(tx, ctx, name, current, input);
      const value = kind.create(ctx, input, ctx.clock.now());
      const at = kind.destination.of(value);
      const labels = checkDestinationSecrets({ field: movedBy(input), from: at, to: at }, secretsOf(input, value));
      await insert(tx, ctx, name, value, { ...kind.labels?.(value), ...labels });
      return publicView(kind, ctx, value, given(input));
    });
  }

  /** Deletes one; what it had waiting to be delivered is given up. */
  async function remove({ ctx, name }: { ctx: Context; name: string }): Promise<void> {
    requirePermission(ctx.access, "space.admin", kind.permissionTo.remove);
    await ctx.store.transaction(async (tx) => {
      if (!(await kind.rows(tx).delete(ctx.space.id, name))) throw missing(ctx, name);
      await audit(tx, ctx, ctx.space, ctx.clock.now(), { event: `${kind.audit}/deleted`, resources: [auditTarget(kind.audit, name)] });
      if (kind.receiver) await giveUpDeliveries(tx, ctx, kind.receiver, name, `the ${kind.noun} was deleted`);
      tx.afterCommit(() => kind.forget(ctx, name));
    });
  }

  async function insert(tx: Tx, ctx: Context, name: string, value: T, labels: Record<string, string>): Promise<void> {
    await kind.rows(tx).insert(value);
    await audit(tx, ctx, ctx.space, value.createdAt, { event: `${kind.audit}/created`, resources: [kind.ref(value)], labels });
    tx.afterCommit(() => kind.forget(ctx, name));
  }

  async function update(tx: Tx, ctx: Context, name: string, current: T, input: Input): Promise<Wire> {
    const next = kind.change(ctx, current, input, ctx.clock.now());
    const move = { field: movedBy(input), from: kind.destination.of(current), to: kind.destination.of(next) };
    const labels = checkDestinationSecrets(move, secretsOf(input, current));
    await kind.rows(tx).update(next);
    const event = { event: `${kind.audit}/updated`, resources: [kind.ref(next)], labels: { ...kind.labels?.(next), ...labels } };
    await audit(tx, ctx, ctx.space, next.updatedAt, event);
    if (kind.receiver && turnedOff(current, next)) {
      await giveUpDeliveries(tx, ctx, kind.receiver, name, `the ${kind.noun} was turned off`);
    }
    tx.afterCommit(() => kind.forget(ctx, name));
    return publicView(kind, ctx, next, given(input));
  }

  /** The kind's secrets as the destination rule weighs them: which this input sets, and which are sent there. */
  function secretsOf(input: Input, current: T) {
    const setting = given(input);
    return kind.secrets.map((secret) => ({
      field: `${kind.field}.${secret.key}`,
      given: setting.has(secret.key),
      sentToDestination: secret.sentToDestination?.(current) ?? true,
    }));
  }

  /** The secrets the input sets: an empty value sets none. */
  function given(input: Input): Set<string> {
    return new Set(kind.secrets.filter((s) => input[s.key] !== undefined && input[s.key] !== "").map((s) => s.key));
  }

  function movedBy(input: Input): string {
    return `${kind.field}.${kind.destination.movedBy(input)}`;
  }

  function missing(ctx: Context, name: string): DomainError {
    return kind.missing?.(ctx, name) ?? notFound(`space "${ctx.space.name}" has no ${kind.noun} "${name}"`);
  }

  return { list, get, create, change, put, remove };
}

/** Whether a change turned a destination off (only one that can be turned off). */
function turnedOff(current: Destination, next: Destination): boolean {
  const [was, is] = [current as Partial<Switchable>, next as Partial<Switchable>];
  return is.disabledAt != null && was.disabledAt == null;
}

/** A destination's name; the one a space has (the Slack app) has none of its own. */
function nameOf(value: Destination): string {
  return (value as Destination & { name?: string }).name ?? "";
}
