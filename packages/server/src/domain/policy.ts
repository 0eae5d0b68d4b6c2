import { Ajv, type ErrorObject } from "ajv";
import { describeMillis, nanosToMillis, parseGoDuration } from "./duration.js";
import { DomainError, invalidArgument } from "./errors.js";
import type { GrantLimits } from "./grant-expiry.js";
import { parseLabelSelector, type LabelSelector } from "./label-selector.js";
import { compileCondition, type Condition } from "./policy-conditions.js";
import {
  PolicyDocumentSchema,
  type DurationLimitsDocument,
  type EscalationDocument,
  type NotifyDocument,
  type PolicyDocument,
  type RuleDocument,
  type StepDocument,
} from "../contract/policy-document.js";

/**
 * A policy checked and compiled for evaluation: durations in milliseconds, selectors parsed,
 * conditions compiled, and rules indexed by the resource kinds they name, so a petition is
 * tested only against rules that can apply to it.
 */
export interface CompiledPolicy {
  /** The stored version this was compiled from; null for the built-in default. */
  version: number | null;
  rules: CompiledRule[];
  defaults: PolicyDefaults;
  index: RuleIndex;
  /** Whether any rule's condition reads on-call status (else providers are never asked). */
  readsOnCall: boolean;
  /** Whether any rule looks at the petitioner's groups (by `match.petitioner.groups` or in a condition). */
  readsGroups: boolean;
}

export interface PolicyDefaults {
  /** Who reviews a pair that no rule decides. */
  review: StepPlan[];
  limits: GrantLimits;
  notify: NotifyTargets;
  pendingTimeoutMs: number | null;
  escalations: EscalationPlan[];
}

export type RuleDecision =
  | { type: "require"; steps: StepPlan[] }
  | { type: "autoApprove"; reason: string; durationMs: number | null }
  | { type: "autoDeny"; reason: string };

export interface CompiledRule {
  /** Position in the policy, from 0: the order of explanations and steps. */
  position: number;
  name: string;
  description: string;
  kinds: Glob[] | null;
  resourceSelector: LabelSelector | null;
  petitionerEmails: Glob[] | null;
  petitionerGroups: string[] | null;
  petitionerSelector: LabelSelector | null;
  condition: Condition | null;
  /** What the rule decides; null for a rule that only sets limits, notifications or timeouts. */
  decision: RuleDecision | null;
  limits: Partial<GrantLimits>;
  notify: NotifyTargets | null;
  pendingTimeoutMs: number | null;
  escalations: EscalationPlan[];
  /** Petitions it matches are decided in the web UI after a fresh sign-in, not in chat. */
  highRisk: boolean;
}

/** One approval step: how many distinct eligible reviewers must approve. */
export interface StepPlan {
  name: string;
  /** The rule that asked for it, or "(default)". */
  rule: string;
  approvals: number;
  allowSelfApproval: boolean;
  reviewers: ReviewerSet;
}

export interface ReviewerSet {
  /** Lower-cased emails (a manager found through `managerLabel` is added here). */
  users: string[];
  groups: string[];
  roles: Array<"admin" | "reviewer">;
  managerLabel: string | null;
  serviceAccounts: string[];
  /** Lower-cased ids or emails of decision-webhook bots. */
  bots: string[];
}

export interface NotifyTargets {
  users: string[];
  groups: string[];
  channels: string[];
  reviewers: boolean;
}

export interface EscalationPlan {
  afterMs: number;
  notify: NotifyTargets;
}

export interface Glob {
  text: string;
  test(value: string): boolean;
}

export interface RuleIndex {
  /** Rules naming a kind exactly, by lower-cased kind. */
  byKind: Map<string, number[]>;
  /** Rules naming kinds with globs. */
  byGlob: number[];
  /** Rules that name no kind. */
  anyKind: number[];
}

/**
 * What a policy is checked against: the space's groups and service accounts (null when a stored
 * policy is compiled for use: a group deleted since it was saved must not stop petitions), and
 * the server's limits.
 */
export interface PolicyContext {
  groups: ReadonlySet<string> | null;
  serviceAccounts: ReadonlySet<string> | null;
  limits: GrantLimits;
  /** The pending timeout a space without one in its policy gets; null for none. */
  defaultPendingTimeoutMs: number | null;
  /**
   * A stored policy compiled for use: a condition that checks added since it was saved would
   * refuse fails closed instead (`compileCondition`), so one old rule never stops a space.
   */
  stored?: boolean;
}

