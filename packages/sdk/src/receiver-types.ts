/**
 * The wire shapes of what Greenlight sends events to and pulls resources from: webhooks in
 * Indent's protocol, event subscriptions in Standard Webhooks', the delivery log of both (and
 * of Slack), and PullUpdate with the pull policies that schedule it.
 */
import type { Resource } from "./types.js";

/** What a webhook is called for: grants and revokes, resource pulls, or decisions on new petitions. */
export type WebhookHandlerType = "applyUpdate" | "pullUpdate" | "decision";

export interface WebhookHandler {
  type: WebhookHandlerType;
  /** Resource kinds it handles, globs allowed (`okta.v1.*`); empty means every kind. */
  resourceKinds: string[];
}

/** A header sent with every call: a value, or the name of an Indent credential (kept as given). */
export interface WebhookHeader {
  value?: string;
  credential?: string;
}

/**
 * A webhook of the space, as Indent shapes it. The signing secret is in the answer that set
 * it and never again; header values are shown as `(redacted)`, since they may be credentials.
 */
export interface Webhook {
  name: string;
  spaceName: string;
  displayName: string;
  labels: Record<string, string>;
  url: string;
  method: string;
  headers: Record<string, WebhookHeader>;
  /** Only in the answer to the request that set it: store it, it is not shown again. */
  secret?: string;
  secretHint: string;
  /** Deliveries are logged as `cancelled` and never sent. */
  dryRun: boolean;
  handlers: WebhookHandler[];
  /** The identity a decision webhook's claims must carry. */
  bot: { id?: string; email?: string };
  createTime: string;
  updateTime: string;
  lastSuccessTime?: string;
  lastError?: string;
  lastErrorTime?: string;
  /** Nothing is sent to a webhook that is turned off (by an admin, or by a receiver's 410 Gone). */
  disabled: boolean;
  disabledReason?: string;
  disabledTime?: string;
}

/** A webhook as it is sent to be created, or the fields to change (`update` is a PATCH). */
export interface WebhookInput {
  /** Lower-case letters, digits, `.`, `_`, `-`; left out, the server makes one (`whk_…`). */
  name?: string;
  displayName?: string;
  labels?: Record<string, string>;
  url?: string;
  /** POST (the default), PUT or PATCH. */
  method?: string;
  /** Replaces all the webhook's headers when given. */
  headers?: Record<string, WebhookHeader>;
  /** At least 24 characters; left out on create, the server makes one (`wks0…`). */
  secret?: string;
  dryRun?: boolean;
  handlers?: WebhookHandler[];
  bot?: { id?: string; email?: string };
  /** True turns it off; false turns it back on. */
  disabled?: boolean;
}

/**
 * An event subscription: petition and grant events (`petition.created`, `grant.started`, …)
 * sent to a URL in the Standard Webhooks format, signed with a `whsec_…` secret.
 */
export interface Subscription {
  name: string;
  description: string;
  url: string;
  /** Event types, families such as `petition.*`, or `*`. */
  eventTypes: string[];
  /** Only in the answer to the request that set it: store it, it is not shown again. */
  secret?: string;
  secretHint: string;
  disabled: boolean;
  disabledReason?: string;
  disabledTime?: string;
  createTime: string;
  updateTime: string;
  lastSuccessTime?: string;
  lastError?: string;
  lastErrorTime?: string;
}

export interface SubscriptionInput {
  /** Required on create: lower-case letters, digits, `.`, `_`, `-`. */
  name?: string;
  description?: string;
  url?: string;
  /** Default `["*"]`: every event. */
  eventTypes?: string[];
  /** `whsec_` and the base64 of 24 to 64 bytes; left out on create, the server makes one. */
  secret?: string;
  disabled?: boolean;
}

/** `pending` until acknowledged (`delivered`) or out of retries (`failed`); `cancelled` if given up or a dry run. */
export type DeliveryStatus = "pending" | "delivered" | "failed" | "cancelled";

export interface DeliveryAttempt {
  attempt: number;
  time: string;
  durationMs: number;
  /** The receiver's HTTP status; absent when no answer came. */
  status?: number;
  error?: string;
  /** The start of the receiver's answer. */
  response?: string;
}

/** One event for one receiver, and how sending it went. */
export interface Delivery {
  /** `msg_…` */
  id: string;
  /** A Slack delivery's receiver is `{ kind: "slack", name: "slack" }`. */
  receiver: { kind: "webhook" | "subscription" | "slack"; name: string };
  /** `access/grant`, `access/revoke`, or a subscription's or Slack's event type. */
  event: string;
  petition?: string;
  grant?: string;
  status: DeliveryStatus;
  attempts: number;
  createTime: string;
  nextAttemptTime?: string;
  /** `access/grant`: a revoke not sent until its grant's start has been. */
  waitingFor?: string;
  lastAttemptTime?: string;
  lastStatus?: number;
  lastError?: string;
  deliveredTime?: string;
  /** Only from `delivery(name, id)` (Slack's `delivery(id)`): what is sent. */
  body?: unknown;
  /** Only from `delivery(name, id)` (Slack's `delivery(id)`): each attempt. */
  attemptLog?: DeliveryAttempt[];
}

/** What `resources:pullUpdate` did: the resources written, and how each pullUpdate webhook answered. */
export interface PullOutcome {
  resources: Resource[];
  /** google.rpc.Status, as Indent answers: 0 when every webhook answered, 2 otherwise. */
  status: { code: number; message: string };
  webhooks: Array<{ webhook: string; resources: number; error?: string }>;
}

export interface PullRunResult {
  resources: number;
  errors: string[];
  durationMs?: number;
}

/** A PullUpdate of some kinds on a schedule (Indent's SyncPolicy). */
export interface PullPolicy {
  meta: { name: string; space: string; displayName: string; createTime: string; updateTime: string };
  /** A five-field cron expression in UTC, `@hourly`, `@daily`, … or `@every 15m`. */
  schedule: string;
  kinds: string[];
  flags: Record<string, string>;
  nextRunTime: string;
  lastRunTime?: string;
  lastResult?: PullRunResult;
}

export interface PullPolicyInput {
  meta?: { name?: string; displayName?: string };
  schedule: string;
  kinds: string[];
  flags?: Record<string, string>;
}
