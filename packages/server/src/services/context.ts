import type { Actor } from "../domain/actor.js";
import type { Clock } from "../domain/clock.js";
import type { GrantLimits } from "../domain/grant-expiry.js";
import type { Store } from "../store/store.js";
import type { SpaceRef } from "../store/repositories/spaces.js";
import type { Notifier } from "./notifier.js";

export type { SpaceRef };

/** What every service needs, shared by all requests and jobs. */
export interface Services {
  store: Store;
  clock: Clock;
  notifier: Notifier;
  limits: GrantLimits;
  /** Digest of the bootstrap admin token. */
  adminTokenDigest: Buffer;
}

/** One request or job run: the space it acts in, who acts, and an id for logs and errors. */
export interface Context extends Services {
  space: SpaceRef;
  actor: Actor;
  requestId: string;
}