export const DEFAULT_RULE = "(default)";
const MAX_PENDING_TIMEOUT_MS = 30 * 24 * 3_600_000;

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false });
const validateShape = ajv.compile(PolicyDocumentSchema);

/**
 * Checks a policy document and compiles it. INVALID_ARGUMENT names the place of the first
 * problem as a path (`rules[2].match.condition`), with the column inside a CEL expression.
 */
export function compilePolicy(document: unknown, context: PolicyContext, version: number | null = null): CompiledPolicy {
  if (!validateShape(document)) throw shapeError(validateShape.errors?.[0]);
  const doc = document as PolicyDocument;
  const names = new Set<string>();
  const rules = doc.rules.map((rule, position) => {
    const field = `rules[${position}]`;
    if (names.has(rule.name))
      throw invalidArgument(`${field}.name "${rule.name}" is used by an earlier rule; rule names must be unique`, `${field}.name`);
    names.add(rule.name);
    return compileRule(rule, position, field, context);
  });
  const defaults = doc.defaults ?? {};
  const defaultLimits = limitsOf(defaults.duration, context.limits, "defaults.duration");
  const pendingTimeoutMs =
    defaults.pendingTimeout === undefined ? context.defaultPendingTimeoutMs : timeout(defaults.pendingTimeout, "defaults.pendingTimeout");
  return {
    version,
    rules,
    defaults: {
      review: defaults.review ? steps(defaults.review, DEFAULT_RULE, "defaults.review", context) : builtInReview(),
      limits: { ...context.limits, ...defaultLimits },
      notify: notifyTargets(defaults.notify, "defaults.notify", context),
      pendingTimeoutMs,
      escalations: escalations(defaults.escalations, pendingTimeoutMs, "defaults.escalations", context),
    },
    index: indexRules(rules),
    readsOnCall: rules.some((rule) => rule.condition?.readsOnCall === true),
    readsGroups: rules.some((rule) => rule.petitionerGroups !== null || rule.condition !== null),
  };
}

/** The policy of a space that has none: any admin or reviewer approves, as before policies. */
export function defaultPolicy(context: PolicyContext): CompiledPolicy {
  return compilePolicy({ rules: [] }, context, null);
}

/** Who reviews when no policy says: any admin or reviewer of the space, one of them. */
export function builtInReview(): StepPlan[] {
  return [
    {
      name: "review",
      rule: DEFAULT_RULE,
      approvals: 1,
      allowSelfApproval: false,
      reviewers: { users: [], groups: [], roles: ["admin", "reviewer"], managerLabel: null, serviceAccounts: [], bots: [] },
    },
  ];
}

function compileRule(rule: RuleDocument, position: number, field: string, context: PolicyContext): CompiledRule {
  const decisions = [rule.require, rule.autoApprove, rule.autoDeny].filter((d) => d !== undefined);
  if (decisions.length > 1) {
    throw invalidArgument(`${field} has more than one of require, autoApprove and autoDeny; a rule decides one way`, field);
  }
  if (rule.autoApprove && rule.highRisk) {
    throw invalidArgument(
      `${field} (rule "${rule.name}") both approves at once and is highRisk, which asks for a person's fresh sign-in; drop one`,
      `${field}.highRisk`,
    );
  }
  const match = rule.match ?? {};
  const petitioner = match.petitioner ?? {};
  const limits = limitsOf(rule.duration, context.limits, `${field}.duration`);
  const pendingTimeoutMs = rule.pendingTimeout === undefined ? null : timeout(rule.pendingTimeout, `${field}.pendingTimeout`);
  let decision: RuleDecision | null = null;
  if (rule.require) decision = { type: "require", steps: steps(rule.require, rule.name, `${field}.require`, context) };
  if (rule.autoApprove) {
    const durationField = `${field}.autoApprove.duration`;
    const durationMs = rule.autoApprove.duration === undefined ? null : positiveMillis(rule.autoApprove.duration, durationField);
    const max = limits.maxMs ?? context.limits.maxMs;
    if (durationMs !== null && durationMs > max) {
      throw invalidArgument(
        `${durationField} is ${describeMillis(durationMs)}, longer than the rule's maximum of ${describeMillis(max)}`,
        durationField,
      );
    }
    decision = { type: "autoApprove", reason: rule.autoApprove.reason, durationMs };
  }
  if (rule.autoDeny) decision = { type: "autoDeny", reason: rule.autoDeny.reason };
  return {
    position,
    name: rule.name,
    description: rule.description ?? "",
    kinds: match.kinds ? match.kinds.map((kind) => glob(kind)) : null,
    resourceSelector: match.resources === undefined ? null : selector(match.resources, `${field}.match.resources`),
    petitionerEmails: petitioner.emails ? petitioner.emails.map((email) => glob(email)) : null,
    petitionerGroups: petitioner.groups ? knownGroups(petitioner.groups, `${field}.match.petitioner.groups`, context) : null,
    petitionerSelector: petitioner.labels === undefined ? null : selector(petitioner.labels, `${field}.match.petitioner.labels`),
    condition:
      match.condition === undefined
        ? null
        : compileCondition(match.condition, `${field}.match.condition`, { owner: `rule "${rule.name}"`, stored: context.stored === true }),
    decision,
    limits,
    notify: rule.notify ? notifyTargets(rule.notify, `${field}.notify`, context) : null,
    pendingTimeoutMs,
    escalations: escalations(rule.escalations, pendingTimeoutMs, `${field}.escalations`, context),
    highRisk: rule.highRisk ?? false,
  };
}

