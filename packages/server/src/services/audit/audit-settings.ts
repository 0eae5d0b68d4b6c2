import { describeMillis, nanosToMillis, parseGoDuration } from "../../domain/duration.js";
import { invalidArgument } from "../../domain/errors.js";
import { audit, auditTarget, SERVER_CHAIN, spaceTarget } from "./audit.js";
import { chainOf } from "./audit-log.js";
import type { Context } from "../runtime/context.js";
import type { AuditSettingsInput, AuditSettingsOut } from "../../contract/audit.js";

const describeRetention = (ms: number | null) => (ms === null ? "forever" : describeMillis(ms));

export async function getAuditSettings({ ctx }: { ctx: Context }): Promise<AuditSettingsOut> {
  const chain = await ctx.store.read.audit.chain(chainOf({ kind: "space", ctx }).id);
  return { retention: chain?.retentionMs == null ? null : describeMillis(chain.retentionMs) };
}

/**
 * Sets how long the space keeps its events, never shorter than the operator's floor. The
 * change is written to the space's chain and to the server's, which the space's admins can
 * neither read nor prune: whoever shortens the history, the record of it outlives what it
 * removes.
 */
export async function putAuditSettings({ ctx, input }: { ctx: Context; input: AuditSettingsInput }): Promise<AuditSettingsOut> {
  const chain = chainOf({ kind: "space", ctx });
  const text = input.retention ?? "";
  const retentionMs = text === "" || text === "0" ? null : nanosToMillis(parseGoDuration(text, "retention"));
  const floor = ctx.audit.minRetentionMs;
  if (retentionMs !== null && retentionMs < floor)
    throw invalidArgument(
      `retention must be at least ${describeMillis(floor)}: this server keeps audit events at least that long (its operator sets GREENLIGHT_AUDIT_MIN_RETENTION); send a longer duration, or null to keep events for ever`,
      "retention",
    );
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    const previous = (await tx.audit.chain(chain.id))?.retentionMs ?? null;
    const labels = {
      "greenlight.dev/audit/retention": describeRetention(retentionMs),
      "greenlight.dev/audit/previous-retention": describeRetention(previous),
    };
    // The change is recorded first, which also starts the chain of a space that had none.
    await audit(tx, ctx, chain, now, { event: "audit/settings-updated", resources: [auditTarget("auditLog", chain.name)], labels });
    await audit(tx, ctx, SERVER_CHAIN, now, {
      event: "audit/settings-updated",
      resources: [spaceTarget(chain), auditTarget("auditLog", chain.name)],
      labels,
    });
    await tx.audit.setRetention(chain.id, retentionMs, now);
  });
  return { retention: retentionMs === null ? null : describeMillis(retentionMs) };
}
