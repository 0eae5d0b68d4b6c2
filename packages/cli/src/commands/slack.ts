import { GreenlightError, type SlackApp, type SlackAppInput, type SlackTestResult } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor, collect } from "../client.js";
import { EXIT, parseFormat, printJson, UsageError, withHint } from "../output.js";
import { slackSecretsFromEnv } from "../settings.js";
import { addDeliveryCommands, withOutputFlag } from "./delivery-commands.js";
import { healthFacts, printFacts, requireChanges } from "./receiver-commands.js";

const SET_UP = "set it up: greenlight slack manifest, then greenlight slack set --bot-token … --signing-secret …";

/**
 * `greenlight slack …`: the space's Slack app, which posts petitions to channels with buttons
 * to decide them and answers the `/greenlight` slash command, and the log of what it posted.
 *
 * @example
 * greenlight slack manifest > manifest.yaml        # api.slack.com/apps → Create New App → From a manifest
 * SLACK_BOT_TOKEN=xoxb-… SLACK_SIGNING_SECRET=… greenlight slack set --channel C0123ABCD
 * greenlight slack test
 * greenlight slack deliveries --failed
 */
export function slackCommand(): Command {
  const slack = new Command("slack").description("the Slack app: petitions posted to channels, decided with buttons or /greenlight");

  withOutputFlag(slack.command("show").description("show the Slack app's settings (never its secrets, only hints)")).action(
    async (options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const app = await ifSetUp(clientFor(command).slack.get());
      if (format === "json") printJson(app);
      else printSlackApp(app);
    },
  );

  withOutputFlag(
    slack
      .command("set")
      .description("set up the Slack app, or change the given settings; the secrets are needed the first time only")
      .option("--bot-token <xoxb>", "the app's Bot User OAuth Token (default: $SLACK_BOT_TOKEN)")
      .option("--signing-secret <secret>", "the app's Signing Secret, from Basic Information (default: $SLACK_SIGNING_SECRET)")
      .option("--api-url <url>", "Slack's Web API (default https://slack.com/api/)")
      .option("--team-id <id>", "accept interactions from this Slack workspace (T…) alone")
      .option("--any-team", "accept interactions from any Slack workspace again")
      .option(
        "--channel <id>",
        "a channel id (C0123ABCD) or #name posted to when a policy names none (repeatable; replaces the list)",
        collect,
      )
      .option("--no-channel", "post only to the channels policies name")
      .option("--expiry-reminder <duration>", "how long before a grant expires to message its petitioner, as 15m or 1h; 0s is off")
      .addHelpText(
        "after",
        "\nThe bot token and signing secret are read from SLACK_BOT_TOKEN and\n" +
          "SLACK_SIGNING_SECRET when the flags are not given, so they need not be on the\n" +
          "command line (where shell history and other users see them). Left out after\n" +
          "the first time, they stay as they are.",
      ),
  ).action(async (options: SetFlags, command: Command) => {
    const format = parseFormat(options.output);
    const { input, fromEnv } = inputOf(options);
    requireChanges(
      input,
      "--bot-token, --signing-secret (or SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET), --api-url, --team-id, --any-team, --[no-]channel or --expiry-reminder",
    );
    const client = clientFor(command);
    const app = await client.slack.set(input);
    if (format === "json") return printJson(app);
    const env = (name: string) => (fromEnv.includes(name) ? ` from ${name}` : "");
    process.stdout.write(
      `Saved the Slack app of space ${app.spaceName} (bot token ${app.botTokenHint}${env("SLACK_BOT_TOKEN")}, ` +
        `signing secret ${app.signingSecretHint}${env("SLACK_SIGNING_SECRET")}); check it with: greenlight slack test\n`,
    );
  });

  slack
    .command("remove")
    .description("remove the Slack app from the space: nothing more is posted to Slack")
    .action(async (_options: unknown, command: Command) => {
      const client = clientFor(command);
      await client.slack.remove();
      process.stdout.write(`Removed the Slack app of space ${client.spaceName}\n`);
    });

  slack
    .command("manifest")
    .description("print the Slack app manifest for this server, to paste into api.slack.com/apps → Create New App → From a manifest")
    .option("--format <format>", "yaml or json", "yaml")
    .action(async (options: { format: string }, command: Command) => {
      if (options.format !== "yaml" && options.format !== "json") {
        throw new UsageError(`--format must be yaml or json, not ${JSON.stringify(options.format)}`);
      }
      const client = clientFor(command);
      if (options.format === "json") return printJson(await client.slack.manifest());
      const yaml = await client.slack.manifestYaml();
      process.stdout.write(yaml.endsWith("\n") ? yaml : `${yaml}\n`);
    });

  withOutputFlag(slack.command("test").description("ask Slack whether the bot token works (exit 1 if not)")).action(
    async (options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const result = await ifSetUp(clientFor(command).slack.test());
      if (!result.ok) process.exitCode = EXIT.failed;
      if (format === "json") return printJson(result);
      if (result.ok) {
        process.stdout.write(`ok: the bot token works${whereOf(result)}\n`);
      } else {
        process.stderr.write(
          `greenlight: Slack's auth.test failed: ${result.error ?? "no reason given"}\n  check the bot token (greenlight slack set --bot-token …) and the API URL (greenlight slack show)\n`,
        );
      }
    },
  );

  addDeliveryCommands(slack, {
    named: false,
    listed: "what was posted to Slack",
    to: () => "Slack",
    log: (client) => ({
      deliveries: (_name, query) => ifSetUp(client.slack.deliveries(query)),
      delivery: (_name, id) => client.slack.delivery(id),
      redeliver: (_name, id) => client.slack.redeliver(id),
    }),
  });

  return slack;
}

