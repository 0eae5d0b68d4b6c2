/**
 * The wire shapes of Greenlight's API, which are Indent v1's: camelCase, RFC 3339 timestamps,
 * durations as Go duration strings ("3h0m0s") or protobuf JSON ("3600s").
 */

/** Anything requested, granted or acting: a user, a group, an action, a customer. */
export interface Resource {
  kind: string;
  id?: string;
  displayName?: string;
  email?: string;
  altIds?: string[];
  labels?: Record<string, string>;
}

/** A claim or event in a petition's history. */
export interface PetitionEvent {
  id: string;
  event: string;
  actor: Resource;
  reason?: string;
  resources: Resource[];
  timestamp: string;
  meta: { labels: Record<string, string> };
}

/** `open` until decided, `granted` while access is held, `closed` once over. */
export type Phase = "open" | "granted" | "revoked" | "closed";

/** Why a closed petition ended. */
export type Outcome = "denied" | "cancelled" | "revoked" | "expired" | "timed_out";

export interface Petition {
  name: string;
  spaceName: string;
  meta: {
    name: string;
    space: string;
    labels: Record<string, string>;
    createTime: string;
    updateTime: string;
    startTime?: string;
    expireTime?: string;
    endTime?: string;
    deleteTime?: string;
  };
  petitioners: Resource[];
  resources: Resource[];
  reason: string;
  defaultDuration?: string;
  state: { status: { phase: Phase; outcome?: Outcome }; eventHistory: PetitionEvent[]; messages: unknown[]; review?: Review };
}

/** What a petition needs under its policy, and how far it has come (`state.review`). */
export interface Review {
  policyVersion?: number;
  rules: string[];
  steps: Array<{
    name: string;
    rule: string;
    approvals: number;
    approvedBy: string[];
    satisfied: boolean;
    allowSelfApproval: boolean;
    reviewers: { users: string[]; groups: string[]; roles: string[]; serviceAccounts: string[]; bots: string[] };
  }>;
  maxDuration: string;
  defaultDuration: string;
  allowIndefinite: boolean;
  notify: { users: string[]; groups: string[]; channels: string[]; reviewers: boolean };
  timeoutTime?: string;
  escalationsDone: number;
  nextEscalationTime?: string;
  /**
   * A matching rule marks it high-risk: only a person who signed in strongly and recently (in
   * the web UI) approves it; other approvals fail with `STEP_UP_REQUIRED`.
   */
  highRisk?: boolean;
}

/** A petition as it is sent to be created. */
export interface PetitionInput {
  reason?: string;
  petitioners?: Resource[];
  resources: Resource[];
  /** A Go duration ("2h") or `{seconds, nanos}`. */
  defaultDuration?: string | { seconds?: number | string; nanos?: number };
  meta?: { labels?: Record<string, string> };
}

export interface Grant {
  name: string;
  spaceName: string;
  petitionName: string;
  petitioner: Resource;
  resource: Resource;
  /** `revoke_pending` while an ended grant's revoke is not yet acknowledged; `revoke_failed` if one gave up. */
  status: "active" | "expired" | "revoked" | "revoke_pending" | "revoke_failed";
  /** What the apply webhooks did: none, applying, applied, apply_failed, revoking, revoked or revoke_failed. */
  provisioning?: string;
  startTime: string;
  expireTime?: string;
  endTime?: string;
}

export interface Page {
  nextPageToken: string;
}

