import type { Access } from "../domain/access.js";
import type { Actor } from "../domain/actor.js";
import type { Clock } from "../domain/clock.js";
import type { GrantLimits } from "../domain/grant-expiry.js";
import type { Store } from "../store/store.js";
import type { SpaceRef } from "../store/repositories/spaces.js";
import type { Notifier } from "./notifier.js";
import type { TokenSigner } from "./token-signer.js";

export type { SpaceRef };

export interface TokenLifetimes {
  /** How long an access token exchanged for a refresh token lives. */
  accessMs: number;
  /** How long a minted user token lives when the request names no lifetime, and at most. */
  userDefaultMs: number;
  userMaxMs: number;
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
}

/** A request or job run by a known actor, not (yet) within a space. */
export interface ActorContext extends Services {
  actor: Actor;
  requestId: string;
}

/** One request or job run in a space: the space, who acts and with which roles, and an id for logs. */
export interface Context extends ActorContext {
  space: SpaceRef;
  access: Access;
}
