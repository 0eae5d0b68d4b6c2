import type { Destination, Switchable } from "../../domain/destination.js";
import type { TargetKind } from "../../store/repositories/outbox.js";
import type { Repositories } from "../../store/store.js";
import type { AUDIT_KINDS } from "../audit/audit.js";

/**
 * The destinations the outbox delivers to, by the name its rows give their kind: what the
 * delivery job and the delivery log need of each, the same way for all. A kind that can be
 * turned off is turned off when it answers 410 Gone; one that cannot (the Slack app, which an
 * admin removes) only records the failure.
 */
export interface ReceiverKind {
  /** How messages name one: "webhook", "event subscription", "Slack app". */
  noun: string;
  /** What audit events name it as. */
  audit: keyof typeof AUDIT_KINDS;
  rows(repos: Repositories): ReceiverRows;
  switchable: boolean;
}

/** A receiver's rows; for a kind a space has one of, the name is not asked. */
export interface ReceiverRows {
  get(spaceId: string, name: string): Promise<(Destination & Partial<Switchable> & { dryRun?: boolean }) | undefined>;
  recordOutcome(spaceId: string, name: string, outcome: { at: number; error: string | null }): Promise<void>;
  disable(spaceId: string, name: string, reason: string, at: number): Promise<void>;
}

export const RECEIVERS: Record<TargetKind, ReceiverKind> = {
  webhook: { noun: "webhook", audit: "webhook", rows: (repos) => repos.webhooks, switchable: true },
  subscription: { noun: "event subscription", audit: "subscription", rows: (repos) => repos.subscriptions, switchable: true },
  slack: { noun: "Slack app", audit: "slackApp", rows: (repos) => repos.slackApps, switchable: false },
};