export interface ListOptions {
  labelSelector?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface ServiceAccount {
  name: string;
  serviceAccountId: string;
  displayName: string;
  email: string;
  labels: Record<string, string>;
  roles: string[];
  meta: { name: string; space: string; createTime: string; updateTime: string; deleteTime?: string };
  createdBy: Resource;
}

export interface Token {
  name: string;
  kind: "refresh" | "user";
  displayName: string;
  subject: string;
  serviceAccountId?: string;
  scope: string;
  meta: { name: string; space: string; createTime: string; expireTime?: string; deleteTime?: string };
  createdBy: Resource;
  lastUseTime?: string;
  /** Only when the token was just created: store it, it is not shown again. */
  refreshToken?: string;
  accessToken?: string;
}

/** What the token exchange answers, in both spellings Indent's clients read. */
export interface AccessToken {
  access_token: string;
  accessToken: string;
  token_type: "Bearer";
  tokenType: "Bearer";
  expires_in: number;
  expiresIn: number;
  expireTime: string;
  scope: string;
  space: string;
}

export interface Space {
  name: string;
  displayName: string;
  createTime: string;
  updateTime: string;
}

export interface Policy {
  bindings: Array<{ role: string; members: string[] }>;
}

/** A named set of people in a space, bound to roles as `group:<name>`. */
export interface Group {
  name: string;
  displayName: string;
  /** Emails, lower-cased, sorted. */
  members: string[];
  createTime: string;
  updateTime: string;
}

export interface GroupInput {
  /** Required on create: lower-case letters, digits, `.`, `_`, `-`. */
  name?: string;
  displayName?: string;
  /** Emails. */
  members?: string[];
}

/** A space's access policy: the document in force (null: any admin or reviewer approves) and its version. */
export interface AccessPolicy {
  version: number;
  policy: PolicyDocument | null;
  createTime?: string;
  createdBy?: string;
}

/** An access policy as written: ordered rules (see the README's policy language). */
export interface PolicyDocument {
  description?: string;
  rules: Array<Record<string, unknown> & { name: string }>;
  defaults?: Record<string, unknown>;
}

export interface PolicyVersion {
  version: number;
  removed: boolean;
  createTime: string;
  createdBy: string;
}

/** Why a policy does what it does with a petition (`policies:explain`). */
export interface PolicyExplanation {
  policyVersion: number | null;
  draft: boolean;
  outcome: "approve" | "deny" | "review";
  reason: string;
  decidedBy: string | null;
  pairs: Array<{
    petitioner: string;
    resource: string;
    result: "deny" | "require" | "approve" | "default";
    rules: Array<{ rule: string; matched: boolean; held: string[]; failed?: string; conditionError?: string; effect?: string }>;
  }>;
  /** Rule tests past the first 2,000, whose traces are left out (their pairs list no rules, only their result). */
  omittedTraces?: number;
  plan: ExplainedPlan;
  onCall: Array<{ provider: string; kind: string; email: string; onCall: boolean | null; detail: string; cached: boolean }>;
  webhooks: Array<{ webhook: string; policies: string[]; result: string; detail: string }>;
  petition?: { name: string; phase: Phase; outcome?: Outcome; madeUnder: ExplainedPlan | null; approvedBy: string[] };
}

export interface ExplainedPlan {
  policyVersion: number | null;
  rules: string[];
  steps: Array<{
    name: string;
    rule: string;
    approvals: number;
    allowSelfApproval: boolean;
    reviewers: Record<string, unknown>;
    eligible: string[];
    approvedBy?: string[];
  }>;
  maxDuration: string;
  defaultDuration: string;
  allowIndefinite: boolean;
  pendingTimeout: string | null;
  escalations: Array<{ after: string; notify: Review["notify"] }>;
  notify: Review["notify"];
}

/** What a draft policy would have done with the latest petitions (`policies:replay`). */
export interface PolicyReplay {
  replayed: number;
  changed: number;
  wouldAutoApprove: number;
  wouldAutoDeny: number;
  wouldNeedReview: number;
  petitions: Array<{
    name: string;
    createTime: string;
    petitioners: string[];
    resources: string[];
    actual: { phase: Phase; outcome?: Outcome; decidedBy: string };
    draft: { outcome: "approve" | "deny" | "review"; decidedBy: string | null; reason: string; needs: string[] };
    changed: boolean;
    summary: string;
  }>;
}

/** A signed approval receipt (`POST …/petitions/{petition}:receipt`). */
export interface ApprovalReceipt {
  /** The JWT; check it with `verifyReceipt` before acting. */
  receipt: string;
  petitionName: string;
  /** The operation's hash the receipt binds. */
  operationHash: string;
  /** When the receipt stops being valid (RFC 3339). */
  expireTime: string;
}

/**
 * What the server says of a receipt now: whether the approval it proves still holds. `reason`
 * says why not: `invalid` (not a receipt of this server for this space), `expired` (the
 * receipt's time is up), `revoked` (the petition is no longer granted), `expired_grant` (the
 * grant's time is up).
 */
export type ReceiptStatus =
  | { active: true; petitionName: string; operationHash: string; expireTime: string }
  | { active: false; reason: "invalid" | "expired" | "revoked" | "expired_grant"; petitionName?: string };