interface SetFlags {
  botToken?: string;
  signingSecret?: string;
  apiUrl?: string;
  teamId?: string;
  anyTeam?: boolean;
  /** False with --no-channel. */
  channel?: string[] | false;
  expiryReminder?: string;
  output: string;
}

/** The settings to send, and which secrets came from the environment. */
function inputOf(options: SetFlags): { input: SlackAppInput; fromEnv: string[] } {
  if (options.teamId !== undefined && options.anyTeam) throw new UsageError("give --team-id or --any-team, not both");
  const env = slackSecretsFromEnv();
  const fromEnv = [
    ...(options.botToken === undefined && env.botToken ? ["SLACK_BOT_TOKEN"] : []),
    ...(options.signingSecret === undefined && env.signingSecret ? ["SLACK_SIGNING_SECRET"] : []),
  ];
  const input: SlackAppInput = {
    botToken: options.botToken ?? env.botToken,
    signingSecret: options.signingSecret ?? env.signingSecret,
    apiUrl: options.apiUrl,
    teamId: options.anyTeam ? null : options.teamId,
    defaultChannels: options.channel === false ? [] : options.channel && channelsOf(options.channel),
    expiryReminder: options.expiryReminder,
  };
  return { input, fromEnv };
}

function channelsOf(values: string[]): string[] {
  const channels = values.flatMap((value) => value.split(",")).map((channel) => channel.trim());
  if (channels.some((channel) => channel === "")) {
    throw new UsageError("--channel must be a channel id such as C0123ABCD or a #name (repeat it for more), with nothing empty");
  }
  return channels;
}

/** A server's NOT_FOUND for the Slack app, with how to set it up. */
async function ifSetUp<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof GreenlightError && error.code === "NOT_FOUND") throw withHint(error, SET_UP);
    throw error;
  }
}

function printSlackApp(app: SlackApp): void {
  printFacts([
    ["space", app.spaceName],
    ["bot token", app.botTokenHint],
    ["signing secret", app.signingSecretHint],
    ["workspace", app.teamId ? `${app.teamId} only` : "any"],
    ["default channels", app.defaultChannels.join(", ") || "none: only the channels policies name"],
    ["expiry reminder", isOff(app.expiryReminder) ? "off" : `${app.expiryReminder} before a grant expires`],
    ["api url", app.apiUrl],
    ["interactivity url", app.interactivityUrl],
    ["commands url", app.commandsUrl],
    ...healthFacts(app),
  ]);
}

/** ` in Slack workspace Acme (T0123), as bot user U0456`, with what Slack said of it. */
function whereOf(result: SlackTestResult): string {
  const team = [result.team, result.teamId && `(${result.teamId})`].filter(Boolean).join(" ");
  return `${team ? ` in Slack workspace ${team}` : ""}${result.botUserId ? `, as bot user ${result.botUserId}` : ""}`;
}

/** Go writes a zero duration as `0s`. */
const isOff = (duration: string) => ["", "0", "0s"].includes(duration);
