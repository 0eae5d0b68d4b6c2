import { switchedState } from "../../domain/destination.js";
import { invalidArgument } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import { handlersFrom, labelsWithHandlers, newWebhookSecret, type Webhook } from "../../domain/webhook.js";
import { auditTarget } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";
import type { PageRequest } from "../runtime/paginate.js";
import { checkDestination } from "./check-destination.js";
import type { DestinationKind } from "./destination-kind.js";
import { destinationVerbs } from "./manage-destination.js";
import { forgetDeliveryTargets } from "./enqueue-deliveries.js";
import { checkBot, checkHandlers, checkHeaders, checkMethod, checkName, checkSecret } from "./webhook-input.js";
import type { WebhookInput, WebhookOut } from "../../contract/webhooks.js";

const REDACTED = "(redacted)";

/** A webhook as the shared destination verbs see it. */
export const WEBHOOKS: DestinationKind<Webhook, WebhookInput, WebhookOut> = {
  noun: "webhook",
  permissionTo: { read: "reading webhooks", change: "changing webhooks", remove: "changing webhooks" },
  audit: "webhook",
  collection: "webhooks",
  field: "webhook",
  changeWith: "PATCH",
  rows: (repos) => repos.webhooks,
  secrets: [
    { key: "secret", hint: 4, shownOnce: true },
    // Header values may be credentials; a webhook whose headers only name Indent credentials sends none.
    { key: "headers", sentToDestination: hasHeaderValues },
  ],
  destination: { of: (webhook) => webhook.url, movedBy: () => "url" },
  receiver: "webhook",
  create(ctx, input, now) {
    const name = input.name ? checkName(input.name) : newId("whk", now);
    if (!input.url) throw invalidArgument("webhook.url is required: the address Greenlight calls", "webhook.url");
    const labels = input.labels ?? {};
    const handlers = handlersFrom(checkHandlers(input.handlers), labels);
    return {
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
      ...switchedState({ disabledAt: null, disabledReason: null }, input.disabled, now),
    };
  },
  change(ctx, current, input, now) {
    const labels = input.labels ?? current.labels;
    const handlers = input.handlers || input.labels ? handlersFrom(checkHandlers(input.handlers), labels) : current.handlers;
    return {
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
      updatedAt: now,
      // Turned back on with `disabled: false` (after a receiver answered 410), or off with true.
      ...switchedState(current, input.disabled, now),
    };
  },
  view: (ctx, webhook) => ({
    name: webhook.name,
    spaceName: ctx.space.name,
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
    dryRun: webhook.dryRun,
    handlers: webhook.handlers,
    bot: webhook.bot,
  }),
  // Its name, handlers and state, not its URL (which may hold a credential) or secrets.
  ref: (webhook) => ({
    ...auditTarget("webhook", webhook.name, webhook.displayName),
    labels: {
      "greenlight.dev/handlers": webhook.handlers.map((h) => h.type).join(","),
      ...(webhook.dryRun ? { "greenlight.dev/dry-run": "true" } : {}),
      ...(webhook.disabledAt !== null ? { "greenlight.dev/disabled": "true" } : {}),
    },
  }),
  forget: (ctx) => forgetDeliveryTargets(ctx.store, ctx.space.id),
};

const verbs = destinationVerbs(WEBHOOKS);
export const getWebhook = verbs.get;
export const createWebhook = verbs.create;
/** Changes the fields given (Indent's UpdateWebhook is a PATCH); a new secret is shown once. */
export const updateWebhook = verbs.change;
export const deleteWebhook = verbs.remove;

export async function listWebhooks({ ctx, query }: { ctx: Context; query: PageRequest }) {
  const page = await verbs.list({ ctx, query });
  return { webhooks: page.items, nextPageToken: page.nextPageToken };
}

function hasHeaderValues(webhook: Webhook): boolean {
  return Object.values(webhook.headers).some((header) => header.value !== undefined);
}
