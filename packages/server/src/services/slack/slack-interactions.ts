import type { WebClient } from "@slack/web-api";
import type { Access } from "../../domain/access.js";
import type { Actor } from "../../domain/actor.js";
import { DURATION_LABEL, INDEFINITE_LABEL } from "../../domain/grant-expiry.js";
import { emailProblem, normalizeEmail } from "../../domain/email.js";
import { isDomainError } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import { BLOCK_LABEL, isRequestable } from "../../domain/resource.js";
import type { SlackApp, SlackOperation } from "../../domain/slack.js";
import type { Petition, PetitionEvent } from "../../domain/petition.js";
import { denyReasonModal, requestModal, requestReceivedMessage } from "../../slack/blocks.js";
import { escapeUserText } from "../../slack/mrkdwn.js";
import { ACTION, VIEW, type DenyModalMetadata, type PetitionCard } from "../../slack/card.js";
import type { Context, Services } from "../runtime/context.js";
import { createClaim } from "../petitions/create-claim.js";
import { createPetition } from "../petitions/create-petition.js";
import { accessIn } from "../identity/enter-space.js";
import { listResources } from "../catalog/list-resources.js";
import { loadVisiblePetition } from "../petitions/load-petition.js";
import { planOf } from "../petitions/review-plan.js";
import { resolveSpaceById } from "../identity/resolve-space.js";
import { durationChoices, INDEFINITE_CHOICE } from "./slack-card.js";
import { enqueueSlackOperation } from "./slack-notify.js";
import type { ResourceOut } from "../../contract/resources.js";

/**
 * What handling an interaction needs of the Slack delivery that carries it (`SlackRun` in
 * `slack-operations.ts`, which calls this module, so it is named here and not imported).
 */
export interface SlackRun {
  readonly services: Services;
  readonly app: SlackApp;
  readonly client: WebClient;
  readonly spaceId: string;
  load(name: string): Promise<{ petition: Petition; history: PetitionEvent[] } | undefined>;
  card(petition: Petition, history: PetitionEvent[]): PetitionCard;
}

/**
 * What Slack's interactions do, once the endpoint verified and acknowledged them: Approve and
 * Deny buttons, the deny-reason and request modals, and `/greenlight request`. The Slack user
 * is mapped to a Greenlight user by the verified email Slack gives for them; one who cannot be
 * mapped, or who may not decide, is told why (only they see it) and nothing changes. A
 * decision is recorded as that user's, with their Slack ids on the claim, and is checked like
 * any other (self-approval, eligibility, limits). Every Slack call after a decision leaves
 * through the outbox, so a retry of this delivery never decides twice: what it changed is
 * already recorded, and the second attempt is refused as "already decided" quietly.
 */

type Interaction = Extract<SlackOperation, { op: "interaction" }>;

/** Labels a decision made in Slack carries: who clicked, in which workspace. */
export const SLACK_USER_LABEL = "greenlight.dev/slack/user";
export const SLACK_TEAM_LABEL = "greenlight.dev/slack/team";
export const VIA_LABEL = "greenlight.dev/via";

/** How long Slack's trigger id lasts: a modal must open within it. */
const TRIGGER_MS = 3000;
/** Requestable resources the request modal lists at most (a select's limit). */
const MODAL_RESOURCES = 100;
/** Catalog pages of 100 the request modal looks through for matches. */
const CATALOG_PAGES = 10;

interface SlackUserRef {
  id: string;
  team: string;
}

type Identified = { ok: true; ctx: Context; slack: SlackUserRef } | { ok: false; why: string };

export async function handleSlackInteraction(run: SlackRun, interaction: Interaction): Promise<string> {
  const payload = interaction.payload as Record<string, any>;
  if (interaction.kind === "command") return command(run, payload, interaction.receivedAt);
  if (interaction.kind === "view") return viewSubmission(run, payload);
  return blockAction(run, payload, interaction.receivedAt);
}

