import type { GreenlightAPI } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor, collectPages } from "../client.js";
import { parseFormat, printJson, printTable, shortTime, UsageError } from "../output.js";
import { addDeliveryCommands, withOutputFlag, type DeliveryLog } from "./delivery-commands.js";

/**
 * One builder for the command of every kind of receiver a space has many of (`greenlight
 * webhooks`, `greenlight subscriptions`): `list`, `get`, `create`, `update` (with `--enable`
 * and `--disable`), `delete` and the delivery log. A kind gives its names, its columns and
 * lines, and its own flags; what it shows of secrets, state and health is the same for all.
 */

/** What every receiver shows: where it sends, whether it is on, and how its deliveries went. */
export interface ReceiverView {
  name: string;
  url: string;
  disabled: boolean;
  disabledReason?: string;
  disabledTime?: string;
  dryRun?: boolean;
  /** Only in the answer to the request that made it. */
  secret?: string;
  createTime: string;
  updateTime: string;
  lastSuccessTime?: string;
  lastError?: string;
  lastErrorTime?: string;
}

/** A kind's part of the API, as the builder calls it. */
export interface ReceiverApi<T, Input> extends DeliveryLog {
  list(page: { pageSize: number; pageToken?: string }): Promise<{ items: T[]; nextPageToken: string }>;
  get(name: string): Promise<T>;
  create(input: Input): Promise<T>;
  update(name: string, input: Input): Promise<T>;
  delete(name: string): Promise<void>;
}

/** The flags every create and update has, beside the kind's own. */
export interface ReceiverFlags {
  name?: string;
  url?: string;
  secret?: string;
  enable?: boolean;
  disable?: boolean;
  output: string;
}

export interface ReceiverCommandKind<T extends ReceiverView, Input extends object, Flags extends ReceiverFlags> {
  /** The command, as `webhooks`, with its description. */
  command: string;
  description: string;
  /** How output names one ("webhook", "subscription"), and how help names one and many ("an event subscription"). */
  noun: string;
  one: string;
  many: string;
  /** What the URL is, for the help of --url. */
  url: string;
  /** Whether a name is made when --name is not given; else --name is required. */
  namesItself: boolean;
  /** What `create` does, as its help begins: "create a webhook", "subscribe a URL to events". */
  creates: string;
  /** Said of `update` after "change the given fields of …", as how its list flags work. */
  updates?: string;
  /** What `get` never shows: "its secret". */
  neverShown: string;
  api(client: GreenlightAPI): ReceiverApi<T, Input>;
  /** Its flags for create and update; on create, what is left out has a default. */
  flags(command: Command, creating: boolean): Command;
  /** What those flags set. */
  input(options: Flags): Input;
  /** Its own flags an update may give, named when it gives none. */
  changeFlags: string;
  /** The columns of `list` between NAME and STATE. */
  columns: Array<[string, (value: T) => string]>;
  /** The lines of `get` before its state, health and times. */
  facts(value: T): Array<[string, string]>;
  /** What `create` names beside the new one's name. */
  summary(value: T): string;
}

