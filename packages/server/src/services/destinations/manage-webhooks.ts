import type { Resource } from "../../domain/resource.js";
import { audit, auditTarget } from "../audit/audit.js";
import { requirePermission } from "../../domain/access.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import { GROUP_NAME } from "../../domain/roles.js";
import {
  handlersFrom,
  HANDLER_TYPES,
  INDENT_BOT_EMAIL,
  labelsWithHandlers,
  newWebhookSecret,
  type Webhook,
  type WebhookBot,
  type WebhookHandler,
  type WebhookHandlerType,
  type WebhookHeader,
} from "../../domain/webhook.js";
import { checkDestination, checkDestinationSecrets } from "./check-destination.js";
import type { Context } from "../runtime/context.js";
import { wireDisabled, wireHealth } from "./receiver-health.js";
import { giveUpDeliveries } from "./deliver-outbox.js";
import { forgetDeliveryTargets } from "./enqueue-deliveries.js";
import { paginate, type PageRequest } from "../runtime/paginate.js";

/**
 * Webhooks in Indent's shape (`name, displayName, labels, url, method, headers, secret,
 * dryRun`), with the handlers spelled out. A signing secret is shown when the webhook is
 * created (or when it was given) and never again; header values may be credentials, so they
 * are never shown back either.
 */
export interface WireWebhook {
  name: string;
  spaceName: string;
  displayName: string;
  labels: Record<string, string>;
  url: string;
  method: string;
  headers: Record<string, { value?: string; credential?: string }>;
  /** Only in the answer to the request that set it. */
  secret?: string;
  secretHint: string;
  dryRun: boolean;
  handlers: WebhookHandler[];
  bot: WebhookBot;
  createTime: string;
  updateTime: string;
  lastSuccessTime?: string;
  lastError?: string;
  lastErrorTime?: string;
  disabled: boolean;
  disabledReason?: string;
  disabledTime?: string;
}

export interface WebhookInput {
  name?: string;
  spaceName?: string;
  displayName?: string;
  labels?: Record<string, string>;
  url?: string;
  method?: string;
  headers?: Record<string, WebhookHeader>;
  secret?: string;
  dryRun?: boolean;
  handlers?: Array<{ type: string; resourceKinds: string[] }>;
  bot?: WebhookBot;
  /** False turns a webhook a receiver disabled (410 Gone) back on; true turns it off. */
  disabled?: boolean;
}

const METHODS = ["POST", "PUT", "PATCH"];
const REDACTED = "(redacted)";

function toWire(webhook: Webhook, spaceName: string, showSecret = false): WireWebhook {
  const out: WireWebhook = {
    name: webhook.name,
    spaceName,
    displayName: webhook.displayName,
    labels: webhook.labels,
    url: webhook.url,
    method: webhook.method,
    headers: Object.fromEntries(
      Object.entries(webhook.headers).map(([name, header]) => [
        name,
        header.credential !== undefined ? { credential: header.credential } : { value: REDACTED },
      ]),
    ),
    secretHint: `${webhook.secret.slice(0, 4)}…${webhook.secret.slice(-4)}`,
    dryRun: webhook.dryRun,
    handlers: webhook.handlers,
    bot: webhook.bot,
    createTime: new Date(webhook.createdAt).toISOString(),
    updateTime: new Date(webhook.updatedAt).toISOString(),
    ...wireDisabled(webhook),
    ...wireHealth(webhook),
  };
  if (showSecret) out.secret = webhook.secret;
  return out;
}

export async function listWebhooks({ ctx, query }: { ctx: Context; query: PageRequest }) {
  requirePermission(ctx.access, "space.admin", "reading webhooks");
  const page = await paginate(
    query,
    ["webhooks"],
    (after, limit) => ctx.store.read.webhooks.list(ctx.space.id, { after, limit }),
    (webhook) => webhook.name,
  );
  return { webhooks: page.items.map((w) => toWire(w, ctx.space.name)), nextPageToken: page.nextPageToken };
}

export async function getWebhook({ ctx, name }: { ctx: Context; name: string }): Promise<WireWebhook> {
  requirePermission(ctx.access, "space.admin", "reading webhooks");
  const webhook = await ctx.store.read.webhooks.get(ctx.space.id, name);
  if (!webhook) throw missing(ctx, name);
  return toWire(webhook, ctx.space.name);
}