async function blockAction(run: SlackRun, payload: Record<string, any>, receivedAt: number): Promise<string> {
  const action = (payload["actions"] as Array<Record<string, any>> | undefined)?.[0];
  const actionId = String(action?.["action_id"] ?? "");
  if (actionId !== ACTION.approve && actionId !== ACTION.deny) return `nothing to do for ${actionId || "an empty action"}`;
  const petitionName = String(action?.["value"] ?? "");
  const where = placeOf(payload);
  const who = await identify(run, payload);
  if (!who.ok) return explain(run, where, who.why);
  const found = await visiblePetition(who.ctx, petitionName);
  if (typeof found === "string") return explain(run, where, found);
  if (planOf(found, run.services.limits).highRisk) {
    return explain(run, where, `${petitionName} is high-risk: review it in Greenlight, where you sign in again first.`);
  }
  if (actionId === ACTION.deny) {
    // Who may not deny is told now, before typing a reason for nothing.
    const meta: DenyModalMetadata = {
      petition: petitionName,
      ...(where.channel ? { channel: where.channel } : {}),
      ...(where.messageTs ? { messageTs: where.messageTs } : {}),
    };
    const loaded = await run.load(petitionName);
    if (!loaded) return explain(run, where, `${petitionName} no longer exists.`);
    if (loaded.petition.phase !== "open") return explain(run, where, `${petitionName} was already decided.`);
    await enqueue(run, {
      op: "view",
      triggerId: String(payload["trigger_id"] ?? ""),
      view: denyReasonModal(meta, run.card(loaded.petition, loaded.history)),
      notAfter: receivedAt + TRIGGER_MS,
      user: who.slack.id,
      ...(where.channel ? { channel: where.channel } : {}),
    });
    return `asked ${who.ctx.actor.type === "user" ? who.ctx.actor.email : who.slack.id} for a reason to deny ${petitionName}`;
  }
  const duration = selectedDuration(payload, String(action?.["block_id"] ?? ""));
  const labels: Record<string, string> =
    duration === INDEFINITE_CHOICE ? { [INDEFINITE_LABEL]: "true" } : duration ? { [DURATION_LABEL]: duration } : {};
  return decide(run, who, where, petitionName, "access/approve", "approved in Slack", labels);
}

async function viewSubmission(run: SlackRun, payload: Record<string, any>): Promise<string> {
  const view = payload["view"] as Record<string, any> | undefined;
  const values = (view?.["state"]?.["values"] ?? {}) as Record<string, Record<string, any>>;
  const who = await identify(run, payload);
  if (view?.["callback_id"] === VIEW.deny) {
    const meta = parseMeta(view["private_metadata"]);
    const where = { user: String(payload["user"]?.["id"] ?? ""), ...(meta.channel ? { channel: meta.channel } : {}) };
    if (!who.ok) return explain(run, where, who.why);
    const reason = String(values["reason"]?.["reason"]?.["value"] ?? "").trim() || "denied in Slack";
    return decide(run, who, where, meta.petition, "access/deny", reason, {});
  }
  if (view?.["callback_id"] === VIEW.request) {
    const where = { user: String(payload["user"]?.["id"] ?? "") };
    if (!who.ok) return explain(run, where, who.why);
    return request(run, who, where, values);
  }
  return `nothing to do for a view ${String(view?.["callback_id"] ?? "")}`;
}

async function command(run: SlackRun, payload: Record<string, any>, receivedAt: number): Promise<string> {
  const text = String(payload["text"] ?? "").trim();
  const search = text.replace(/^request\b/i, "").trim();
  const where = { user: String(payload["user_id"] ?? ""), ...(payload["channel_id"] ? { channel: String(payload["channel_id"]) } : {}) };
  const who = await identify(run, { user: { id: payload["user_id"], team_id: payload["team_id"] }, team: { id: payload["team_id"] } });
  if (!who.ok) return explain(run, where, who.why);
  const needle = search.toLowerCase();
  const matching: ResourceOut[] = [];
  let pageToken = "";
  // The first matches in catalog order, from a bounded number of pages.
  for (let page = 0; page < CATALOG_PAGES && matching.length < MODAL_RESOURCES; page += 1) {
    const listed = await listResources({
      ctx: who.ctx,
      query: { view: "requestable", pageSize: 100, ...(pageToken ? { pageToken } : {}) },
    });
    matching.push(
      ...listed.resources.filter(
        (r) => needle === "" || [r.kind, r.id, r.displayName].some((field) => field?.toLowerCase().includes(needle)),
      ),
    );
    pageToken = listed.nextPageToken;
    if (!pageToken) break;
  }
  const durations = durationChoices(run.services.limits, null);
  const view = requestModal({
    // The catalog name stands for the resource: Slack keeps an option's value short.
    resources: matching.slice(0, MODAL_RESOURCES).map((r) => ({
      value: r.labels[BLOCK_LABEL] ?? "",
      label: `${r.displayName || r.id || r.email} (${r.kind})`,
    })),
    durations: durations.choices,
    defaultDuration: durations.preselected,
    ...(search ? { search } : {}),
  });
  // Straight away: the trigger lasts only three seconds. A failure is retried like any call, and a late retry gives up.
  if (run.services.clock.now() > receivedAt + TRIGGER_MS)
    return explain(run, where, "The request form could not open in time. Please try again.");
  await run.client.views.open({ trigger_id: String(payload["trigger_id"] ?? ""), view: view as never });
  return `opened the request form for ${who.ctx.actor.type === "user" ? who.ctx.actor.email : where.user} (${matching.length} resource(s))`;
}

