import type { Petition, Resource } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor, collectPages } from "../client.js";
import { parseFormat, printJson, printTable, shortTime, UsageError } from "../output.js";

const who = (resources: Resource[]) => resources.map((r) => r.email ?? r.id ?? r.kind).join(", ");
const what = (resources: Resource[]) => resources.map((r) => `${r.kind}:${r.displayName ?? r.id ?? r.email}`).join(", ");
const status = (p: Petition) => (p.state.status.outcome ? `${p.state.status.phase} (${p.state.status.outcome})` : p.state.status.phase);

function printPetition(p: Petition): void {
  const lines = [
    `name:         ${p.name}`,
    `status:       ${status(p)}`,
    `petitioners:  ${who(p.petitioners)}`,
    `resources:    ${what(p.resources)}`,
    `reason:       ${p.reason}`,
    `created:      ${shortTime(p.meta.createTime)}`,
  ];
  if (p.meta.expireTime) lines.push(`expires:      ${shortTime(p.meta.expireTime)}`);
  lines.push("history:");
  for (const e of p.state.eventHistory)
    lines.push(
      `  ${shortTime(e.timestamp)}  ${e.event.padEnd(14)}  ${e.actor.email ?? e.actor.displayName ?? e.actor.id}${e.reason ? `: ${e.reason}` : ""}`,
    );
  process.stdout.write(`${lines.join("\n")}\n`);
}

/**
 * `greenlight petitions …`: list, read and decide petitions.
 *
 * @example
 * greenlight petitions list --phase open
 * greenlight petitions approve pet_01j9… --duration 3h --reason "on call"
 * greenlight petitions extend pet_01j9… --duration 2h --reason "the migration runs long"
 */
export function petitionsCommand(): Command {
  const petitions = new Command("petitions").description("list, read, approve, deny, revoke, extend and close petitions");

  petitions
    .command("list")
    .description("list petitions, newest first")
    .option("--phase <phases>", "only these phases, such as open or open,granted")
    .option("-l, --selector <selector>", "a label selector, such as team=sre")
    .option("--limit <n>", "at most this many", "50")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { phase?: string; selector?: string; limit: string; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const client = clientFor(command);
      const found = await collectPages(options.limit, async (pageSize, pageToken) => {
        const page = await client.petition.list({ phase: options.phase, labelSelector: options.selector, pageSize, pageToken });
        return { items: page.petitions, nextPageToken: page.nextPageToken };
      });
      if (format === "json") return printJson(found);
      printTable(
        ["NAME", "STATUS", "PETITIONERS", "RESOURCES", "CREATED", "REASON"],
        found.map((p) => [p.name, status(p), who(p.petitioners), what(p.resources), shortTime(p.meta.createTime), p.reason]),
      );
    });

  petitions
    .command("get <name>")
    .description("show a petition and its history")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (name: string, options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const petition = await clientFor(command).petition.get(name);
      if (format === "json") printJson(petition);
      else printPetition(petition);
    });

  petitions
    .command("approve <name>")
    .description("approve a petition: grant its access")
    .option("--duration <duration>", "how long access lasts, such as 3h (default: the petition's or the server's)")
    .option("--indefinite", "grant until revoked")
    .option("--reason <text>", "why")
    .action(async (name: string, options: { duration?: string; indefinite?: boolean; reason?: string }, command: Command) => {
      if (options.duration && options.indefinite) throw new UsageError("give --duration or --indefinite, not both");
      const claim = await clientFor(command).petition.approve(name, options);
      process.stdout.write(
        `Approved ${name}${claim.meta.labels["indent.com/time/expires"] ? ` until ${shortTime(claim.meta.labels["indent.com/time/expires"])}` : " until revoked"}\n`,
      );
    });

  petitions
    .command("extend <name>")
    .description("ask for more time on a granted petition: a new petition for the same access, reviewed like any")
    .option("--duration <duration>", "how long the extension should grant, such as 2h (default: the policy's)")
    .option("--reason <text>", "why more time is needed")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (name: string, options: { duration?: string; reason?: string; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const extension = await clientFor(command).petition.extend(name, { duration: options.duration, reason: options.reason });
      if (format === "json") return printJson(extension);
      const until = extension.meta.expireTime ? ` until ${shortTime(extension.meta.expireTime)}` : "";
      const state = extension.state.status.phase === "granted" ? `granted${until}` : status(extension);
      process.stdout.write(`Extension of ${name}: ${extension.name}, ${state}\n`);
    });

  for (const [verb, done] of [
    ["deny", "Denied"],
    ["revoke", "Revoked"],
  ] as const) {
    petitions
      .command(`${verb} <name>`)
      .description(verb === "deny" ? "deny a petition" : "end a granted petition's access now")
      .option("--reason <text>", "why")
      .action(async (name: string, options: { reason?: string }, command: Command) => {
        await clientFor(command).petition[verb](name, options.reason);
        process.stdout.write(`${done} ${name}\n`);
      });
  }

  petitions
    .command("close <name>")
    .description("close a petition: cancel it if open, end its access if granted")
    .action(async (name: string, _options: unknown, command: Command) => {
      const petition = await clientFor(command).petition.close(name);
      process.stdout.write(`Closed ${name}: ${status(petition)}\n`);
    });

  return petitions;
}
