import { nanosToMillis, parseGoDuration } from "../../domain/duration.js";
import { invalidArgument } from "../../domain/errors.js";
import { checkDestination } from "../destinations/check-destination.js";
import type { Context } from "../runtime/context.js";

/** Checks of what an admin sends to set up the Slack app: each names the field and what it takes. */

const BOT_TOKEN = /^xox[bpe]-[A-Za-z0-9-]{8,}$/;
const SIGNING_SECRET = /^[A-Za-z0-9]{16,128}$/;
const CHANNEL = /^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{2,20})$/;
const TEAM = /^[TE][A-Z0-9]{2,20}$/;
const MAX_REMINDER_MS = 7 * 24 * 3_600_000;

export function checkBotToken(value: string): string {
  if (!BOT_TOKEN.test(value))
    throw invalidArgument("slack.botToken must be a Slack bot token (xoxb-…), from OAuth & Permissions", "slack.botToken");
  return value;
}

export function checkSigningSecret(value: string): string {
  if (!SIGNING_SECRET.test(value)) {
    throw invalidArgument(
      "slack.signingSecret must be the app's signing secret (Basic Information → App Credentials), 16 or more letters and digits",
      "slack.signingSecret",
    );
  }
  return value;
}

export function checkApiUrl(value: string, ctx: Context): string {
  const checked = checkDestination(value, "slack.apiUrl", ctx.outbound.allow);
  return checked.endsWith("/") ? checked : `${checked}/`;
}

export function checkTeamId(value: string | null): string | null {
  if (value === null || value === "") return null;
  if (!TEAM.test(value))
    throw invalidArgument("slack.teamId must be a Slack workspace id such as T0123ABCD, or null for any", "slack.teamId");
  return value;
}

export function checkChannels(values: string[]): string[] {
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

export function checkReminder(value: string): number {
  let ms: number;
  try {
    ms = nanosToMillis(parseGoDuration(value, "slack.expiryReminder"));
  } catch {
    throw invalidArgument('slack.expiryReminder must be a duration such as "15m", or "0s" for none', "slack.expiryReminder");
  }
  if (ms < 0 || ms > MAX_REMINDER_MS) throw invalidArgument("slack.expiryReminder must be from 0s (none) to 168h", "slack.expiryReminder");
  return ms;
}