async function request(
  run: SlackRun,
  who: Extract<Identified, { ok: true }>,
  where: Place,
  values: Record<string, Record<string, any>>,
): Promise<string> {
  const actor = who.ctx.actor as Extract<Actor, { type: "user" }>;
  const chosen = String(values["resource"]?.["resource"]?.["selected_option"]?.["value"] ?? "");
  const found = chosen === "" ? undefined : await who.ctx.store.read.resources.get(who.ctx.space.id, chosen);
  if (!found || !isRequestable(found)) return explain(run, where, "That resource cannot be requested (any more); choose another.");
  const resource = { kind: found.kind, ...(found.id ? { id: found.id } : {}) };
  const reason = String(values["reason"]?.["reason"]?.["value"] ?? "").trim();
  const duration = String(values["duration"]?.["duration"]?.["selected_option"]?.["value"] ?? "");
  const labels: Record<string, string> = {};
  if (duration === INDEFINITE_CHOICE) labels[INDEFINITE_LABEL] = "true";
  try {
    const created = await createPetition({
      ctx: who.ctx,
      serverLabels: { [VIA_LABEL]: "slack", [SLACK_USER_LABEL]: who.slack.id },
      input: {
        petitioners: [{ kind: "user", email: actor.email }],
        resources: [resource],
        reason,
        ...(duration && duration !== INDEFINITE_CHOICE ? { defaultDuration: duration } : {}),
        meta: { labels },
      },
    });
    const name = created.petition.name;
    const loaded = await run.load(name);
    if (loaded) {
      const message = requestReceivedMessage(run.card(loaded.petition, loaded.history));
      await enqueue(run, { op: "dm", user: where.user, text: message.text, petition: name });
    }
    return `${created.created ? "created" : "found"} petition ${name} for ${actor.email}`;
  } catch (error) {
    if (isDomainError(error) && error.code !== "CONFLICT" && error.code !== "UNAVAILABLE")
      return explain(run, where, `Your request was not made: ${error.message}`);
    throw error;
  }
}

async function decide(
  run: SlackRun,
  who: Extract<Identified, { ok: true }>,
  where: Place,
  petitionName: string,
  event: "access/approve" | "access/deny",
  reason: string,
  labels: Record<string, string>,
): Promise<string> {
  const email = (who.ctx.actor as Extract<Actor, { type: "user" }>).email;
  try {
    await createClaim({
      ctx: who.ctx,
      petitionName,
      claim: { event, reason, meta: { labels } },
      serverLabels: { [VIA_LABEL]: "slack", [SLACK_USER_LABEL]: who.slack.id, [SLACK_TEAM_LABEL]: who.slack.team },
    });
    return `${event === "access/approve" ? "approved" : "denied"} ${petitionName} as ${email}`;
  } catch (error) {
    // The same click taken twice (a retried delivery) finds the petition decided: already done.
    if (isDomainError(error) && error.code === "INVALID_TRANSITION") {
      return explain(run, where, `${petitionName} was already decided: ${error.message}`);
    }
    if (isDomainError(error) && error.code !== "CONFLICT" && error.code !== "UNAVAILABLE" && error.code !== "INTERNAL") {
      return explain(run, where, error.message);
    }
    throw error;
  }
}

/**
 * The Greenlight user a Slack user is: the workspace must be the app's (when it names one), the
 * account a person's (not deleted, not a bot), with an email Slack has confirmed, and that
 * person must have a role in the space.
 */
