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
  state: { status: { phase: Phase; outcome?: Outcome }; eventHistory: PetitionEvent[]; messages: unknown[] };
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
  status: "active" | "expired" | "revoked";
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