export async function createWebhook({ ctx, input }: { ctx: Context; input: WebhookInput }): Promise<WireWebhook> {
  requirePermission(ctx.access, "space.admin", "changing webhooks");
  const now = ctx.clock.now();
  const name = input.name ? checkName(input.name) : newId("whk", now);
  if (!input.url) throw invalidArgument("webhook.url is required: the address Greenlight calls", "webhook.url");
  const labels = input.labels ?? {};
  const handlers = handlersFrom(checkHandlers(input.handlers), labels);
  const webhook: Webhook = {
    spaceId: ctx.space.id,
    name,
    displayName: input.displayName || name,
    url: checkDestination(input.url, "webhook.url", ctx.outbound.allow),
    method: checkMethod(input.method),
    headers: checkHeaders(input.headers ?? {}),
    secret: input.secret ? checkSecret(input.secret) : newWebhookSecret(),
    dryRun: input.dryRun ?? false,
    labels: labelsWithHandlers(labels, handlers),
    handlers,
    bot: checkBot(input.bot),
    createdAt: now,
    updatedAt: now,
    lastSuccessAt: null,
    lastError: null,
    lastErrorAt: null,
    disabledAt: input.disabled ? now : null,
    disabledReason: input.disabled ? "turned off by an admin" : null,
  };
  return ctx.store.transaction(async (tx) => {
    if (await tx.webhooks.get(ctx.space.id, name))
      throw new DomainError("CONFLICT", `webhook "${name}" already exists; change it with PATCH`);
    await tx.webhooks.insert(webhook);
    await audit(tx, ctx, ctx.space, now, { event: "webhook/created", resources: [webhookRef(webhook)] });
    tx.afterCommit(() => forgetDeliveryTargets(ctx.store, ctx.space.id));
    return toWire(webhook, ctx.space.name, true);
  });
}

/** Changes the fields given (Indent's UpdateWebhook is a PATCH); a new secret is shown once. */
export async function updateWebhook({ ctx, name, input }: { ctx: Context; name: string; input: WebhookInput }): Promise<WireWebhook> {
  requirePermission(ctx.access, "space.admin", "changing webhooks");
  return ctx.store.transaction(async (tx) => {
    const current = await tx.webhooks.get(ctx.space.id, name);
    if (!current) throw missing(ctx, name);
    const labels = input.labels ?? current.labels;
    const handlers = input.handlers || input.labels ? handlersFrom(checkHandlers(input.handlers), labels) : current.handlers;
    const next: Webhook = {
      ...current,
      displayName: input.displayName || current.displayName,
      url: input.url ? checkDestination(input.url, "webhook.url", ctx.outbound.allow) : current.url,
      method: input.method ? checkMethod(input.method) : current.method,
      headers: input.headers ? checkHeaders(input.headers) : current.headers,
      secret: input.secret ? checkSecret(input.secret) : current.secret,
      dryRun: input.dryRun ?? current.dryRun,
      labels: labelsWithHandlers(labels, handlers),
      handlers,
      bot: input.bot ? checkBot(input.bot) : current.bot,
      updatedAt: ctx.clock.now(),
      // Turned back on with `disabled: false` (after a receiver answered 410), or off with true.
      disabledAt: input.disabled === undefined ? current.disabledAt : input.disabled ? (current.disabledAt ?? ctx.clock.now()) : null,
      disabledReason:
        input.disabled === undefined
          ? current.disabledReason
          : input.disabled
            ? (current.disabledReason ?? "turned off by an admin")
            : null,
    };
    const auditLabels = checkDestinationSecrets({ field: "webhook.url", from: current.url, to: next.url }, [
      { field: "webhook.secret", given: Boolean(input.secret) },
      // Header values may be credentials; a webhook whose headers only name Indent credentials sends none.
      { field: "webhook.headers", given: input.headers !== undefined, sentToDestination: hasHeaderValues(current) },
    ]);
    await tx.webhooks.update(next);
    await audit(tx, ctx, ctx.space, next.updatedAt, { event: "webhook/updated", resources: [webhookRef(next)], labels: auditLabels });
    if (next.disabledAt !== null && current.disabledAt === null)
      await giveUpDeliveries(tx, ctx, "webhook", name, "the webhook was turned off");
    tx.afterCommit(() => forgetDeliveryTargets(ctx.store, ctx.space.id));
    return toWire(next, ctx.space.name, Boolean(input.secret));
  });
}