async function identify(run: SlackRun, payload: Record<string, any>): Promise<Identified> {
  const userId = String(payload["user"]?.["id"] ?? "");
  const team = String(payload["user"]?.["team_id"] ?? payload["team"]?.["id"] ?? "");
  if (userId === "") return { ok: false, why: "Slack did not say who you are." };
  if (run.app.teamId !== null && team !== run.app.teamId && String(payload["team"]?.["id"] ?? "") !== run.app.teamId) {
    return { ok: false, why: "This Slack workspace is not the one Greenlight is set up for." };
  }
  const info = await usersInfo(run.client, userId);
  if (!info) return { ok: false, why: "Greenlight could not find your Slack account." };
  if (info.deleted || info.is_bot) return { ok: false, why: "Only people can request or decide access." };
  const claimed = info.profile?.email ?? "";
  if (!claimed) {
    return {
      ok: false,
      why: "Greenlight cannot see the email of your Slack account (the app needs the users:read.email scope), so it cannot tell who you are.",
    };
  }
  if (info.is_email_confirmed === false)
    return { ok: false, why: `Your Slack email ${claimed} is not confirmed, so Greenlight cannot tell it is you.` };
  const email = normalizeEmail(claimed);
  if (email === undefined) return { ok: false, why: `Greenlight cannot take your Slack email: ${emailProblem(claimed)}.` };
  const space = await resolveSpaceById(run.services, run.spaceId);
  const actor: Actor = { type: "user", email, spaceId: space.id, tokenId: `slack:${userId}` };
  const access: Access = await accessIn(run.services.store.read, actor, space);
  if (access.roles.size === 0) {
    return { ok: false, why: `${email} has no role in Greenlight's space "${space.name}"; an admin of the space can give you one.` };
  }
  const ctx: Context = { ...run.services, actor, requestId: newId("req", run.services.clock.now()), space, access };
  return { ok: true, ctx, slack: { id: userId, team } };
}

interface SlackUserInfo {
  deleted?: boolean;
  is_bot?: boolean;
  is_email_confirmed?: boolean;
  profile?: { email?: string };
}

async function usersInfo(client: WebClient, user: string): Promise<SlackUserInfo | undefined> {
  try {
    return (await client.users.info({ user })).user as SlackUserInfo | undefined;
  } catch (error) {
    if ((error as { data?: { error?: string } }).data?.error === "user_not_found") return undefined;
    throw error;
  }
}

async function visiblePetition(ctx: Context, name: string) {
  try {
    return await loadVisiblePetition(ctx.store.read, ctx, name);
  } catch (error) {
    if (isDomainError(error) && error.code === "NOT_FOUND") return `You may not review ${name}: you are not among its reviewers.`;
    throw error;
  }
}

interface Place {
  user: string;
  channel?: string;
  messageTs?: string;
}

function placeOf(payload: Record<string, any>): Place {
  const channel = payload["channel"]?.["id"] ?? payload["container"]?.["channel_id"];
  const messageTs = payload["container"]?.["message_ts"] ?? payload["message"]?.["ts"];
  return {
    user: String(payload["user"]?.["id"] ?? ""),
    ...(channel ? { channel: String(channel) } : {}),
    ...(messageTs ? { messageTs: String(messageTs) } : {}),
  };
}

function selectedDuration(payload: Record<string, any>, blockId: string): string | undefined {
  const values = (payload["state"]?.["values"] ?? {}) as Record<string, Record<string, any>>;
  const fromBlock = Object.hasOwn(values, blockId) ? values[blockId]?.[ACTION.duration]?.["selected_option"]?.["value"] : undefined;
  if (typeof fromBlock === "string") return fromBlock;
  for (const block of Object.values(values)) {
    const value = block[ACTION.duration]?.["selected_option"]?.["value"];
    if (typeof value === "string") return value;
  }
  return undefined;
}

function parseMeta(text: unknown): DenyModalMetadata {
  try {
    const meta = JSON.parse(String(text)) as DenyModalMetadata;
    if (typeof meta.petition === "string") return meta;
  } catch {
    // Not ours: answered below as a petition that does not exist.
  }
  return { petition: "" };
}

/**
 * Tells the user why, where only they see it (through the outbox); returns the same for the log.
 * The words quote what people wrote (names, emails, what an error says of their input), so
 * they are escaped as people's text is.
 */
async function explain(run: SlackRun, where: Place, why: string): Promise<string> {
  const text = escapeUserText(why, { lines: true });
  const operation: SlackOperation = where.channel
    ? { op: "ephemeral", channel: where.channel, user: where.user, text }
    : { op: "dm", user: where.user, text };
  await enqueue(run, operation);
  return `refused: ${why}`;
}

async function enqueue(run: SlackRun, operation: SlackOperation): Promise<void> {
  const now = run.services.clock.now();
  await run.services.store.transaction((tx) => enqueueSlackOperation(tx, { ...run.services, now }, run.spaceId, operation));
}
