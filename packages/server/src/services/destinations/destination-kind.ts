import type { Destination } from "../../domain/destination.js";
import type { DomainError } from "../../domain/errors.js";
import type { Resource } from "../../domain/resource.js";
import type { TargetKind } from "../../store/repositories/outbox.js";
import type { Repositories } from "../../store/store.js";
import type { AUDIT_KINDS } from "../audit/audit.js";
import type { Context } from "../runtime/context.js";

/**
 * What one kind of destination (a webhook, an event subscription, an on-call provider, the Slack
 * app; a provisioner's target next) tells the shared verbs in `manage-destination.ts`: its
 * names, its secrets, where they are sent, how an input makes or changes one, and its public
 * view. Everything else (permissions, not-found and conflicts, the rule that a moved destination
 * takes its secrets again, hints, health, audit events, giving up deliveries) is the same for all.
 */
export interface DestinationKind<T extends Destination, Input, Wire> {
  /** How messages name one: "webhook", "event subscription". */
  noun: string;
  /** The object of the permission messages: "reading webhooks", "changing webhooks", "removing the Slack app". */
  permissionTo: { read: string; change: string; remove: string };
  /** What audit events name it as, and their prefix: `webhook/created`. */
  audit: keyof typeof AUDIT_KINDS;
  /** The name of its list in the API, which page tokens are bound to: `webhooks`. */
  collection: string;
  /** The input's name, which prefixes every field it reports: `webhook.url`. */
  field: string;
  /** The method that changes one, for the answer to a second with the same name. */
  changeWith: "PATCH" | "PUT";
  /** Its rows, in a transaction or in the read view. */
  rows(repos: Repositories): DestinationRows<T>;
  /** Its secrets: sealed at rest, never shown back but as hints (or once, in the answer that set one). */
  secrets: Array<SecretField<T, Input>>;
  /** Where its secrets are sent, and the input field (under `field`) that moved it there. */
  destination: { of(value: T): string; movedBy(input: Input): string };
  /** The outbox's name for it, when it receives deliveries: what is pending is given up when it is turned off or deleted. */
  receiver?: TargetKind;
  /** A new one made from the input, checked. */
  create(ctx: Context, input: Input, now: number): T;
  /** The current one changed by the input, checked. */
  change(ctx: Context, current: T, input: Input, now: number): T;
  /** Its own part of the public view: what is not its health, times, state or secrets. */
  view(ctx: Context, value: T): Omit<Wire, SharedWireField>;
  /** How audit events name it: its name and the state worth recording, never a secret or a URL (which may hold one). */
  ref(value: T): Resource;
  /** Labels its created and updated events carry besides the secrets set and the move. */
  labels?(value: T): Record<string, string>;
  /** Forgets what was remembered about it, once a change committed. */
  forget(ctx: Context, name: string): void;
  /** The answer for one the space does not have, when it says more than that. */
  missing?(ctx: Context, name: string): DomainError;
}

/** A secret a destination keeps: a field of the stored value and of the input that sets it. */
export interface SecretField<T, Input> {
  key: keyof T & keyof Input & string;
  /** Shown as `<key>Hint`: this many leading characters (what kind of secret it is: `wks0`, `xoxb-`) and the last four. */
  hint?: number;
  /** Shown in full in the answer to the request that set it, for a secret the receiver must be given; else never. */
  shownOnce?: boolean;
  /** Whether it goes to the destination (or signs what does), so that moving the destination takes it again; default yes. */
  sentToDestination?(current: T): boolean;
}

/** The view's fields the shared view fills in. */
export type SharedWireField =
  | "createTime"
  | "updateTime"
  | "lastSuccessTime"
  | "lastError"
  | "lastErrorTime"
  | "disabled"
  | "disabledReason"
  | "disabledTime"
  | "secret"
  | `${string}Hint`;

/** What the shared verbs ask of a kind's repository (`store/repositories/destinations.ts`). */
export interface DestinationRows<T> {
  get(spaceId: string, name?: string): Promise<T | undefined>;
  list(spaceId: string, page?: { after?: string; limit: number }): Promise<T[]>;
  insert(value: T): Promise<void>;
  update(value: T): Promise<void>;
  delete(spaceId: string, name?: string): Promise<boolean>;
}
