import type { Subscription, SubscriptionInput } from "@greenlight/sdk";
import type { Command } from "commander";
import { collect, parseList } from "../client.js";
import { receiverCommand, type ReceiverFlags } from "./receiver-commands.js";

interface SubscriptionFlags extends ReceiverFlags {
  event?: string[];
  description?: string;
}

/**
 * `greenlight subscriptions …`: petition and grant events sent to any URL in the Standard
 * Webhooks format (check them with the SDK's `verifyWebhook`), and their delivery log.
 *
 * @example
 * greenlight subscriptions create --name audit --url https://audit.example.com/greenlight --event 'petition.*' --event grant.started
 * greenlight subscriptions deliveries audit --failed
 */
export function subscriptionsCommand(): Command {
  return receiverCommand<Subscription, SubscriptionInput, SubscriptionFlags>({
    command: "subscriptions",
    description: "event subscriptions: petition and grant events sent to a URL",
    noun: "subscription",
    one: "an event subscription",
    many: "event subscriptions",
    url: "where events are sent",
    namesItself: false,
    creates: "subscribe a URL to events",
    neverShown: "its secret",
    api: (client) => ({
      ...client.subscription,
      list: async (page) => {
        const found = await client.subscription.list(page);
        return { items: found.subscriptions, nextPageToken: found.nextPageToken };
      },
    }),
    flags: (command, creating) =>
      command
        .option(
          "--event <types>",
          `event types such as petition.created, families such as 'petition.*', or '*' (repeatable${creating ? "; default '*'" : ""})`,
          collect,
        )
        .option("--description <text>", "what it is for")
        .option("--secret <whsec>", `whsec_ and the base64 of 24 to 64 bytes${creating ? " (default: one is made)" : ""}`),
    input: (options) => ({
      eventTypes: options.event ? parseList(options.event, "--event") : undefined,
      description: options.description,
      secret: options.secret,
    }),
    changeFlags: "--event, --description, --secret",
    columns: [
      ["EVENTS", (s) => s.eventTypes.join(",")],
      ["URL", (s) => s.url],
    ],
    facts: (s) => [
      ["name", s.name],
      ["url", s.url],
      ["events", s.eventTypes.join(", ")],
      ["description", s.description],
      ["secret", s.secretHint],
    ],
    summary: (s) => s.eventTypes.join(", "),
  });
}
