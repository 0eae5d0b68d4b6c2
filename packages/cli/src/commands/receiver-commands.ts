import type { Delivery, DeliveryStatus, GreenlightAPI } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor, collectPages } from "../client.js";
import { parseFormat, printJson, printTable, shortTime, UsageError, type Format } from "../output.js";

/**
 * What `greenlight webhooks`, `greenlight subscriptions` and `greenlight slack` have in
 * common: the delivery log (`deliveries`, `delivery`, `redeliver`), turning a receiver on and
 * off, and showing its state and its secret.
 */

export type ReceiverNoun = "webhook" | "subscription";
type DeliveryLog = Pick<GreenlightAPI["webhook"], "deliveries" | "delivery" | "redeliver">;

const STATUSES: readonly DeliveryStatus[] = ["pending", "delivered", "failed", "cancelled"];

export interface DeliveryListFlags {
  status?: string;
  failed?: boolean;
  limit: string;
  output: string;
}

type DeliveryPage = { deliveries: Delivery[]; nextPageToken: string };
type DeliveryQuery = { status?: DeliveryStatus; pageSize: number; pageToken?: string };

/** Adds `deliveries <name>`, `delivery <name> <id>` and `redeliver <name> <id>` to `parent`. */
export function addDeliveryCommands(parent: Command, noun: ReceiverNoun, logOf: (client: GreenlightAPI) => DeliveryLog): void {
  withDeliveryListFlags(
    parent.command("deliveries <name>").description(`list a ${noun}'s deliveries, newest first (--failed: the failures)`),
  ).action(async (name: string, options: DeliveryListFlags, command: Command) => {
    const log = logOf(clientFor(command));
    await listDeliveries(options, (query) => log.deliveries(name, query));
  });

  withOutputFlag(
    parent.command("delivery <name> <id>").description("show one delivery and each attempt (-o json adds the body sent)"),
  ).action(async (name: string, id: string, options: { output: string }, command: Command) => {
    const format = parseFormat(options.output);
    showDelivery(format, await logOf(clientFor(command)).delivery(name, id));
  });

  withOutputFlag(parent.command("redeliver <name> <id>").description("send a failed or waiting delivery again now")).action(
    async (name: string, id: string, options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      showRedelivery(format, await logOf(clientFor(command)).redeliver(name, id), `${noun} ${name}`);
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
export async function listDeliveries(options: DeliveryListFlags, read: (query: DeliveryQuery) => Promise<DeliveryPage>): Promise<void> {
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
export function showDelivery(format: Format, delivery: Delivery): void {
  if (format === "json") printJson(delivery);
  else printDelivery(delivery);
}

/** What `redeliver` did; `to` names the receiver, as `webhook okta` or `Slack`. */
export function showRedelivery(format: Format, delivery: Delivery, to: string): void {
  if (format === "json") printJson(delivery);
  else process.stdout.write(`Sending ${delivery.id} (${delivery.event}) to ${to} again now\n`);
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

/** `--enable` / `--disable` as the API's `disabled`, or undefined when neither is given. */
export function disabledOf(options: { enable?: boolean; disable?: boolean }): boolean | undefined {
  if (options.enable && options.disable) throw new UsageError("give --enable or --disable, not both");
  return options.disable ? true : options.enable ? false : undefined;
}

/** Whether a receiver is sent to, and why not. */
export function stateOf(r: { disabled: boolean; disabledReason?: string; disabledTime?: string; dryRun?: boolean }): string {
  if (r.disabled) return `off: ${r.disabledReason ?? "turned off"}${r.disabledTime ? ` (since ${shortTime(r.disabledTime)})` : ""}`;
  return r.dryRun ? "dry run: deliveries are logged, not sent" : "on";
}

export function lastErrorOf(r: { lastError?: string; lastErrorTime?: string }): string {
  return r.lastError ? `${shortTime(r.lastErrorTime)}: ${r.lastError}` : "";
}

/**
 * A new signing secret goes to stdout alone (so a script can capture it) and the note that
 * it is not shown again to stderr, as `greenlight tokens create` does.
 */
export function announceSecret(created: string, secret: string | undefined): void {
  if (secret === undefined) {
    process.stdout.write(`${created}\n`);
    return;
  }
  process.stderr.write(`${created}. Store its signing secret now: it is not shown again.\n`);
  process.stdout.write(`${secret}\n`);
}

export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Refuses an update that changes nothing, naming the flags that would. */
export function requireChanges(changes: object, flags: string): void {
  if (Object.values(changes).every((value) => value === undefined)) throw new UsageError(`nothing to change: give ${flags}`);
}
