import { resourceEmail } from "../../domain/resource.js";
import { newId } from "../../domain/ids.js";
import type { Petition } from "../../domain/petition.js";
import type { NotifyTargets } from "../../domain/policy.js";
import { SLACK_RECEIVER, type SlackOperation } from "../../domain/slack.js";
import type { OutboxEntry } from "../../store/repositories/outbox.js";
import type { Store, Tx } from "../../store/store.js";
import { slackSettingsOf } from "../destinations/enqueue-deliveries.js";
import type { Notifier } from "../runtime/notifier.js";

/**
 * Writes Slack calls to the outbox, in the transaction of the change they are about: review
 * requests when a petition needs reviewers (or escalates), an update of every posted message
 * when it changes, the decision to the petitioners, and the reminder before access ends
 * (due at that time). A space without a Slack app writes nothing.
 */

export interface SlackEnv {
  store: Store;
  notifier: Notifier;
  now: number;
}

/** People told directly about one petition, at most: a policy naming a large group still posts a bounded number of messages. */
export const MAX_DIRECT_MESSAGES = 25;
/** The destination of a direct message to a person known by email. */
export const EMAIL_DESTINATION = "email:";

/**
 * Asks for review in Slack: the channels the policy names (the app's default channels when it
 * names none, except for an escalation, which adds only what it names) and the people it
 * names, by email, petitioners left out.
 */
export async function enqueueSlackReview(
  tx: Tx,
  env: SlackEnv,
  petition: Petition,
  notify: NotifyTargets,
  options: { escalation: boolean },
): Promise<void> {
  const slack = await slackSettingsOf(env, tx, petition.spaceId);
  if (!slack) return;
  const channels = notify.channels.length > 0 || options.escalation ? notify.channels : slack.defaultChannels;
  const people = new Set(notify.users.map((email) => email.toLowerCase()));
  const groups = new Set(notify.groups);
  if (notify.reviewers) {
    for (const step of petition.reviewPlan?.steps ?? []) {
      for (const email of step.reviewers.users) people.add(email.toLowerCase());
      for (const group of step.reviewers.groups) groups.add(group);
    }
  }
  for (const name of groups) {
    const group = await tx.groups.get(petition.spaceId, name);
    for (const email of group?.members ?? []) people.add(email);
  }
  for (const petitioner of petition.petitioners) {
    const email = resourceEmail(petitioner);
    if (email !== undefined) people.delete(email);
  }
  const destinations = [...new Set(channels), ...[...people].slice(0, MAX_DIRECT_MESSAGES).map((email) => EMAIL_DESTINATION + email)];
  await write(
    tx,
    env,
    destinations.map((destination) => entry(env, petition, { op: "post", petition: petition.name, destination })),
  );
}

/**
 * After a petition changed: every message posted about it is brought up to date, the
 * petitioners hear a decision (approved, denied, timed out, revoked), and a grant that will
 * expire gets its reminder.
 */
export async function enqueueSlackChange(tx: Tx, env: SlackEnv, before: Petition, after: Petition): Promise<void> {
  const slack = await slackSettingsOf(env, tx, after.spaceId);
  if (!slack) return;
  const entries = [entry(env, after, { op: "sync", petition: after.name })];
  const decided =
    (before.phase === "open" && after.phase !== "open" && after.outcome !== "cancelled") ||
    (before.phase === "granted" && after.outcome === "revoked");
  if (decided) entries.push(entry(env, after, { op: "decision", petition: after.name }));
  if (before.phase === "open" && after.phase === "granted" && after.expireAt !== null && slack.expiryReminderMs > 0) {
    const at = after.expireAt - slack.expiryReminderMs;
    // A grant shorter than twice the reminder gets none: it was just granted, and the decision said until when.
    if (at - env.now >= slack.expiryReminderMs) {
      entries.push({ ...entry(env, after, { op: "reminder", petition: after.name, expireAt: after.expireAt }), nextAttemptAt: at });
    }
  }
  await write(tx, env, entries);
}

/** A Slack call outside a petition's changes (an answer to an interaction), in the caller's transaction. */
export async function enqueueSlackOperation(tx: Tx, env: SlackEnv, spaceId: string, operation: SlackOperation): Promise<void> {
  const petitionName = "petition" in operation && typeof operation.petition === "string" ? operation.petition : null;
  await write(tx, env, [rawEntry(env, spaceId, petitionName, operation)]);
}

function entry(env: SlackEnv, petition: Petition, operation: SlackOperation): OutboxEntry {
  return rawEntry(env, petition.spaceId, petition.name, operation);
}

function rawEntry(env: SlackEnv, spaceId: string, petitionName: string | null, operation: SlackOperation): OutboxEntry {
  return {
    id: newId("msg", env.now),
    spaceId,
    targetKind: "slack",
    targetName: SLACK_RECEIVER,
    eventType: `slack.${operation.op}`,
    petitionName,
    grantId: null,
    body: JSON.stringify(operation),
    status: "pending",
    attempts: 0,
    nextAttemptAt: env.now,
    leaseUntil: null,
    lastAttemptAt: null,
    lastStatus: null,
    lastError: null,
    createdAt: env.now,
    deliveredAt: null,
  };
}

async function write(tx: Tx, env: SlackEnv, entries: OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.outbox.insertMany(entries);
  tx.afterCommit(() => env.notifier.deliveriesQueued());
}
