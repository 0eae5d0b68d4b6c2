/**
 * The wire shapes of what Greenlight sends events to and pulls resources from: webhooks in
 * Indent's protocol, event subscriptions in Standard Webhooks', the delivery log of both (and
 * of Slack), and PullUpdate with the pull policies that schedule it.
 */
import type { components } from "./generated/api.js";
import type { QueryOf } from "./types.js";

type Schemas = components["schemas"];

/** What a webhook is called for: grants and revokes, resource pulls, or decisions on new petitions. */
export type WebhookHandlerType = WebhookHandler["type"];
/** What a webhook handles; `resourceKinds` may use globs (`okta.v1.*`), and empty means every kind. */
export type WebhookHandler = Schemas["WebhookHandler"];
/** A header sent with every call: a value, or the name of an Indent credential (kept as given). */
export type WebhookHeader = Schemas["WebhookHeader"];
/**
 * A webhook of the space, as Indent shapes it. The signing secret is in the answer that set
 * it and never again; header values are shown as `(redacted)`, since they may be credentials.
 */
export type Webhook = Schemas["Webhook"];
/** A webhook as it is sent to be created, or the fields to change (`update` is a PATCH). */
export type WebhookInput = Schemas["WebhookInput"];

/**
 * An event subscription: petition and grant events (`petition.created`, `grant.started`, …)
 * sent to a URL in the Standard Webhooks format, signed with a `whsec_…` secret.
 */
export type Subscription = Schemas["Subscription"];
export type SubscriptionInput = Schemas["SubscriptionInput"];

/** `pending` until acknowledged (`delivered`) or out of retries (`failed`); `cancelled` if given up or a dry run. */
export type DeliveryStatus = Delivery["status"];
export type DeliveryAttempt = Schemas["DeliveryAttempt"];
/** Which deliveries a log lists, newest first: `status: "failed"` lists the failures. */
export type DeliveryListOptions = Omit<QueryOf<"/v1/spaces/{space}/webhooks/{webhook}/deliveries">, "status"> & { status?: DeliveryStatus };
/** One event for one receiver, and how sending it went. */
export type Delivery = Schemas["Delivery"];

/** What `resources:pullUpdate` did: the resources written, and how each pullUpdate webhook answered. */
export type PullOutcome = Schemas["PullOutcome"];
export type PullRunResult = Schemas["PullRunResult"];
/** A PullUpdate of some kinds on a schedule (Indent's SyncPolicy). */
export type PullPolicy = Schemas["PullPolicy"];
export type PullPolicyInput = Schemas["PullPolicyInput"];
/** An on-call provider (PagerDuty, Opsgenie, incident.io), with its health; its API key shows only as `apiKeyHint`. */
export type OnCallProvider = Schemas["OnCallProvider"];
export type OnCallProviderInput = Schemas["OnCallProviderInput"];
