import type { Delivery, DeliveryStatus, GreenlightAPI } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor, collectPages } from "../client.js";
import { parseFormat, printJson, printTable, shortTime, UsageError, type Format } from "../output.js";

/**
 * The delivery log every receiver's command has (`greenlight webhooks`, `subscriptions` and
 * `slack`): `deliveries`, `delivery` and `redeliver`, the same for all.
 */

/** A receiver's delivery log as the commands reach it; a receiver a space has one of takes no name. */
export interface DeliveryLog {
  deliveries(name: string, query: DeliveryQuery): Promise<DeliveryPage>;
  delivery(name: string, id: string): Promise<Delivery>;
  redeliver(name: string, id: string): Promise<Delivery>;
}

/** Which receiver's log the commands read, and how they speak of it. */
export interface DeliveryLogOf {
  /** Whether the receiver is named on the command line (a space has one Slack app: it is not). */
  named: boolean;
  /** What `deliveries` lists: "a webhook's deliveries", "what was posted to Slack". */
  listed: string;
  /** How `redeliver` names the receiver: "webhook okta", "Slack". */
  to(name: string): string;
  log(client: GreenlightAPI): DeliveryLog;
}

const STATUSES: readonly DeliveryStatus[] = ["pending", "delivered", "failed", "cancelled"];

export interface DeliveryListFlags {
  status?: string;
  failed?: boolean;
  limit: string;
  output: string;
}

type DeliveryPage = { deliveries: Delivery[]; nextPageToken: string };
type DeliveryQuery = { status?: DeliveryStatus; pageSize: number; pageToken?: string };

/** Adds `deliveries [name]`, `delivery [name] <id>` and `redeliver [name] <id>` to `parent`. */
export function addDeliveryCommands(parent: Command, of: DeliveryLogOf): void {
  const name = of.named ? " <name>" : "";
  // Commander hands the arguments first, then the options and the command: a receiver that takes no name gets "".
  const named = <A extends unknown[]>(args: unknown[]) => (of.named ? args : ["", ...args]) as A;

  withDeliveryListFlags(parent.command(`deliveries${name}`).description(`list ${of.listed}, newest first (--failed: the failures)`)).action(
    async (...args: unknown[]) => {
      const [receiver, options, command] = named<[string, DeliveryListFlags, Command]>(args);
      const log = of.log(clientFor(command));
      await listDeliveries(options, (query) => log.deliveries(receiver, query));
    },
  );

  withOutputFlag(
    parent.command(`delivery${name} <id>`).description("show one delivery and each attempt (-o json adds the body sent)"),
  ).action(async (...args: unknown[]) => {
    const [receiver, id, options, command] = named<[string, string, { output: string }, Command]>(args);
    const format = parseFormat(options.output);
    showDelivery(format, await of.log(clientFor(command)).delivery(receiver, id));
  });

  withOutputFlag(parent.command(`redeliver${name} <id>`).description("send a failed or waiting delivery again now")).action(
    async (...args: unknown[]) => {
      const [receiver, id, options, command] = named<[string, string, { output: string }, Command]>(args);
      const format = parseFormat(options.output);
      const delivery = await of.log(clientFor(command)).redeliver(receiver, id);
      if (format === "json") printJson(delivery);
      else process.stdout.write(`Sending ${delivery.id} (${delivery.event}) to ${of.to(receiver)} again now\n`);
    },
  );
}

/** The flags of a `deliveries` command: which status, how many, in which format. */
export function withDeliveryListFlags(command: Command): Command {
  return withOutputFlag(
    command
      .option("--status <status>", STATUSES.join(", "))
      .option("--failed", "only the failures: --status failed")
      .option("--limit <n>", "at most this many", "50"),
  );
}

/** `-o text` (the default) or `-o json`, as every command that reads takes. */
export function withOutputFlag(command: Command): Command {
  return command.option("-o, --output <format>", "text or json", "text");
}

/** Reads deliveries page after page, up to `--limit`, and prints them as a table or JSON. */
async function listDeliveries(options: DeliveryListFlags, read: (query: DeliveryQuery) => Promise<DeliveryPage>): Promise<void> {
  const format = parseFormat(options.output);
  const status = deliveryStatus(options);
  const found = await collectPages(options.limit, async (pageSize, pageToken) => {
    const page = await read({ status, pageSize, pageToken });
    return { items: page.deliveries, nextPageToken: page.nextPageToken };
  });
  if (format === "json") return printJson(found);
  printTable(
    ["ID", "EVENT", "STATUS", "ATTEMPTS", "CREATED", "LAST ATTEMPT", "NEXT ATTEMPT", "LAST ANSWER"],
    found.map((d) => [
      d.id,
      d.event,
      d.status,
      String(d.attempts),
      shortTime(d.createTime),
      shortTime(d.lastAttemptTime),
      shortTime(d.nextAttemptTime),
      lastAnswer(d),
    ]),
  );
}

/** One delivery: its state and each attempt, or all of it (with the body sent) as JSON. */
function showDelivery(format: Format, delivery: Delivery): void {
  if (format === "json") printJson(delivery);
  else printDelivery(delivery);
}

function deliveryStatus(options: { status?: string; failed?: boolean }): DeliveryStatus | undefined {
  if (options.failed && options.status !== undefined && options.status !== "failed") {
    throw new UsageError("--failed means --status failed; give one of them");
  }
  if (options.failed) return "failed";
  if (options.status !== undefined && !STATUSES.includes(options.status as DeliveryStatus)) {
    throw new UsageError(`--status must be one of ${STATUSES.join(", ")}, not ${JSON.stringify(options.status)}`);
  }
  return options.status as DeliveryStatus | undefined;
}

/** The last attempt's result: the error when it failed, else the HTTP status. */
function lastAnswer(d: Delivery): string {
  if (d.lastError) return d.lastError;
  return d.lastStatus === undefined ? "" : `HTTP ${d.lastStatus}`;
}

function printDelivery(d: Delivery): void {
  const receiver = d.receiver.kind === "slack" ? "Slack" : `${d.receiver.kind} ${d.receiver.name}`;
  const lines = [`id:            ${d.id}`, `receiver:      ${receiver}`, `event:         ${d.event}`];
  if (d.petition) lines.push(`petition:      ${d.petition}`);
  if (d.grant) lines.push(`grant:         ${d.grant}`);
  lines.push(
    `status:        ${d.status} after ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}`,
    `created:       ${shortTime(d.createTime)}`,
  );
  if (d.nextAttemptTime) lines.push(`next attempt:  ${shortTime(d.nextAttemptTime)}`);
  if (d.deliveredTime) lines.push(`delivered:     ${shortTime(d.deliveredTime)}`);
  if (d.lastError) lines.push(`last error:    ${d.lastError}`);
  lines.push("attempts:");
  if (!d.attemptLog?.length) lines.push("  none yet");
  for (const a of d.attemptLog ?? []) {
    const answer = a.status === undefined ? "no answer" : `HTTP ${a.status}`;
    lines.push(`  #${a.attempt}  ${shortTime(a.time)}  ${answer} in ${a.durationMs} ms${a.error ? `: ${a.error}` : ""}`);
    // The server's error often quotes the answer already; the start of it is shown once.
    const answered = a.response === undefined ? "" : oneLine(a.response, 200);
    if (answered && !a.error?.includes(answered)) lines.push(`      answered: ${answered}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
