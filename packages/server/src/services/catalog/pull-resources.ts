import { requirePermission } from "../../domain/access.js";
import { isDomainError, notFound } from "../../domain/errors.js";
import { glob } from "../../domain/policy.js";
import { checkPullKinds } from "../../domain/pull-policy.js";
import { BLOCK_LABEL, resourceKey } from "../../domain/resource.js";
import { headerValues, type Webhook } from "../../domain/webhook.js";
import { requestPull } from "../../integrations/indent/pull-client.js";
import { IndentWebhookError } from "../../integrations/indent/webhook-call.js";
import type { SpaceRef } from "../../store/repositories/spaces.js";
import { audit, type AuditOrigin } from "../audit/audit.js";
import type { Context, Services } from "../runtime/context.js";
import { checkCatalogResource, toWireCatalogResource, upsertCatalogResources } from "./resource-input.js";
import type { ResourceInput, ResourceOut } from "../../contract/resources.js";
import type { PullSourceOut, PullUpdateOut } from "../../contract/pulls.js";

/** Upserts are written in transactions of this many, so a big directory does not hold the database for long. */
const UPSERT_BATCH = 500;
const MAX_WEBHOOKS = 1000;

export async function pullResources({
  ctx,
  kinds,
  flags,
}: {
  ctx: Context;
  kinds: string[];
  flags?: Record<string, string>;
}): Promise<PullUpdateOut> {
  requirePermission(ctx.access, "resources.write", "pulling resources");
  return runPull(ctx, ctx.space, checkPullKinds(kinds, "kinds"), flags ?? {});
}

/** A pull for a space, by the API or a pull policy's schedule. */
export async function runPull(
  services: Services & AuditOrigin,
  space: SpaceRef,
  kinds: string[],
  flags: Record<string, string>,
): Promise<PullUpdateOut> {
  const webhooks = (await services.store.read.webhooks.list(space.id, { limit: MAX_WEBHOOKS })).flatMap((webhook) => {
    const asked = kindsFor(webhook, kinds);
    return asked.length > 0 && webhook.disabledAt === null && !webhook.dryRun ? [{ webhook, asked }] : [];
  });
  if (webhooks.length === 0) {
    throw notFound(
      `no webhook in space "${space.name}" pulls ${kinds.join(", ")}; add one with a handler {"type": "pullUpdate", "resourceKinds": [${kinds.map((k) => JSON.stringify(k)).join(", ")}]} (dry-run and turned-off webhooks are not asked)`,
    );
  }
  const answers = await Promise.all(webhooks.map(({ webhook, asked }) => ask(services, webhook, asked, flags)));

  // A resource several webhooks return is written once, as the last one has it.
  const byKey = new Map<string, ReturnType<typeof checkCatalogResource>>();
  for (const answer of answers) for (const resource of answer.resources) byKey.set(resourceKey(resource.resource), resource);
  const resources: ResourceOut[] = [];
  const pending = [...byKey.values()];
  for (let i = 0; i < pending.length; i += UPSERT_BATCH) {
    const batch = pending.slice(i, i + UPSERT_BATCH);
    await services.store.transaction(async (tx) => {
      const now = services.clock.now();
      const saved = await upsertCatalogResources(tx, space.id, batch, now);
      await audit(tx, services, space, now, {
        event: "resources/pulled",
        resources: saved.map((r) => ({
          kind: r.kind,
          ...(r.id !== undefined ? { id: r.id } : {}),
          ...(r.email !== undefined ? { email: r.email } : {}),
          labels: { [BLOCK_LABEL]: r.name },
        })),
      });
      resources.push(...saved.map(toWireCatalogResource));
    });
  }
  const at = services.clock.now();
  await services.store.transaction(async (tx) => {
    for (const answer of answers)
      await tx.webhooks.recordOutcome(space.id, answer.source.webhook, { at, error: answer.source.error ?? null });
  });
  const failed = answers.filter((a) => a.source.error !== undefined);
  return {
    resources,
    status:
      failed.length === 0
        ? { code: 0, message: `${resources.length} resources from ${answers.length} webhooks` }
        : { code: 2, message: failed.map((a) => `${a.source.webhook}: ${a.source.error}`).join("; ") },
    webhooks: answers.map((a) => a.source),
  };
}

/** The requested kinds a webhook pulls: all of them when its handler names none. */
function kindsFor(webhook: Webhook, kinds: string[]): string[] {
  const handler = webhook.handlers.find((h) => h.type === "pullUpdate");
  if (!handler) return [];
  if (handler.resourceKinds.length === 0) return kinds;
  const patterns = handler.resourceKinds.map((k) => glob(k));
  return kinds.filter((kind) => patterns.some((p) => p.test(kind)));
}

async function ask(
  services: Services,
  webhook: Webhook,
  kinds: string[],
  flags: Record<string, string>,
): Promise<{ source: PullSourceOut; resources: Array<ReturnType<typeof checkCatalogResource>> }> {
  let raw: unknown[];
  try {
    raw = await requestPull(
      {
        url: webhook.url,
        method: webhook.method,
        headers: headerValues(webhook),
        secret: webhook.secret,
        timeoutMs: services.pulls.timeoutMs,
        fetch: services.outbound.fetch,
      },
      kinds,
      flags,
      new Date(services.clock.now()),
    );
  } catch (error) {
    if (!(error instanceof IndentWebhookError)) throw error;
    return { source: { webhook: webhook.name, resources: 0, error: error.message }, resources: [] };
  }
  const resources: Array<ReturnType<typeof checkCatalogResource>> = [];
  const rejected: string[] = [];
  raw.forEach((item, i) => {
    const field = `resources[${i}]`;
    try {
      const checked = checkCatalogResource(pulledResource(item), field);
      // A pulled resource is matched by kind and id; a name from the integration is not ours to take.
      delete checked.name;
      resources.push(checked);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      rejected.push(error.message);
    }
  });
  const source: PullSourceOut = { webhook: webhook.name, resources: resources.length };
  if (rejected.length > 0) {
    source.error = `${rejected.length} of its ${raw.length} resources were not usable and were skipped (first: ${rejected[0]})`;
  }
  return { source, resources };
}

/** An integration's resource as a resource input: known fields of the right types, labels as strings. */
function pulledResource(item: unknown): ResourceInput {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return { kind: "" };
  const r = item as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined);
  const input: ResourceInput = {};
  const kind = text(r["kind"]);
  if (kind !== undefined) input.kind = kind;
  const id = text(r["id"]);
  if (id !== undefined) input.id = id;
  const displayName = text(r["displayName"] ?? r["display_name"]);
  if (displayName !== undefined) input.displayName = displayName;
  const email = text(r["email"]);
  if (email !== undefined) input.email = email;
  const altIds = r["altIds"] ?? r["alt_ids"];
  if (Array.isArray(altIds)) input.altIds = altIds.flatMap((a) => (typeof a === "string" ? [a] : []));
  const labels = r["labels"];
  if (labels !== null && typeof labels === "object" && !Array.isArray(labels)) {
    input.labels = Object.fromEntries(
      Object.entries(labels as Record<string, unknown>).flatMap(([key, value]) => {
        if (key === BLOCK_LABEL) return [];
        const v = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
        return v === undefined ? [] : [[key, v]];
      }),
    );
  }
  return input;
}
