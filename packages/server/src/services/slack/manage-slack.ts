import { requirePermission } from "../../domain/access.js";
import { formatGoDuration, millisToNanos } from "../../domain/duration.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import { DEFAULT_EXPIRY_REMINDER_MS, DEFAULT_SLACK_API_URL, SLACK_RECEIVER, type SlackApp } from "../../domain/slack.js";
import { manifestYaml, slackAppManifest } from "../../slack/manifest.js";
import { classifySlackError, slackClient } from "../../slack/web-api.js";
import { auditTarget } from "../audit/audit.js";
import type { DestinationKind } from "../destinations/destination-kind.js";
import { forgetDeliveryTargets } from "../destinations/enqueue-deliveries.js";
import { destinationVerbs } from "../destinations/manage-destination.js";
import type { Context, Services } from "../runtime/context.js";
import { checkApiUrl, checkBotToken, checkChannels, checkReminder, checkSigningSecret, checkTeamId } from "./slack-app-input.js";
import type { SlackAppInput, SlackAppOut } from "../../contract/slack.js";

/** The Slack app as the shared destination verbs see it: one a space, named by the outbox's `slack`. */
export const SLACK_APP: DestinationKind<SlackApp, SlackAppInput, SlackAppOut> = {
  noun: "Slack app",
  permissionTo: { read: "reading the Slack app", change: "setting up the Slack app", remove: "removing the Slack app" },
  audit: "slackApp",
  collection: "slack",
  field: "slack",
  changeWith: "PUT",
  rows: (repos) => repos.slackApps,
  secrets: [
    { key: "botToken", hint: 5 },
    // Only checks what comes in from Slack: it is never sent anywhere.
    { key: "signingSecret", hint: 0, sentToDestination: () => false },
  ],
  destination: { of: (app) => app.apiUrl, movedBy: () => "apiUrl" },
  receiver: "slack",
  create(ctx, input, now) {
    if (input.botToken === undefined || input.signingSecret === undefined) {
      throw invalidArgument(
        "slack.botToken and slack.signingSecret are required to set up Slack (from api.slack.com/apps: OAuth & Permissions, and Basic Information)",
        input.botToken === undefined ? "slack.botToken" : "slack.signingSecret",
      );
    }
    // Every setting starts at its default, then the input is applied (and checked) as a change is.
    const defaults: SlackApp = {
      spaceId: ctx.space.id,
      botToken: "",
      signingSecret: "",
      apiUrl: DEFAULT_SLACK_API_URL,
      teamId: null,
      defaultChannels: [],
      expiryReminderMs: DEFAULT_EXPIRY_REMINDER_MS,
      createdAt: now,
      updatedAt: now,
      lastSuccessAt: null,
      lastError: null,
      lastErrorAt: null,
    };
    return SLACK_APP.change(ctx, defaults, input, now);
  },
  change: (ctx, current, input, now) => ({
    ...current,
    botToken: input.botToken === undefined ? current.botToken : checkBotToken(input.botToken),
    signingSecret: input.signingSecret === undefined ? current.signingSecret : checkSigningSecret(input.signingSecret),
    apiUrl: input.apiUrl === undefined ? current.apiUrl : checkApiUrl(input.apiUrl, ctx),
    teamId: input.teamId === undefined ? current.teamId : checkTeamId(input.teamId),
    defaultChannels: input.defaultChannels === undefined ? current.defaultChannels : checkChannels(input.defaultChannels),
    expiryReminderMs: input.expiryReminder === undefined ? current.expiryReminderMs : checkReminder(input.expiryReminder),
    updatedAt: now,
  }),
  view(ctx, app) {
    return {
      spaceName: ctx.space.name,
      apiUrl: app.apiUrl,
      defaultChannels: app.defaultChannels,
      expiryReminder: formatGoDuration(millisToNanos(app.expiryReminderMs)),
      ...slackEndpoints({ services: ctx, spaceName: ctx.space.name }),
      ...(app.teamId !== null ? { teamId: app.teamId } : {}),
    };
  },
  ref: (app) => ({ ...auditTarget("slackApp", SLACK_RECEIVER), labels: { ...(app.teamId ? { "slack/team/id": app.teamId } : {}) } }),
  labels: (app) => ({ "greenlight.dev/channels": app.defaultChannels.join(",") }),
  forget: (ctx) => forgetDeliveryTargets(ctx.store, ctx.space.id),
  missing: (ctx) => notSetUp(ctx),
};

const verbs = destinationVerbs(SLACK_APP);

export async function getSlackApp({ ctx }: { ctx: Context }): Promise<SlackAppOut> {
  return verbs.get({ ctx, name: SLACK_RECEIVER });
}

export async function putSlackApp({ ctx, input }: { ctx: Context; input: SlackAppInput }): Promise<SlackAppOut> {
  return verbs.put({ ctx, name: SLACK_RECEIVER, input });
}

/** Removes the app: nothing more is posted, and what was waiting to be sent to Slack is given up. */
export async function deleteSlackApp({ ctx }: { ctx: Context }): Promise<Record<string, never>> {
  await verbs.remove({ ctx, name: SLACK_RECEIVER });
  return {};
}

/** The manifest to create the Slack app from, with this server's URLs for the space. */
export function slackManifest({ ctx, format }: { ctx: Context; format: "json" | "yaml" }): object | string {
  requirePermission(ctx.access, "space.admin", "reading the Slack app manifest");
  const manifest = slackAppManifest({ publicUrl: ctx.web.publicUrl, spaceName: ctx.space.name });
  return format === "yaml" ? manifestYaml(manifest) : manifest;
}

/** Asks Slack who the bot token is (auth.test): the quickest check that the app is set up right. */
export async function testSlackApp({
  ctx,
}: {
  ctx: Context;
}): Promise<{ ok: boolean; team?: string; teamId?: string; botUserId?: string; error?: string }> {
  requirePermission(ctx.access, "space.admin", "testing the Slack app");
  const app = await ctx.store.read.slackApps.get(ctx.space.id);
  if (!app) throw notSetUp(ctx);
  const client = slackClient({ token: app.botToken, apiUrl: app.apiUrl, fetch: ctx.outbound.fetch, timeoutMs: 10_000 });
  try {
    const answer = await client.auth.test();
    return {
      ok: true,
      ...(answer.team ? { team: answer.team } : {}),
      ...(answer.team_id ? { teamId: answer.team_id } : {}),
      ...(answer.user_id ? { botUserId: answer.user_id } : {}),
    };
  } catch (error) {
    return { ok: false, error: classifySlackError(error).reason };
  }
}

function notSetUp(ctx: Context): DomainError {
  return notFound(
    `Slack is not set up in space "${ctx.space.name}"; PUT /v1/spaces/${ctx.space.name}/slack with its bot token and signing secret`,
  );
}

/** Where Slack sends a space's interactions and slash commands. */
export function slackEndpoints({ services, spaceName }: { services: Pick<Services, "web">; spaceName: string }): {
  interactivityUrl: string;
  commandsUrl: string;
} {
  const base = `${services.web.publicUrl}/v1/slack/${encodeURIComponent(spaceName)}`;
  return { interactivityUrl: `${base}/interactions`, commandsUrl: `${base}/commands` };
}
