import type { Petition } from "@greenlight/sdk";
import { who } from "../format.js";

/**
 * How the review pages name a petition and what is known about who asked, so repeated
 * controls (each inbox card's Approve) say which petition they act on.
 */

/** "bob@example.com's request for Billing DB": names a petition in buttons and announcements. */
export function requestName(petition: Petition): string {
  const asker = petition.petitioners.map(who).join(", ") || "someone";
  const asked = petition.resources.map((r) => r.displayName || r.id || r.email || r.kind).join(", ");
  return `${asker}'s request for ${asked}`;
}

/** The agent that made the petition and the people it acts for, from the labels the server sets. */
export function agentOf(petition: Petition): { agent: string; onBehalfOf: string } | undefined {
  const labels = petition.meta.labels ?? {};
  const agent = labels["greenlight.dev/agent"];
  return agent ? { agent, onBehalfOf: labels["greenlight.dev/on-behalf-of"] ?? "" } : undefined;
}

/** The requesters of a petition, lower-cased, for filtering. */
export function requesters(petition: Petition): string[] {
  return petition.petitioners.map((p) => who(p).toLowerCase());
}

/** Why a decision did not go through, in a sentence for the summary. */
export function refusalOf(status: number, message: string): string {
  if (status === 409) return `someone else decided it meanwhile, so it no longer waits for you (${message})`;
  if (status === 404) return "it is gone, or you may no longer see it";
  return message;
}

/** A principal key as people read it: "user:alice@example.com" → "alice@example.com". */
export function shortPrincipal(key: string): string {
  return key.replace(/^user:/, "");
}

/** The reviewers a plan's step names, as people read them: "carol@example.com", "any reviewer", "group sre". */
export function namedReviewers(reviewers: {
  users?: string[];
  groups?: string[];
  roles?: string[];
  serviceAccounts?: string[];
  bots?: string[];
}): string[] {
  return [
    ...(reviewers.users ?? []),
    ...(reviewers.groups ?? []).map((group) => `group ${group}`),
    ...(reviewers.roles ?? []).map((role) => `any ${role}`),
    ...(reviewers.serviceAccounts ?? []).map((account) => `service account ${account}`),
    ...(reviewers.bots ?? []).map((bot) => `bot ${bot}`),
  ];
}
