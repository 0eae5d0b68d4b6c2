import type { Webhook, WebhookHandler, WebhookHandlerType, WebhookInput } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor, collect, collectPages, parsePairs } from "../client.js";
import { parseFormat, printJson, printTable, shortTime, UsageError } from "../output.js";
import { addDeliveryCommands, announceSecret, disabledOf, lastErrorOf, requireChanges, stateOf } from "./receiver-commands.js";
import { webhookTestCommand } from "./webhook-test.js";

const HANDLER_TYPES: readonly WebhookHandlerType[] = ["applyUpdate", "pullUpdate", "decision"];

/** A handler as the flag spells it: `applyUpdate:okta.v1.Group,github.v1.Team`, or `decision` for every kind. */
const handlerText = (h: WebhookHandler) => (h.resourceKinds.length > 0 ? `${h.type}:${h.resourceKinds.join(",")}` : h.type);

/**
 * `greenlight webhooks …`: the space's webhooks in Indent's protocol, their delivery log, and
 * a tester that needs no server.
 *
 * @example
 * greenlight webhooks create --name okta --url https://hooks.example.com/okta --handler applyUpdate:okta.v1.Group
 * greenlight webhooks deliveries okta --failed
 * greenlight webhooks redeliver okta msg_01j9…
 * greenlight webhooks test http://localhost:3000/api/indent --secret "$INDENT_WEBHOOK_SECRET"
 */
export function webhooksCommand(): Command {
  const webhooks = new Command("webhooks").description("webhooks: apply, pull and decision; their deliveries; a tester");

  webhooks
    .command("list")
    .description("list webhooks")
    .option("--limit <n>", "at most this many", "100")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { limit: string; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const client = clientFor(command);
      const found = await collectPages(options.limit, async (pageSize, pageToken) => {
        const page = await client.webhook.list({ pageSize, pageToken });
        return { items: page.webhooks, nextPageToken: page.nextPageToken };
      });
      if (format === "json") return printJson(found);
      printTable(
        ["NAME", "HANDLERS", "URL", "STATE", "LAST SUCCESS", "LAST ERROR"],
        found.map((w) => [w.name, w.handlers.map(handlerText).join(" "), w.url, stateOf(w), shortTime(w.lastSuccessTime), lastErrorOf(w)]),
      );
    });

  webhooks
    .command("get <name>")
    .description("show a webhook (never its secret or header values)")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (name: string, options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const webhook = await clientFor(command).webhook.get(name);
      if (format === "json") printJson(webhook);
      else printWebhook(webhook);
    });

  withWebhookFlags(
    webhooks
      .command("create")
      .description("create a webhook; a signing secret made for it is printed once")
      .option("--name <name>", "lower-case letters, digits, '.', '_', '-' (default: one is made)")
      .requiredOption("--url <url>", "the address Greenlight calls"),
    true,
  )
    .option("--dry-run", "log deliveries without sending them")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: WebhookFlags & { name?: string; url: string; dryRun?: boolean }, command: Command) => {
      const format = parseFormat(options.output);
      const created = await clientFor(command).webhook.create({
        ...inputOf(options),
        name: options.name,
        url: options.url,
        dryRun: options.dryRun,
      });
      if (format === "json") return printJson(created);
      const handlers = created.handlers.map(handlerText).join(" ") || "no handlers";
      // A secret the user gave is theirs already; one the server made is shown now or never.
      announceSecret(`Created webhook ${created.name} (${handlers})`, options.secret === undefined ? created.secret : undefined);
    });

  withWebhookFlags(
    webhooks.command("update <name>").description("change the given fields of a webhook (--header and --handler replace all)"),
    false,
  )
    .option("--url <url>", "the address Greenlight calls")
    .option("--dry-run", "log deliveries without sending them")
    .option("--no-dry-run", "send deliveries again")
    .option("--enable", "turn it on (also after a receiver's 410 Gone turned it off)")
    .option("--disable", "turn it off: nothing is sent, and what is waiting is given up")
    .option("-o, --output <format>", "text or json", "text")
    .action(
      async (
        name: string,
        options: WebhookFlags & { url?: string; dryRun?: boolean; enable?: boolean; disable?: boolean },
        command: Command,
      ) => {
        const format = parseFormat(options.output);
        const changes: WebhookInput = { ...inputOf(options), url: options.url, dryRun: options.dryRun, disabled: disabledOf(options) };
        requireChanges(changes, "--url, --handler, --header, --method, --secret, --display-name, --[no-]dry-run, --enable or --disable");
        const updated = await clientFor(command).webhook.update(name, changes);
        if (format === "json") printJson(updated);
        else process.stdout.write(`Updated webhook ${updated.name}: ${stateOf(updated)}\n`);
      },
    );

  webhooks
    .command("delete <name>")
    .description("delete a webhook; what it had waiting to be delivered is given up")
    .action(async (name: string, _options: unknown, command: Command) => {
      await clientFor(command).webhook.delete(name);
      process.stdout.write(`Deleted webhook ${name}\n`);
    });

  addDeliveryCommands(webhooks, "webhook", (client) => client.webhook);
  webhooks.addCommand(webhookTestCommand());
  return webhooks;
}