export function receiverCommand<T extends ReceiverView, Input extends object, Flags extends ReceiverFlags>(
  kind: ReceiverCommandKind<T, Input, Flags>,
): Command {
  const parent = new Command(kind.command).description(kind.description);
  const api = (command: Command) => kind.api(clientFor(command));

  withOutputFlag(parent.command("list").description(`list ${kind.many}`).option("--limit <n>", "at most this many", "100")).action(
    async (options: { limit: string; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const found = await collectPages(options.limit, (pageSize, pageToken) => api(command).list({ pageSize, pageToken }));
      if (format === "json") return printJson(found);
      printTable(
        ["NAME", ...kind.columns.map(([header]) => header), "STATE", "LAST SUCCESS", "LAST ERROR"],
        found.map((r) => [
          r.name,
          ...kind.columns.map(([, column]) => column(r)),
          stateOf(r),
          shortTime(r.lastSuccessTime),
          lastErrorOf(r),
        ]),
      );
    },
  );

  withOutputFlag(parent.command("get <name>").description(`show ${kind.one} (never ${kind.neverShown})`)).action(
    async (name: string, options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const found = await api(command).get(name);
      if (format === "json") printJson(found);
      else printFacts([...kind.facts(found), ["state", stateOf(found)], ...healthFacts(found)]);
    },
  );

  const naming = "lower-case letters, digits, '.', '_', '-'";
  const create = parent.command("create").description(`${kind.creates}; a signing secret made for it is printed once`);
  if (kind.namesItself) create.option("--name <name>", `${naming} (default: one is made)`);
  else create.requiredOption("--name <name>", naming);
  withOutputFlag(kind.flags(create.requiredOption("--url <url>", kind.url), true)).action(async (options: Flags, command: Command) => {
    const format = parseFormat(options.output);
    const created = await api(command).create({ ...kind.input(options), name: options.name, url: options.url });
    if (format === "json") return printJson(created);
    // A secret the user gave is theirs already; one the server made is shown now or never.
    announceSecret(
      `Created ${kind.noun} ${created.name} (${kind.summary(created)})`,
      options.secret === undefined ? created.secret : undefined,
    );
  });

  const update = parent.command("update <name>").description(`change the given fields of ${kind.one}${kind.updates ?? ""}`);
  withOutputFlag(
    kind
      .flags(update, false)
      .option("--url <url>", kind.url)
      .option("--enable", "turn it on (also after a receiver's 410 Gone turned it off)")
      .option("--disable", "turn it off: nothing is sent, and what is waiting is given up"),
  ).action(async (name: string, options: Flags, command: Command) => {
    const format = parseFormat(options.output);
    const changes = { ...kind.input(options), url: options.url, disabled: disabledOf(options) };
    requireChanges(changes, `--url, ${kind.changeFlags}, --enable or --disable`);
    const updated = await api(command).update(name, changes);
    if (format === "json") printJson(updated);
    else process.stdout.write(`Updated ${kind.noun} ${updated.name}: ${stateOf(updated)}\n`);
  });

  parent
    .command("delete <name>")
    .description(`delete ${kind.one}; what it had waiting to be delivered is given up`)
    .action(async (name: string, _options: unknown, command: Command) => {
      await api(command).delete(name);
      process.stdout.write(`Deleted ${kind.noun} ${name}\n`);
    });

  addDeliveryCommands(parent, { named: true, listed: `a ${kind.noun}'s deliveries`, to: (name) => `${kind.noun} ${name}`, log: kind.api });
  return parent;
}

/** Lines of `label: value`, the values in one column. */
export function printFacts(facts: Array<[string, string]>): void {
  const width = Math.max(...facts.map(([label]) => label.length)) + 3;
  process.stdout.write(`${facts.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join("\n")}\n`);
}

/** How a receiver's deliveries went, and when it was made and changed. */
export function healthFacts(r: Pick<ReceiverView, "lastSuccessTime" | "lastError" | "lastErrorTime" | "createTime" | "updateTime">) {
  const facts: Array<[string, string]> = [["last success", shortTime(r.lastSuccessTime) || "never"]];
  if (r.lastError) facts.push(["last error", lastErrorOf(r)]);
  facts.push(["created", shortTime(r.createTime)], ["updated", shortTime(r.updateTime)]);
  return facts;
}

/** `--enable` / `--disable` as the API's `disabled`, or undefined when neither is given. */
function disabledOf(options: { enable?: boolean; disable?: boolean }): boolean | undefined {
  if (options.enable && options.disable) throw new UsageError("give --enable or --disable, not both");
  return options.disable ? true : options.enable ? false : undefined;
}

/** Whether a receiver is sent to, and why not. */
function stateOf(r: Pick<ReceiverView, "disabled" | "disabledReason" | "disabledTime" | "dryRun">): string {
  if (r.disabled) return `off: ${r.disabledReason ?? "turned off"}${r.disabledTime ? ` (since ${shortTime(r.disabledTime)})` : ""}`;
  return r.dryRun ? "dry run: deliveries are logged, not sent" : "on";
}

function lastErrorOf(r: { lastError?: string; lastErrorTime?: string }): string {
  return r.lastError ? `${shortTime(r.lastErrorTime)}: ${r.lastError}` : "";
}

/**
 * A new signing secret goes to stdout alone (so a script can capture it) and the note that
 * it is not shown again to stderr, as `greenlight tokens create` does.
 */
function announceSecret(created: string, secret: string | undefined): void {
  if (secret === undefined) {
    process.stdout.write(`${created}\n`);
    return;
  }
  process.stderr.write(`${created}. Store its signing secret now: it is not shown again.\n`);
  process.stdout.write(`${secret}\n`);
}

/** Refuses an update that changes nothing, naming the flags that would. */
export function requireChanges(changes: object, flags: string): void {
  if (Object.values(changes).every((value) => value === undefined)) throw new UsageError(`nothing to change: give ${flags}`);
}
