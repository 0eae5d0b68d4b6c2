/**
 * @greenlight/sdk: `await approval()` and a typed client for Greenlight's API.
 *
 * @example
 * import { approval } from "@greenlight/sdk";
 * await approval({ reason: "to delete project", resources: [{ kind: "delete_project", id: "project_123" }] });
 */
export { canonicalJson, verifyAuditExport, type OfflineVerifyOptions, type OfflineVerifyReport } from "./audit.js";
export type * from "./audit-types.js";
export {
  checkApproval,
  outcomeOf,
  requestApproval,
  type ApprovalOutcome,
  type ApprovalStatus,
  type RequestApprovalInput,
  type WaitOptions,
} from "./agent-approval.js";
export {
  answerToolApprovals,
  withGreenlightTools,
  type AiSdkToolLike,
  type ToolApprovalRequestLike,
  type ToolApprovalResponseLike,
} from "./adapters/ai-sdk.js";
export { guardToolCall, type ToolApprovalOptions } from "./adapters/guard.js";
export { withLangChainApproval, type LangChainToolLike } from "./adapters/langchain.js";
export { approval, withApproval, type ApprovalOptions, type ApprovalRequest } from "./approval.js";
export { GreenlightAPI, type ReviewInput } from "./client.js";
export { ApprovalError, getErrorKind, GreenlightError, StepUpRequiredError, type ErrorKind } from "./errors.js";
export { ARGUMENTS_LABEL, OPERATION_HASH_LABEL, operationHash, operationRequest, TOOL_LABEL, type Operation } from "./operation.js";
export {
  RECEIPT_TYPE,
  ReceiptError,
  verifyReceipt,
  type PublicJwk,
  type ReceiptClaims,
  type ReceiptFailure,
  type VerifyReceiptOptions,
} from "./receipt.js";
export { claimsOf, type ClientOptions } from "./settings.js";
export type * from "./receiver-types.js";
export type * from "./slack-types.js";
export type * from "./types.js";
export { webhookTestEvents, type ApplyUpdateBody, type WebhookTestEventsInput } from "./webhook-test-events.js";
export { signIndentWebhook, verifyWebhook, WebhookVerificationError, type VerifyWebhookInput } from "./webhooks.js";
