/**
 * @greenlight/sdk: `await approval()` and a typed client for Greenlight's API.
 *
 * @example
 * import { approval } from "@greenlight/sdk";
 * await approval({ reason: "to delete project", resources: [{ kind: "delete_project", id: "project_123" }] });
 */
export { approval, withApproval, type ApprovalOptions, type ApprovalRequest } from "./approval.js";
export { GreenlightAPI, type ReviewInput } from "./client.js";
export { ApprovalError, getErrorKind, GreenlightError, type ErrorKind } from "./errors.js";
export { claimsOf, type ClientOptions } from "./settings.js";
export type * from "./receiver-types.js";
export type * from "./slack-types.js";
export type * from "./types.js";
export { webhookTestEvents, type ApplyUpdateBody, type WebhookTestEventsInput } from "./webhook-test-events.js";
export { signIndentWebhook, verifyWebhook, WebhookVerificationError, type VerifyWebhookInput } from "./webhooks.js";
