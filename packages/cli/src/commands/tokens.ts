import type { GreenlightAPI } from "@greenlight/sdk";
import { Command } from "commander";
import { clientFor } from "../client.js";
import { parseFormat, printJson, printTable, shortTime, UsageError } from "../output.js";

/**
 * `greenlight tokens …`: refresh tokens for service accounts, and short-lived tokens for people.
 *
 * @example
 * greenlight tokens create --service-account 104738295736251 --name CI   # prints the refresh token, once
 * greenlight tokens mint --email bob@example.com --ttl 8h                 # prints an access token for Bob
 * greenlight tokens sign-in-link --email bob@example.com                 # prints a one-time web sign-in link
 */
export function tokensCommand(): Command {
  const tokens = new Command("tokens").description("create, list and revoke tokens");

  tokens
    .command("create")
    .description("create a refresh token for a service account; it is printed once")
    .requiredOption("--service-account <id>", "the service account's id")
    .option("--name <name>", "a name to recognise it by")
    .option("--expiry-days <days>", "days until it expires (default: never)")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { serviceAccount: string; name?: string; expiryDays?: string; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const expiryDays = options.expiryDays === undefined ? undefined : Number(options.expiryDays);
      if (expiryDays !== undefined && !Number.isInteger(expiryDays)) throw new UsageError("--expiry-days must be a whole number");
      const token = await clientFor(command).token.create({
        serviceAccountId: options.serviceAccount,
        displayName: options.name,
        expiryDays,
      });
      if (format === "json") return printJson(token);
      process.stderr.write(`Created ${token.name} for ${token.subject}. Store the refresh token now: it is not shown again.\n`);
      process.stdout.write(`${token.refreshToken}\n`);
    });

  tokens
    .command("mint")
    .description("mint a short-lived access token for a person")
    .requiredOption("--email <email>", "the person's email (the token's sub)")
    .option("--ttl <duration>", "how long it lives, such as 8h")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { email: string; ttl?: string; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const token = await clientFor(command).token.mintForUser({ email: options.email, ...(options.ttl ? { ttl: options.ttl } : {}) });
      if (format === "json") return printJson(token);
      process.stdout.write(`${token.accessToken}\n`);
    });

  tokens
    .command("sign-in-link")
    .description("print a one-time link that signs a person in to the web UI (server admin token only)")
    .requiredOption("--email <email>", "the person to sign in")
    .option("--ttl <duration>", "how long the link works, such as 15m (the default; at most 24h)")
    .option("-o, --output <format>", "text or json", "text")
    .action((options: { email: string; ttl?: string; output: string }, command: Command) =>
      printSignInLink(clientFor(command), options.email, options),
    );

  tokens
    .command("list")
    .description("list tokens (never their secrets)")
    .option("--service-account <id>", "only this service account's")
    .option("--show-revoked", "include revoked tokens")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (options: { serviceAccount?: string; showRevoked?: boolean; output: string }, command: Command) => {
      const format = parseFormat(options.output);
      const { tokens: list } = await clientFor(command).token.list({
        serviceAccountId: options.serviceAccount,
        showDeleted: options.showRevoked,
        pageSize: 100,
      });
      if (format === "json") return printJson(list);
      printTable(
        ["NAME", "KIND", "FOR", "DISPLAY NAME", "CREATED", "LAST USED", "REVOKED"],
        list.map((t) => [
          t.name,
          t.kind,
          t.subject,
          t.displayName,
          shortTime(t.meta.createTime),
          shortTime(t.lastUseTime),
          shortTime(t.meta.deleteTime),
        ]),
      );
    });

  tokens
    .command("revoke <name>")
    .description("revoke a token: it and the access tokens made from it stop working at once")
    .action(async (name: string, _options: unknown, command: Command) => {
      await clientFor(command).token.revoke(name);
      process.stdout.write(`Revoked ${name}\n`);
    });

  return tokens;
}

/**
 * `greenlight sign-in-link <email>`: the way into the web UI on a server without an identity
 * provider, as a command of its own so the server's banner and the sign-in page can name it.
 * The link goes to stdout alone (the line about it to stderr), for this person to pass on.
 *
 * @example
 * greenlight sign-in-link bob@example.com --role admin
 */
export function signInLinkCommand(): Command {
  return new Command("sign-in-link")
    .description("print a one-time link that signs a person in to the web UI (server admin token only)")
    .argument("<email>", "the person to sign in")
    .option("--role <role>", "first give them this role in the space (admin, reviewer, member, …)")
    .option("--ttl <duration>", "how long the link works, such as 15m (the default; at most 24h)")
    .option("-o, --output <format>", "text or json", "text")
    .action(async (email: string, options: { role?: string; ttl?: string; output: string }, command: Command) => {
      parseFormat(options.output);
      const client = clientFor(command);
      if (options.role !== undefined) await client.space.addToRole(options.role, `user:${email}`);
      await printSignInLink(client, email, options);
    });
}

async function printSignInLink(client: GreenlightAPI, email: string, options: { ttl?: string; output: string }): Promise<void> {
  const format = parseFormat(options.output);
  const link = await client.token.signInLink({ email, ...(options.ttl ? { ttl: options.ttl } : {}) });
  if (format === "json") return printJson(link);
  process.stderr.write(`Signs ${link.email} in once, until ${link.expireTime}:\n`);
  process.stdout.write(`${link.url}\n`);
}
