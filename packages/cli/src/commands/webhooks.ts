import type { Webhook, WebhookHandler, WebhookHandlerType, WebhookInput } from "@greenlight/sdk";
import type { Command } from "commander";
import { collect, parsePairs } from "../client.js";
import { UsageError } from "../output.js";
import { receiverCommand, type ReceiverFlags } from "./receiver-commands.js";
import { webhookTestCommand } from "./webhook-test.js";

const HANDLER_TYPES: readonly WebhookHandlerType[] = ["applyUpdate", "pullUpdate", "decision"];

/** A handler as the flag spells it: `applyUpdate:okta.v1.Group,github.v1.Team`, or `decision` for every kind. */
const handlerText = (h: WebhookHandler) => (h.resourceKinds.length > 0 ? `${h.type}:${h.resourceKinds.join(",")}` : h.type);
const handlersText = (w: Webhook) => w.handlers.map(handlerText).join(" ");

interface WebhookFlags extends ReceiverFlags {
  handler?: string[];
  header?: string[];
  method?: string;
  displayName?: string;
  dryRun?: boolean;
}

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
  return receiverCommand<Webhook, WebhookInput, WebhookFlags>({
    command: "webhooks",
    description: "webhooks: apply, pull and decision; their deliveries; a tester",
    noun: "webhook",
    one: "a webhook",
    many: "webhooks",
    url: "the address Greenlight calls",
    namesItself: true,
    creates: "create a webhook",
    updates: " (--header and --handler replace all)",
    neverShown: "its secret or header values",
    api: (client) => ({
      ...client.webhook,
      list: async (page) => {
        const found = await client.webhook.list(page);
        return { items: found.webhooks, nextPageToken: found.nextPageToken };
      },
    }),
    flags: withWebhookFlags,
    input: inputOf,
    changeFlags: "--handler, --header, --method, --secret, --display-name, --[no-]dry-run",
    columns: [
      ["HANDLERS", handlersText],
      ["URL", (w) => w.url],
    ],
    facts: (w) => [
      ["name", w.name],
      ["display name", w.displayName],
      ["url", `${w.method} ${w.url}`],
      ["handlers", handlersText(w) || "none"],
      ["headers", Object.keys(w.headers).join(", ") || "none"],
      ["secret", w.secretHint],
    ],
    summary: (w) => handlersText(w) || "no handlers",
  }).addCommand(webhookTestCommand());
}

/** The flags `create` and `update` have of their own; on create, what is left out has a default. */
function withWebhookFlags(command: Command, creating: boolean): Command {
  const byDefault = (text: string) => (creating ? ` (default ${text})` : "");
  command
    .option("--handler <type[:kinds]>", "applyUpdate, pullUpdate or decision, with the kinds it handles (repeatable)", collect)
    .option("--header <name=value>", "a header to send with every call (repeatable)", collect)
    .option("--method <method>", `POST, PUT or PATCH${byDefault("POST")}`)
    .option("--secret <secret>", `the signing secret, 24 characters or more${byDefault("one is made")}`)
    .option("--display-name <text>", "a human name")
    .option("--dry-run", "log deliveries without sending them");
  return creating ? command : command.option("--no-dry-run", "send deliveries again");
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
    dryRun: options.dryRun,
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
