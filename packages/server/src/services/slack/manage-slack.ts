import { audit, auditTarget } from "../audit/audit.js";
import { requirePermission } from "../../domain/access.js";
import { formatGoDuration, millisToNanos, nanosToMillis, parseGoDuration } from "../../domain/duration.js";
import { DomainError, invalidArgument, notFound } from "../../domain/errors.js";
import { DEFAULT_EXPIRY_REMINDER_MS, DEFAULT_SLACK_API_URL, SLACK_RECEIVER, slackSecretHints, type SlackApp } from "../../domain/slack.js";
import { manifestYaml, slackAppManifest } from "../../slack/manifest.js";
import { classifySlackError, slackClient } from "../../slack/web-api.js";
import { checkDestination, checkDestinationSecrets } from "../destinations/check-destination.js";
import type { Context, Services } from "../runtime/context.js";
import { giveUpDeliveries } from "../destinations/deliver-outbox.js";
import { forgetDeliveryTargets } from "../destinations/enqueue-deliveries.js";

/**
 * The Slack app of a space, set up by its admins: the bot token Greenlight calls Slack with and
 * the signing secret it checks Slack's requests with (both sealed at rest and never shown back,
 * only a hint of each), the API URL, the workspace it answers, where review requests go when a
 * policy names no channel, and how long before expiry petitioners are reminded.
 */
export interface WireSlackApp {
  spaceName: string;
  apiUrl: string;
  teamId?: string;
  defaultChannels: string[];
  expiryReminder: string;
  botTokenHint: string;
  signingSecretHint: string;
  interactivityUrl: string;
  commandsUrl: string;
  createTime: string;
  updateTime: string;
  lastSuccessTime?: string;
  lastError?: string;
  lastErrorTime?: string;
}

export interface SlackAppInput {
  botToken?: string;
  signingSecret?: string;
  apiUrl?: string;
  teamId?: string | null;
  defaultChannels?: string[];
  expiryReminder?: string;
}

const BOT_TOKEN = /^xox[bpe]-[A-Za-z0-9-]{8,}$/;
const SIGNING_SECRET = /^[A-Za-z0-9]{16,128}$/;
const CHANNEL = /^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{2,20})$/;
const TEAM = /^[TE][A-Z0-9]{2,20}$/;
const MAX_REMINDER_MS = 7 * 24 * 3_600_000;

export async function getSlackApp({ ctx }: { ctx: Context }): Promise<WireSlackApp> {
  requirePermission(ctx.access, "space.admin", "reading the Slack app");
  return toWire(ctx, await loadApp(ctx));
}

export async function putSlackApp({ ctx, input }: { ctx: Context; input: SlackAppInput }): Promise<WireSlackApp> {
  requirePermission(ctx.access, "space.admin", "setting up the Slack app");
  const now = ctx.clock.now();
  const saved = await ctx.store.transaction(async (tx) => {
    const existing = await tx.slack.getApp(ctx.space.id);
    if (!existing && (input.botToken === undefined || input.signingSecret === undefined)) {
      throw invalidArgument(
        "slack.botToken and slack.signingSecret are required to set up Slack (from api.slack.com/apps: OAuth & Permissions, and Basic Information)",
        input.botToken === undefined ? "slack.botToken" : "slack.signingSecret",
      );
    }
    const app: SlackApp = {
      spaceId: ctx.space.id,
      botToken: input.botToken === undefined ? existing!.botToken : botToken(input.botToken),
      signingSecret: input.signingSecret === undefined ? existing!.signingSecret : signingSecret(input.signingSecret),
      apiUrl: input.apiUrl === undefined ? (existing?.apiUrl ?? DEFAULT_SLACK_API_URL) : apiUrl(input.apiUrl, ctx),
      teamId: input.teamId === undefined ? (existing?.teamId ?? null) : teamId(input.teamId),
      defaultChannels: input.defaultChannels === undefined ? (existing?.defaultChannels ?? []) : channels(input.defaultChannels),
      expiryReminderMs:
        input.expiryReminder === undefined ? (existing?.expiryReminderMs ?? DEFAULT_EXPIRY_REMINDER_MS) : reminder(input.expiryReminder),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      lastSuccessAt: existing?.lastSuccessAt ?? null,
      lastError: existing?.lastError ?? null,
      lastErrorAt: existing?.lastErrorAt ?? null,
    };
    const secretLabels = checkDestinationSecrets({ field: "slack.apiUrl", from: existing?.apiUrl ?? app.apiUrl, to: app.apiUrl }, [
      { field: "slack.botToken", given: input.botToken !== undefined },
      { field: "slack.signingSecret", given: input.signingSecret !== undefined, sentToDestination: false },
    ]);
    await tx.slack.putApp(app);
    await audit(tx, ctx, ctx.space, now, {
      event: existing ? "slackApp/updated" : "slackApp/created",
      resources: [{ ...auditTarget("slackApp", "slack"), labels: app.teamId ? { "slack/team/id": app.teamId } : {} }],
      labels: { "greenlight.dev/channels": app.defaultChannels.join(","), ...secretLabels },
    });
    tx.afterCommit(() => forget(ctx));
    return app;
  });
  return toWire(ctx, saved);
}