function steps(documents: StepDocument[], rule: string, field: string, context: PolicyContext): StepPlan[] {
  const names = new Set<string>();
  return documents.map((step, i) => {
    const at = `${field}[${i}]`;
    if (names.has(step.name)) throw invalidArgument(`${at}.name "${step.name}" is used by an earlier step of the rule`, `${at}.name`);
    names.add(step.name);
    const r = step.reviewers;
    const reviewers: ReviewerSet = {
      users: emails(r.users ?? [], `${at}.reviewers.users`),
      groups: knownGroups(r.groups ?? [], `${at}.reviewers.groups`, context),
      roles: [...new Set(r.roles ?? [])],
      managerLabel: r.managerLabel ?? null,
      serviceAccounts: knownServiceAccounts(r.serviceAccounts ?? [], `${at}.reviewers.serviceAccounts`, context),
      bots: (r.bots ?? []).map((bot) => bot.toLowerCase()),
    };
    const count =
      reviewers.users.length + reviewers.groups.length + reviewers.roles.length + reviewers.serviceAccounts.length + reviewers.bots.length;
    if (count === 0 && reviewers.managerLabel === null) {
      throw invalidArgument(
        `${at}.reviewers names nobody; list users, groups, roles, serviceAccounts or bots, or set managerLabel`,
        `${at}.reviewers`,
      );
    }
    return { name: step.name, rule, approvals: step.approvals ?? 1, allowSelfApproval: step.allowSelfApproval ?? false, reviewers };
  });
}

function notifyTargets(document: NotifyDocument | undefined, field: string, context: PolicyContext): NotifyTargets {
  return {
    users: emails(document?.users ?? [], `${field}.users`),
    groups: knownGroups(document?.groups ?? [], `${field}.groups`, context),
    channels: [...new Set(document?.channels ?? [])],
    reviewers: document?.reviewers ?? true,
  };
}

function escalations(
  documents: EscalationDocument[] | undefined,
  pendingTimeoutMs: number | null,
  field: string,
  context: PolicyContext,
): EscalationPlan[] {
  const plans = (documents ?? []).map((escalation, i) => {
    const at = `${field}[${i}].after`;
    const afterMs = positiveMillis(escalation.after, at);
    if (pendingTimeoutMs !== null && afterMs >= pendingTimeoutMs) {
      throw invalidArgument(
        `${at} is ${describeMillis(afterMs)}, not before the pending timeout of ${describeMillis(pendingTimeoutMs)}; it would never happen`,
        at,
      );
    }
    return { afterMs, notify: notifyTargets(escalation.notify, `${field}[${i}].notify`, context) };
  });
  return plans.sort((a, b) => a.afterMs - b.afterMs);
}

function limitsOf(document: DurationLimitsDocument | undefined, server: GrantLimits, field: string): Partial<GrantLimits> {
  if (!document) return {};
  const limits: Partial<GrantLimits> = {};
  if (document.max !== undefined) {
    const maxMs = positiveMillis(document.max, `${field}.max`);
    if (maxMs > server.maxMs) {
      throw invalidArgument(
        `${field}.max is ${describeMillis(maxMs)}, more than this server's longest grant of ${describeMillis(server.maxMs)} (GREENLIGHT_MAX_GRANT_DURATION)`,
        `${field}.max`,
      );
    }
    limits.maxMs = maxMs;
  }
  if (document.default !== undefined) {
    const defaultMs = positiveMillis(document.default, `${field}.default`);
    const max = limits.maxMs ?? server.maxMs;
    if (defaultMs > max) {
      throw invalidArgument(
        `${field}.default is ${describeMillis(defaultMs)}, longer than the maximum of ${describeMillis(max)}`,
        `${field}.default`,
      );
    }
    limits.defaultMs = defaultMs;
  }
  if (document.allowIndefinite !== undefined) {
    if (document.allowIndefinite && !server.allowIndefinite) {
      throw invalidArgument(
        `${field}.allowIndefinite cannot be true: this server does not grant access until revoked`,
        `${field}.allowIndefinite`,
      );
    }
    limits.allowIndefinite = document.allowIndefinite;
  }
  return limits;
}