export async function deleteWebhook({ ctx, name }: { ctx: Context; name: string }): Promise<void> {
  requirePermission(ctx.access, "space.admin", "changing webhooks");
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.webhooks.delete(ctx.space.id, name))) throw missing(ctx, name);
    await audit(tx, ctx, ctx.space, ctx.clock.now(), { event: "webhook/deleted", resources: [auditTarget("webhook", name)] });
    await giveUpDeliveries(tx, ctx, "webhook", name, "the webhook was deleted");
    tx.afterCommit(() => forgetDeliveryTargets(ctx.store, ctx.space.id));
  });
}

/** A webhook as an event names it: its name, handlers and state, not its URL (which may hold a credential) or secrets. */
function webhookRef(webhook: Webhook): Resource {
  return {
    ...auditTarget("webhook", webhook.name, webhook.displayName),
    labels: {
      "greenlight.dev/handlers": webhook.handlers.map((h) => h.type).join(","),
      ...(webhook.dryRun ? { "greenlight.dev/dry-run": "true" } : {}),
      ...(webhook.disabledAt !== null ? { "greenlight.dev/disabled": "true" } : {}),
    },
  };
}

function hasHeaderValues(webhook: Webhook): boolean {
  return Object.values(webhook.headers).some((header) => header.value !== undefined);
}

function missing(ctx: Context, name: string): DomainError {
  return notFound(`space "${ctx.space.name}" has no webhook "${name}"`);
}

function checkName(name: string): string {
  if (!GROUP_NAME.test(name)) {
    throw invalidArgument(`webhook.name must be 1 to 63 lower-case letters, digits, '.', '_' or '-', such as "okta"`, "webhook.name");
  }
  return name;
}

function checkMethod(method: string | undefined): string {
  const upper = (method || "POST").toUpperCase();
  if (!METHODS.includes(upper)) throw invalidArgument(`webhook.method must be one of ${METHODS.join(", ")}`, "webhook.method");
  return upper;
}

function checkHeaders(headers: Record<string, WebhookHeader>): Record<string, WebhookHeader> {
  const out: Record<string, WebhookHeader> = {};
  for (const [name, header] of Object.entries(headers)) {
    const field = `webhook.headers["${name}"]`;
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(name)) throw invalidArgument(`${field}: not a valid header name`, field);
    if (/^(x-indent-|webhook-|content-type$|content-length$|host$)/i.test(name)) {
      throw invalidArgument(`${field}: Greenlight sets this header itself`, field);
    }
    if ((header.value === undefined) === (header.credential === undefined)) {
      throw invalidArgument(`${field} needs either a value or a credential`, field);
    }
    if (header.value !== undefined && (/[\r\n]/.test(header.value) || header.value.length > 4096)) {
      throw invalidArgument(`${field}.value must be one line of at most 4096 characters`, `${field}.value`);
    }
    out[name] = header.value !== undefined ? { value: header.value } : { credential: header.credential! };
  }
  return out;
}

function checkSecret(secret: string): string {
  if (secret.length < 24 || secret.length > 256) {
    throw invalidArgument("webhook.secret must be 24 to 256 characters; leave it out to have one made (wks0…)", "webhook.secret");
  }
  return secret;
}

function checkHandlers(handlers: WebhookInput["handlers"]): WebhookHandler[] | undefined {
  handlers?.forEach((handler, i) => {
    if (!HANDLER_TYPES.includes(handler.type as WebhookHandlerType)) {
      throw invalidArgument(`webhook.handlers[${i}].type must be one of ${HANDLER_TYPES.join(", ")}`, `webhook.handlers[${i}].type`);
    }
  });
  return handlers as WebhookHandler[] | undefined;
}

function checkBot(bot: WebhookBot | undefined): WebhookBot {
  if (!bot || (!bot.id && !bot.email)) return { email: INDENT_BOT_EMAIL };
  const out: WebhookBot = {};
  if (bot.id) out.id = bot.id;
  if (bot.email) out.email = bot.email.toLowerCase();
  return out;
}