interface WebhookFlags {
  handler?: string[];
  header?: string[];
  method?: string;
  secret?: string;
  displayName?: string;
  output: string;
}

/** The flags `create` and `update` share; on create, what is left out has a default. */
function withWebhookFlags(command: Command, creating: boolean): Command {
  const byDefault = (text: string) => (creating ? ` (default ${text})` : "");
  return command
    .option("--handler <type[:kinds]>", "applyUpdate, pullUpdate or decision, with the kinds it handles (repeatable)", collect)
    .option("--header <name=value>", "a header to send with every call (repeatable)", collect)
    .option("--method <method>", `POST, PUT or PATCH${byDefault("POST")}`)
    .option("--secret <secret>", `the signing secret, 24 characters or more${byDefault("one is made")}`)
    .option("--display-name <text>", "a human name");
}

function inputOf(options: WebhookFlags): WebhookInput {
  const headers = options.header
    ? Object.fromEntries(Object.entries(parsePairs(options.header, "--header")).map(([name, value]) => [name, { value }]))
    : undefined;
  return {
    handlers: options.handler?.map(parseHandler),
    headers,
    method: options.method,
    secret: options.secret,
    displayName: options.displayName,
  };
}

function parseHandler(text: string): WebhookHandler {
  const colon = text.indexOf(":");
  const type = (colon < 0 ? text : text.slice(0, colon)) as WebhookHandlerType;
  if (!HANDLER_TYPES.includes(type)) {
    throw new UsageError(
      `--handler must start with ${HANDLER_TYPES.join(", ")}, as in applyUpdate:okta.v1.Group; not ${JSON.stringify(text)}`,
    );
  }
  const kinds =
    colon < 0
      ? []
      : text
          .slice(colon + 1)
          .split(",")
          .map((kind) => kind.trim());
  if (kinds.some((kind) => kind === "")) throw new UsageError(`--handler ${JSON.stringify(text)} names an empty kind`);
  return { type, resourceKinds: kinds };
}

function printWebhook(w: Webhook): void {
  const lines = [
    `name:          ${w.name}`,
    `display name:  ${w.displayName}`,
    `url:           ${w.method} ${w.url}`,
    `handlers:      ${w.handlers.map(handlerText).join(" ") || "none"}`,
    `headers:       ${Object.keys(w.headers).join(", ") || "none"}`,
    `secret:        ${w.secretHint}`,
    `state:         ${stateOf(w)}`,
    `last success:  ${shortTime(w.lastSuccessTime) || "never"}`,
  ];
  if (w.lastError) lines.push(`last error:    ${lastErrorOf(w)}`);
  lines.push(`created:       ${shortTime(w.createTime)}`, `updated:       ${shortTime(w.updateTime)}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}