function timeout(text: string, field: string): number {
  const ms = positiveMillis(text, field);
  if (ms < 1000) throw invalidArgument(`${field} must be at least 1s`, field);
  if (ms > MAX_PENDING_TIMEOUT_MS) throw invalidArgument(`${field} must be at most 720h (30 days)`, field);
  return ms;
}

function positiveMillis(text: string, field: string): number {
  const ms = nanosToMillis(parseGoDuration(text, field));
  if (ms <= 0) throw invalidArgument(`${field} must be a positive duration such as "30m" or "6h", not ${JSON.stringify(text)}`, field);
  return ms;
}

function selector(text: string, field: string): LabelSelector {
  try {
    return parseLabelSelector(text);
  } catch (error) {
    if (error instanceof DomainError) throw invalidArgument(`${field}: ${error.message.replace(/^labelSelector:\s*/, "")}`, field);
    throw error;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function emails(values: string[], field: string): string[] {
  values.forEach((value, i) => {
    if (!EMAIL.test(value)) throw invalidArgument(`${field}[${i}] must be an email, not ${JSON.stringify(value)}`, `${field}[${i}]`);
  });
  return [...new Set(values.map((value) => value.toLowerCase()))];
}

function knownGroups(values: string[], field: string, context: PolicyContext): string[] {
  values.forEach((value, i) => {
    if (context.groups && !context.groups.has(value)) {
      throw invalidArgument(
        `${field}[${i}] names group "${value}", which this space does not have; create it first (POST /v1/spaces/{space}/groups)`,
        `${field}[${i}]`,
      );
    }
  });
  return [...new Set(values)];
}

function knownServiceAccounts(values: string[], field: string, context: PolicyContext): string[] {
  values.forEach((value, i) => {
    if (context.serviceAccounts && !context.serviceAccounts.has(value)) {
      throw invalidArgument(`${field}[${i}] names service account "${value}", which this space does not have`, `${field}[${i}]`);
    }
  });
  return [...new Set(values)];
}

/** A case-insensitive glob: `*` is any run of characters, `?` any one. */
export function glob(text: string): Glob {
  if (!/[*?]/.test(text)) {
    const lower = text.toLowerCase();
    return { text, test: (value) => value.toLowerCase() === lower };
  }
  const pattern = text
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  const regex = new RegExp(`^${pattern}$`, "is");
  return { text, test: (value) => regex.test(value) };
}

function indexRules(rules: CompiledRule[]): RuleIndex {
  const index: RuleIndex = { byKind: new Map(), byGlob: [], anyKind: [] };
  for (const rule of rules) {
    if (rule.kinds === null) {
      index.anyKind.push(rule.position);
      continue;
    }
    if (rule.kinds.some((kind) => /[*?]/.test(kind.text))) index.byGlob.push(rule.position);
    for (const kind of rule.kinds) {
      if (/[*?]/.test(kind.text)) continue;
      const key = kind.text.toLowerCase();
      const list = index.byKind.get(key) ?? [];
      if (list.at(-1) !== rule.position) list.push(rule.position);
      index.byKind.set(key, list);
    }
  }
  return index;
}

function shapeError(error: ErrorObject | undefined): DomainError {
  if (!error) return invalidArgument("the policy is not valid");
  const field = error.instancePath
    .split("/")
    .filter(Boolean)
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join("");
  if (error.keyword === "additionalProperties") {
    const extra = String((error.params as { additionalProperty?: unknown }).additionalProperty);
    const where = field || "the policy";
    return invalidArgument(
      `${where} has an unknown field "${extra}"; remove it or check its spelling`,
      field ? `${field}.${extra}` : extra,
    );
  }
  return invalidArgument(`${field || "the policy"} ${error.message ?? "is not valid"}`, field || undefined);
}