/** Removes the app: nothing more is posted, and what was waiting to be sent to Slack is given up. */
export async function deleteSlackApp({ ctx }: { ctx: Context }): Promise<Record<string, never>> {
  requirePermission(ctx.access, "space.admin", "removing the Slack app");
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.slack.deleteApp(ctx.space.id))) throw notSetUp(ctx);
    await audit(tx, ctx, ctx.space, ctx.clock.now(), { event: "slackApp/deleted", resources: [auditTarget("slackApp", "slack")] });
    await giveUpDeliveries(tx, ctx, "slack", SLACK_RECEIVER, "the Slack app was removed");
    tx.afterCommit(() => forget(ctx));
  });
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
  const app = await loadApp(ctx);
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

async function loadApp(ctx: Context): Promise<SlackApp> {
  const app = await ctx.store.read.slack.getApp(ctx.space.id);
  if (!app) throw notSetUp(ctx);
  return app;
}

function notSetUp(ctx: Context): DomainError {
  return notFound(
    `Slack is not set up in space "${ctx.space.name}"; PUT /v1/spaces/${ctx.space.name}/slack with its bot token and signing secret`,
  );
}

function forget(ctx: Context): void {
  forgetDeliveryTargets(ctx.store, ctx.space.id);
}

/** Where Slack sends a space's interactions and slash commands. */
export function slackEndpoints(services: Pick<Services, "web">, spaceName: string): { interactivityUrl: string; commandsUrl: string } {
  const base = `${services.web.publicUrl}/v1/slack/${encodeURIComponent(spaceName)}`;
  return { interactivityUrl: `${base}/interactions`, commandsUrl: `${base}/commands` };
}

function toWire(ctx: Context, app: SlackApp): WireSlackApp {
  const out: WireSlackApp = {
    spaceName: ctx.space.name,
    apiUrl: app.apiUrl,
    defaultChannels: app.defaultChannels,
    expiryReminder: formatGoDuration(millisToNanos(app.expiryReminderMs)),
    ...slackSecretHints(app),
    ...slackEndpoints(ctx, ctx.space.name),
    createTime: new Date(app.createdAt).toISOString(),
    updateTime: new Date(app.updatedAt).toISOString(),
  };
  if (app.teamId !== null) out.teamId = app.teamId;
  if (app.lastSuccessAt !== null) out.lastSuccessTime = new Date(app.lastSuccessAt).toISOString();
  if (app.lastError !== null) out.lastError = app.lastError;
  if (app.lastErrorAt !== null) out.lastErrorTime = new Date(app.lastErrorAt).toISOString();
  return out;
}

function botToken(value: string): string {
  if (!BOT_TOKEN.test(value))
    throw invalidArgument("slack.botToken must be a Slack bot token (xoxb-…), from OAuth & Permissions", "slack.botToken");
  return value;
}

function signingSecret(value: string): string {
  if (!SIGNING_SECRET.test(value)) {
    throw invalidArgument(
      "slack.signingSecret must be the app's signing secret (Basic Information → App Credentials), 16 or more letters and digits",
      "slack.signingSecret",
    );
  }
  return value;
}

function apiUrl(value: string, ctx: Context): string {
  const checked = checkDestination(value, "slack.apiUrl", ctx.outbound.allow);
  return checked.endsWith("/") ? checked : `${checked}/`;
}

function teamId(value: string | null): string | null {
  if (value === null || value === "") return null;
  if (!TEAM.test(value))
    throw invalidArgument("slack.teamId must be a Slack workspace id such as T0123ABCD, or null for any", "slack.teamId");
  return value;
}

function channels(values: string[]): string[] {
  if (values.length > 20) throw invalidArgument("slack.defaultChannels may name at most 20 channels", "slack.defaultChannels");
  values.forEach((channel, i) => {
    if (!CHANNEL.test(channel)) {
      throw invalidArgument(
        `slack.defaultChannels[${i}] must be a channel id (C0123ABCD) or #name, not ${JSON.stringify(channel)}`,
        `slack.defaultChannels[${i}]`,
      );
    }
  });
  return [...new Set(values)];
}

function reminder(value: string): number {
  let ms: number;
  try {
    ms = nanosToMillis(parseGoDuration(value, "slack.expiryReminder"));
  } catch {
    throw invalidArgument('slack.expiryReminder must be a duration such as "15m", or "0s" for none', "slack.expiryReminder");
  }
  if (ms < 0 || ms > MAX_REMINDER_MS) throw invalidArgument("slack.expiryReminder must be from 0s (none) to 168h", "slack.expiryReminder");
  return ms;
}
