import type { Access } from "../../domain/access.js";
import type { AuditSigner } from "../audit/audit-signer.js";
import type { CheckpointWitness } from "../audit/audit-witness.js";
import type { Actor } from "../../domain/actor.js";
import type { Clock } from "../../domain/clock.js";
import { newId } from "../../domain/ids.js";
import type { GrantLimits } from "../../domain/grant-expiry.js";
import type { Store } from "../../store/store.js";
import type { SpaceRef } from "../../store/repositories/spaces.js";
import type { OutboundAllowList } from "../../integrations/outbound/address-policy.js";
import type { GuardedFetch } from "../../integrations/outbound/guarded-fetch.js";
import type { Notifier } from "./notifier.js";
import type { OnCallLookup } from "../policies/on-call-lookup.js";
import type { TokenSigner } from "../identity/token-signer.js";

export type { SpaceRef };

export interface TokenLifetimes {
  /** How long an access token exchanged for a refresh token lives. */
  accessMs: number;
  /** How long a minted user token lives when the request names no lifetime, and at most. */
  userDefaultMs: number;
  userMaxMs: number;
}

/** How automatic decisions are bounded: pending timeouts, and the calls to on-call providers and decision webhooks. */
export interface AutoDecisionSettings {
  /** The pending timeout of a petition whose policy names none; null for never. */
  defaultPendingTimeoutMs: number | null;
  /** Each call to an on-call provider; one slower than this has no opinion. */
  onCallTimeoutMs: number;
  /** How long an on-call answer is reused. */
  onCallCacheMs: number;
  /** Each call to a decision webhook. */
  decisionTimeoutMs: number;
}

/** What every service needs, shared by all requests and jobs. */
export interface Services {
  store: Store;
  clock: Clock;
  notifier: Notifier;
  limits: GrantLimits;
  /** Digest of the bootstrap admin token. */
  adminTokenDigest: Buffer;
  signer: TokenSigner;
  tokenLifetimes: TokenLifetimes;
  autoDecisions: AutoDecisionSettings;
  /** Every request to a URL an admin configured goes through this: private addresses are refused unless allowed. */
  outbound: { allow: OutboundAllowList; fetch: GuardedFetch };
  pulls: { timeoutMs: number };
  /** Where users reach this server: links in chat messages point here. Set once it listens, unless configured. */
  web: { publicUrl: string };
  /** How recent a person's strong sign-in must be for them to approve a high-risk petition (`domain/step-up.ts`). */
  stepUp: { maxAgeMs: number };
  /** Answers "who of these is on call?", with a short cache (see `on-call-lookup.ts`). */
  onCall: OnCallLookup;
  /** The audit log: its checkpoints' signer and witness, how often a chain is signed, and the shortest retention. */
  audit: {
    signer: AuditSigner;
    witness: CheckpointWitness;
    checkpointEveryEvents: number;
    checkpointIntervalMs: number;
    minRetentionMs: number;
  };
}

/** A request or job run by a known actor, not (yet) within a space. */
export interface ActorContext extends Services {
  actor: Actor;
  requestId: string;
}

/** What a background job acts as: the system, named for the job, which its audit events record. */
export function jobContext(services: Services, job: string): ActorContext {
  return { ...services, actor: { type: "system", job }, requestId: newId("req", services.clock.now()) };
}

/** One request or job run in a space: the space, who acts and with which roles, and an id for logs. */
export interface Context extends ActorContext {
  space: SpaceRef;
  access: Access;
}
