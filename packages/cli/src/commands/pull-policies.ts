import type { PullPolicy, PullRunResult } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor, collect, parseList, parsePairs } from "../client.js";
import { parseFormat, printJson, printTable, shortTime } from "../output.js";
import { requireChanges } from "./receiver-commands.js";

const resultText = (r: PullRunResult | undefined) =>
  r === undefined
    ? ""
    : `${r.resources} resources${r.durationMs === undefined ? "" : ` in ${r.durationMs} ms`}${r.errors.length > 0 ? `, ${r.errors.length} error${r.errors.length === 1 ? "" : "s"}` : ""}`;
const flagsText = (flags: Record<string, string>) =>
  Object.entries(flags)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");

/**
 * `greenlight pull-policies …`: PullUpdates on a schedule (Indent's SyncPolicy), so the catalog
 * follows the directories it mirrors.
 *
 * @example
 * greenlight pull-policies create --name okta-groups --schedule @hourly --kinds okta.v1.Group
 * greenlight pull-policies run okta-groups
 */
export function pullPoliciesCommand(): Command {
  const policies = new Command("pull-policies").description("pull resources from the pullUpdate webhooks on a schedule");

  policies
    .command("list")
    .description("list pull policies and how their last runs went")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const { pullPolicies } = await clientFor(command).pullPolicy.list();
      if (format === "json") return printJson(pullPolicies);
      printTable(
        ["NAME", "SCHEDULE", "KINDS", "NEXT RUN", "LAST RUN", "LAST RESULT"],
        pullPolicies.map((p) => [
          p.meta.name,
          p.schedule,
          p.kinds.join(","),
          shortTime(p.nextRunTime),
          shortTime(p.lastRunTime),
          resultText(p.lastResult),
        ]),
      );
    });

  policies
    .command("get <name>")
    .description("show a pull policy and its last run")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (name: string, options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const policy = await clientFor(command).pullPolicy.get(name);
      if (format === "json") printJson(policy);
      else printPolicy(policy);
    });

  withPolicyFlags(
    policies
      .command("create")
      .description("create a pull policy")
      .option("--name <name>", "lower-case letters, digits, '.', '_', '-' (default: one is made)")
      .requiredOption("--schedule <schedule>", 'cron in UTC ("0 * * * *"), @hourly, @daily, or "@every 30m"')
      .requiredOption("--kinds <kinds>", "the kinds to pull, such as okta.v1.Group,okta.v1.User (repeatable)", collect),
  ).action(async (options: PolicyFlags & { name?: string; schedule: string; kinds: string[] }, command: Command) => {
    const format = parseFormat(options.output);
    const created = await clientFor(command).pullPolicy.create({
      meta: { name: options.name, displayName: options.displayName },
      schedule: options.schedule,
      kinds: parseList(options.kinds, "--kinds"),
      flags: parsePairs(options.flag ?? [], "--flag"),
    });
    if (format === "json") return printJson(created);
    process.stdout.write(`Created pull policy ${created.meta.name}: next run ${shortTime(created.nextRunTime)}\n`);
  });

  withPolicyFlags(
    policies.command("update <name>").description("change a pull policy's schedule, kinds or flags (--flag replaces them all)"),
  )
    .option("--schedule <schedule>", 'cron in UTC ("0 * * * *"), @hourly, @daily, or "@every 30m"')
    .option("--kinds <kinds>", "the kinds to pull (repeatable)", collect)
    .action(async (name: string, options: PolicyFlags & { schedule?: string; kinds?: string[] }, command: Command) => {
      const format = parseFormat(options.output);
      requireChanges(
        { schedule: options.schedule, kinds: options.kinds, flag: options.flag, displayName: options.displayName },
        "--schedule, --kinds, --flag or --display-name",
      );
      const client = clientFor(command);
      // The API replaces the whole policy (PUT); what is not given here is kept as it is.
      const current = await client.pullPolicy.get(name);
      const updated = await client.pullPolicy.update(name, {
        meta: { displayName: options.displayName ?? current.meta.displayName },
        schedule: options.schedule ?? current.schedule,
        kinds: options.kinds ? parseList(options.kinds, "--kinds") : current.kinds,
        flags: options.flag ? parsePairs(options.flag, "--flag") : current.flags,
      });
      if (format === "json") printJson(updated);
      else process.stdout.write(`Updated pull policy ${updated.meta.name}: next run ${shortTime(updated.nextRunTime)}\n`);
    });

  policies
    .command("delete <name>")
    .description("delete a pull policy (the resources it pulled stay)")
    .action(async (name: string, _options: unknown, command: Command) => {
      await clientFor(command).pullPolicy.delete(name);
      process.stdout.write(`Deleted pull policy ${name}\n`);
    });

  policies
    .command("run <name>")
    .description("run a pull policy now and wait for the result; exits 1 if a webhook failed")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (name: string, options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const ran = await clientFor(command).pullPolicy.run(name);
      const errors = ran.lastResult?.errors ?? [];
      if (format === "json") printJson(ran);
      else process.stdout.write(`Ran pull policy ${name}: ${resultText(ran.lastResult)}\n${errors.map((e) => `  ${e}\n`).join("")}`);
      if (errors.length > 0) throw new Error(`pull policy ${name} ran with ${errors.length} error${errors.length === 1 ? "" : "s"}`);
    });

  return policies;
}

interface PolicyFlags {
  flag?: string[];
  displayName?: string;
  output: string;
}

function withPolicyFlags(command: Command): Command {
  return command
    .option("--flag <key=value>", "a flag the webhooks are sent with the kinds (repeatable)", collect)
    .option("--display-name <text>", "a human name")
    .option("-o, --output <format>", "text or json", "text");
}

function printPolicy(p: PullPolicy): void {
  const lines = [
    `name:          ${p.meta.name}`,
    `display name:  ${p.meta.displayName}`,
    `schedule:      ${p.schedule}`,
    `kinds:         ${p.kinds.join(", ")}`,
    `flags:         ${flagsText(p.flags) || "none"}`,
    `next run:      ${shortTime(p.nextRunTime)}`,
    `last run:      ${p.lastRunTime ? `${shortTime(p.lastRunTime)}: ${resultText(p.lastResult)}` : "never"}`,
  ];
  for (const error of p.lastResult?.errors ?? []) lines.push(`  ${error}`);
  lines.push(`created:       ${shortTime(p.meta.createTime)}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}
