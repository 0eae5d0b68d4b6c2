import { ARGUMENTS_LABEL, operationLabels, TOOL_LABEL } from "./agents.js";
import { invalidArgument } from "./errors.js";
import { CLAMP_LABEL } from "./grant-expiry.js";
import type { Petition } from "./petition.js";

/**
 * Who may write which of a petition's labels, and when.
 *
 * Labels under `greenlight.dev/` are the server's (as `kubernetes.io/` is Kubernetes'): a
 * client may set only the few below, and only when it creates the petition; the server sets
 * the rest itself from what it can prove (the agent, whom it acts for, the operation's hash).
 * Labels under `greenlight.dev/` and `indent.com/` carry what reviewers and policies decide on
 * (the operation, the suggested duration, clamping, Indent's app config), so they are fixed
 * once the petition exists. Any other label is the client's annotation: it may change while
 * the petition is open or granted, and every change is an event in the petition's history.
 */

/** The `greenlight.dev/` labels a client may set on a new petition. */
const CLIENT_SETTABLE = new Set([
  TOOL_LABEL,
  ARGUMENTS_LABEL,
  CLAMP_LABEL,
  // The SDK's `withApproval` names the wrapped function here.
  "greenlight.dev/action",
]);

/** The `greenlight.dev/` labels a client may put on a claim (the rest record what the server decided). */
const CLAIM_SETTABLE = new Set([CLAMP_LABEL]);

const SERVER_PREFIX = "greenlight.dev/";
const FIXED_PREFIXES = [SERVER_PREFIX, "indent.com/"];

/** Whether a petition label is fixed once the petition exists. */
export function isFixedLabel(key: string): boolean {
  return FIXED_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** Refuses labels a client may not set on a new petition. */
export function checkNewPetitionLabels(labels: Record<string, string>, field: string): void {
  refuseServerLabels(labels, CLIENT_SETTABLE, field, "a petition");
}

/** Refuses labels a client may not set on a claim, such as the rule or the review step that decided. */
export function checkClaimLabels(labels: Record<string, string>, field: string): void {
  refuseServerLabels(labels, CLAIM_SETTABLE, field, "a claim");
}

/** Whether a claim label is one only the server writes (a decision webhook's such labels are dropped). */
export function isServerClaimLabel(key: string): boolean {
  return key.startsWith(SERVER_PREFIX) && !CLAIM_SETTABLE.has(key);
}

function refuseServerLabels(labels: Record<string, string>, allowed: ReadonlySet<string>, field: string, what: string): void {
  for (const key of Object.keys(labels)) {
    if (key.startsWith(SERVER_PREFIX) && !allowed.has(key)) {
      throw invalidArgument(
        `the label ${JSON.stringify(key)} is set by the server and cannot be sent on ${what}; ${SERVER_PREFIX} labels a client may set are ${[...allowed].join(", ")}`,
        `${field}["${key}"]`,
      );
    }
  }
}

/** One label changed by an update: its value before and after (undefined where absent). */
export interface LabelChange {
  key: string;
  from: string | undefined;
  to: string | undefined;
}

/**
 * The changes an update asks for, refusing any to a fixed label: the body must carry every
 * fixed label unchanged (as a petition read and written back does).
 */
export function labelChanges(current: Record<string, string>, requested: Record<string, string>, field: string): LabelChange[] {
  const keys = new Set([...Object.keys(current), ...Object.keys(requested)]);
  const changes: LabelChange[] = [];
  for (const key of [...keys].sort()) {
    const from = Object.hasOwn(current, key) ? current[key] : undefined;
    const to = Object.hasOwn(requested, key) ? requested[key] : undefined;
    if (from === to) continue;
    if (isFixedLabel(key)) {
      throw invalidArgument(
        `the label ${JSON.stringify(key)} is fixed when the petition is created (${from === undefined ? "it has none" : `it is ${JSON.stringify(from)}`}); send it unchanged, or close the petition and create a new one`,
        `${field}["${key}"]`,
      );
    }
    changes.push({ key, from, to });
  }
  return changes;
}

/** A sentence for the petition's history that says what changed. */
export function describeLabelChanges(changes: LabelChange[]): string {
  return changes
    .map(({ key, from, to }) =>
      from === undefined
        ? `added ${key}=${JSON.stringify(to)}`
        : to === undefined
          ? `removed ${key} (was ${JSON.stringify(from)})`
          : `changed ${key} from ${JSON.stringify(from)} to ${JSON.stringify(to)}`,
    )
    .join("; ");
}

/**
 * The labels a petition shows: its own, with the operation's taken from the record receipts
 * are signed from, so what reviewers read and what a receipt binds are the same bytes.
 */
export function petitionLabels(petition: Pick<Petition, "labels" | "operation">): Record<string, string> {
  return petition.operation ? { ...petition.labels, ...operationLabels(petition.operation) } : petition.labels;
}
