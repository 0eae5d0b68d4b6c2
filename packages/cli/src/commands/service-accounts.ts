import type { ServiceAccount } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor, collect } from "../client.js";
import { parseFormat, printJson, printTable, shortTime } from "../output.js";

function printAccount(a: ServiceAccount): void {
  process.stdout.write(`${a.serviceAccountId}\t${a.name}\t${a.email}\t${a.roles.join(",")}\n`);
}

/**
 * `greenlight serviceaccounts …`: automation's identities in the space.
 *
 * @example
 * greenlight serviceaccounts create deploy-bot --role petitioner-admin
 */
export function serviceAccountsCommand(): Command {
  const accounts = new Command("serviceaccounts").alias("service-accounts").description("create, list and delete service accounts");

  accounts
    .command("create <name>")
    .description("create a service account")
    .option("--role <role>", "bind it to a role: admin, reviewer, petitioner-admin or member (repeatable)", collect)
    .option("--display-name <text>", "a human name")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (name: string, options: { role?: string[]; displayName?: string; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const account = await clientFor(command).serviceAccount.create({ name, displayName: options.displayName, roles: options.role ?? [] });
      if (format === "json") printJson(account);
      else printAccount(account);
    });

  accounts
    .command("list")
    .description("list service accounts")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const { serviceAccounts } = await clientFor(command).serviceAccount.list({ pageSize: 100 });
      if (format === "json") return printJson(serviceAccounts);
      printTable(
        ["ID", "NAME", "EMAIL", "ROLES", "CREATED"],
        serviceAccounts.map((a) => [a.serviceAccountId, a.name, a.email, a.roles.join(","), shortTime(a.meta.createTime)]),
      );
    });

  accounts
    .command("get <id>")
    .description("show a service account")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (id: string, options: { output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const account = await clientFor(command).serviceAccount.get(id);
      if (format === "json") printJson(account);
      else printAccount(account);
    });

  accounts
    .command("delete <id>")
    .description("delete a service account; its tokens stop working at once")
    .action(async (id: string, _options: unknown, command: Command) => {
      await clientFor(command).serviceAccount.delete(id);
      process.stdout.write(`Deleted service account ${id}\n`);
    });

  return accounts;
}
