import type { Subscription, SubscriptionInput } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor, collect, collectPages, parseList } from "../client.js";
import { parseFormat, printJson, printTable, shortTime } from "../output.js";
import { addDeliveryCommands, announceSecret, disabledOf, lastErrorOf, requireChanges, stateOf } from "./receiver-commands.js";

/**
 * `greenlight subscriptions …`: petition and grant events sent to any URL in the Standard
 * Webhooks format (check them with the SDK's `verifyWebhook`), and their delivery log.
 *
 * @example
 * greenlight subscriptions create --name audit --url https://audit.example.com/greenlight --event 'petition.*' --event grant.started
 * greenlight subscriptions deliveries audit --failed
 */
export function subscriptionsCommand(): Command {
  const subscriptions = new Command("subscriptions").description("event subscriptions: petition and grant events sent to a URL");

  subscriptions
    .command("list")
    .description("list event subscriptions")
    .option("--limit <n>", "at most this many", "100")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { limit: string; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const client = clientFor(command);
      const found = await collectPages(options.limit, async (pageSize, pageToken) => {
        const page = await client.subscription.list({ pageSize, pageToken });
        return { items: page.subscriptions, nextPageToken: page.nextPageToken };
      });
      if (format === "json") return printJson(found);
      printTable(
        ["NAME", "EVENTS", "URL", "STATE", "LAST SUCCESS", "LAST ERROR"],
        found.map((s) => [s.name, s.eventTypes.join(","), s.url, stateOf(s), shortTime(s.lastSuccessTime), lastErrorOf(s)]),
      );
    });

  subscriptions
    .command("get <name>")
    .description("show an event subscription (never its secret)")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (name: string, options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const subscription = await clientFor(command).subscription.get(name);
      if (format === "json") printJson(subscription);
      else printSubscription(subscription);
    });

  withSubscriptionFlags(
    subscriptions
      .command("create")
      .description("subscribe a URL to events; a signing secret made for it is printed once")
      .requiredOption("--name <name>", "lower-case letters, digits, '.', '_', '-'")
      .requiredOption("--url <url>", "where events are sent"),
    true,
  )
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: SubscriptionFlags & { name: string; url: string }, command: Command) => {
      const format = parseFormat(options.output);
      const created = await clientFor(command).subscription.create({ ...inputOf(options), name: options.name, url: options.url });
      if (format === "json") return printJson(created);
      announceSecret(
        `Created subscription ${created.name} (${created.eventTypes.join(", ")})`,
        options.secret === undefined ? created.secret : undefined,
      );
    });

  withSubscriptionFlags(subscriptions.command("update <name>").description("change the given fields of an event subscription"), false)
    .option("--url <url>", "where events are sent")
    .option("--enable", "turn it on (also after a receiver's 410 Gone turned it off)")
    .option("--disable", "turn it off: nothing is sent, and what is waiting is given up")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (name: string, options: SubscriptionFlags & { url?: string; enable?: boolean; disable?: boolean }, command: Command) => {
      const format = parseFormat(options.output);
      const changes: SubscriptionInput = { ...inputOf(options), url: options.url, disabled: disabledOf(options) };
      requireChanges(changes, "--url, --event, --description, --secret, --enable or --disable");
      const updated = await clientFor(command).subscription.update(name, changes);
      if (format === "json") printJson(updated);
      else process.stdout.write(`Updated subscription ${updated.name}: ${stateOf(updated)}\n`);
    });

  subscriptions
    .command("delete <name>")
    .description("delete an event subscription; what it had waiting to be delivered is given up")
    .action(async (name: string, _options: unknown, command: Command) => {
      await clientFor(command).subscription.delete(name);
      process.stdout.write(`Deleted subscription ${name}\n`);
    });

  addDeliveryCommands(subscriptions, "subscription", (client) => client.subscription);
  return subscriptions;
}

interface SubscriptionFlags {
  event?: string[];
  description?: string;
  secret?: string;
  output: string;
}

/** The flags `create` and `update` share; on create, what is left out has a default. */
function withSubscriptionFlags(command: Command, creating: boolean): Command {
  return command
    .option(
      "--event <types>",
      `event types such as petition.created, families such as 'petition.*', or '*' (repeatable${creating ? "; default '*'" : ""})`,
      collect,
    )
    .option("--description <text>", "what it is for")
    .option("--secret <whsec>", `whsec_ and the base64 of 24 to 64 bytes${creating ? " (default: one is made)" : ""}`);
}

function inputOf(options: SubscriptionFlags): SubscriptionInput {
  return {
    eventTypes: options.event ? parseList(options.event, "--event") : undefined,
    description: options.description,
    secret: options.secret,
  };
}

function printSubscription(s: Subscription): void {
  const lines = [
    `name:          ${s.name}`,
    `url:           ${s.url}`,
    `events:        ${s.eventTypes.join(", ")}`,
    `description:   ${s.description}`,
    `secret:        ${s.secretHint}`,
    `state:         ${stateOf(s)}`,
    `last success:  ${shortTime(s.lastSuccessTime) || "never"}`,
  ];
  if (s.lastError) lines.push(`last error:    ${lastErrorOf(s)}`);
  lines.push(`created:       ${shortTime(s.createTime)}`, `updated:       ${shortTime(s.updateTime)}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}
